package com.aima.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A condition on one label of a series or an alert, written as in Prometheus (alert rules, notification routes):
 * {@code gpu="0"}, {@code node!="gpu-7"}, {@code node=~"gpu-.*"}, {@code source!~"simulator"}. A regular expression
 * must match the whole value; a missing label has the empty value. Immutable.
 */
public record LabelMatcher(String label, Operator operator, String value, Pattern pattern) {

    /** {@code =}, {@code !=}, {@code =~} and {@code !~}. */
    public enum Operator { EQUAL, NOT_EQUAL, MATCHES, NOT_MATCHES }

    private static final Pattern SYNTAX =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    /**
     * Parses a comma-separated list of matchers, optionally in braces as in a Prometheus selector:
     * {@code {node=~"gpu-.*", gpu!="0"}}. Commas inside quoted values (a regex {@code a{1,3}}) do not split. An empty or
     * blank text is the empty list (matches every alert).
     *
     * @throws IllegalArgumentException naming the part that is not a matcher, or a regular expression that does not
     *                                  compile
     */
    public static List<LabelMatcher> parseAll(String text) {
        String body = text == null ? "" : text.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (String part : splitOutsideQuotes(body)) {
            if (!part.isBlank()) {
                matchers.add(parse(part));
            }
        }
        return List.copyOf(matchers);
    }

    /** @throws IllegalArgumentException for text that is not one matcher, or a bad regular expression */
    public static LabelMatcher parse(String text) {
        Matcher matcher = SYNTAX.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a label matcher; write label=\"value\","
                    + " label!=\"value\", label=~\"regex\" or label!~\"regex\".");
        }
        Operator operator = switch (matcher.group(2)) {
            case "=" -> Operator.EQUAL;
            case "!=" -> Operator.NOT_EQUAL;
            case "=~" -> Operator.MATCHES;
            default -> Operator.NOT_MATCHES;
        };
        String value = matcher.group(3).replaceAll("\\\\(.)", "$1");
        Pattern pattern = null;
        if (operator == Operator.MATCHES || operator == Operator.NOT_MATCHES) {
            try {
                pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + text.strip() + "': '" + value
                        + "' is not a regular expression: " + e.getDescription() + ".", e);
            }
        }
        return new LabelMatcher(matcher.group(1), operator, value, pattern);
    }

    /** Whether an alert with {@code labels} passes this matcher. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(label, "");
        return switch (operator) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case MATCHES -> pattern.matcher(actual).matches();
            case NOT_MATCHES -> !pattern.matcher(actual).matches();
        };
    }

    @Override
    public String toString() {
        String op = switch (operator) {
            case EQUAL -> "=";
            case NOT_EQUAL -> "!=";
            case MATCHES -> "=~";
            case NOT_MATCHES -> "!~";
        };
        return label + op + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static List<String> splitOutsideQuotes(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
