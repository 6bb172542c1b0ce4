package com.aima.metrics.alert;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A summary or description of a rule with placeholders: {@code {{value}}}, {@code {{threshold}}},
 * {@code {{metric}}}, {@code {{rule}}}, {@code {{severity}}}, {@code {{condition}}}, {@code {{for}}} and {@code {{labels.NAME}}}
 * (empty when the series has no such label). An unknown placeholder is an error when the rule is loaded, not when it
 * fires.
 */
public record Template(String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_.]*)\\s*}}");
    private static final Set<String> VARIABLES = Set.of("value", "threshold", "metric", "rule", "severity",
            "condition", "for");

    /** @throws IllegalArgumentException naming an unknown placeholder */
    public Template {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!VARIABLES.contains(name) && !name.matches("labels\\.[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}}; use " + VARIABLES
                        + " or labels.NAME.");
            }
        }
    }

    /** The text with its placeholders replaced. */
    public String render(AlertRule rule, double value, Map<String, String> labels) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = switch (name) {
                case "value" -> number(value);
                case "threshold" -> number(rule.threshold());
                case "metric" -> rule.metric();
                case "rule" -> rule.name();
                case "severity" -> rule.severity().name().toLowerCase(java.util.Locale.ROOT);
                case "condition" -> rule.condition().symbol();
                case "for" -> duration(rule.forDuration());
                default -> labels.getOrDefault(name.substring("labels.".length()), "");
            };
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    /** 10m, 90s, 1h30m, 500ms. */
    static String duration(java.time.Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }

    /** At most two decimals, no trailing zeros: 95.5, 96, 0.07. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
