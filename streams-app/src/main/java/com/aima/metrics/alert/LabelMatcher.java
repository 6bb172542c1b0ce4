package com.aima.metrics.alert;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A condition on one label of a series, written as in Prometheus: {@code gpu="0"}, {@code node!="gpu-7"},
 * {@code gpu_model=~"NVIDIA H100.*"}, {@code source!~"simulator"}. A regular expression must match the whole value;
 * a missing label has the empty value.
 */
public record LabelMatcher(String label, Operator operator, String value, Pattern pattern) {

    /** {@code =}, {@code !=}, {@code =~} and {@code !~}. */
    public enum Operator { EQUAL, NOT_EQUAL, MATCHES, NOT_MATCHES }

    private static final Pattern SYNTAX = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"(.*)\"\\s*");

    /** @throws IllegalArgumentException for text that is not a matcher, or a bad regular expression */
    public static LabelMatcher parse(String text) {
        Matcher matcher = SYNTAX.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a label matcher; write label=\"value\","
                    + " label!=\"value\", label=~\"regex\" or label!~\"regex\".");
        }
        Operator operator = switch (matcher.group(2)) {
            case "=" -> Operator.EQUAL;
            case "!=" -> Operator.NOT_EQUAL;
            case "=~" -> Operator.MATCHES;
            default -> Operator.NOT_MATCHES;
        };
        String value = matcher.group(3);
        Pattern pattern = null;
        if (operator == Operator.MATCHES || operator == Operator.NOT_MATCHES) {
            try {
                pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + text + "': '" + value + "' is not a regular expression: "
                        + e.getDescription() + ".", e);
            }
        }
        return new LabelMatcher(matcher.group(1), operator, value, pattern);
    }

    /** Whether the series with {@code labels} passes this matcher. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(label, "");
        return switch (operator) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case MATCHES -> pattern.matcher(actual).matches();
            case NOT_MATCHES -> !pattern.matcher(actual).matches();
        };
    }
}
