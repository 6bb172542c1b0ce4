package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How the messages for people (Slack, Teams, e-mail, SMS) write one alert's parts. Times are in UTC. */
final class AlertFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private AlertFormat() {
    }

    /** A red, orange or blue circle for a firing critical, warning or info alert; a check mark once resolved. */
    static String emoji(AlertEvent alert) {
        if (alert.getState() == AlertState.RESOLVED) {
            return "\u2705";
        }
        return switch (alert.getSeverity()) {
            case CRITICAL -> "\uD83D\uDD34";
            case WARNING -> "\uD83D\uDFE0";
            case INFO -> "\uD83D\uDD35";
        };
    }

    /** {@code value 91.5, threshold > 85}: true of a firing and of a resolved alert alike. */
    static String valueAndThreshold(AlertEvent alert) {
        return "value " + number(alert.getValue()) + ", threshold " + operator(alert.getCondition()) + " "
                + number(alert.getThreshold());
    }

    /** {@code gpu=0, node=n1}, sorted by label name; empty without labels. */
    static String labels(AlertEvent alert) {
        return sortedLabels(alert).entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The labels sorted by name. */
    static Map<String, String> sortedLabels(AlertEvent alert) {
        return new TreeMap<>(alert.getLabels());
    }

    /** {@code since 2026-11-22 10:02:00 UTC}, or once resolved {@code 2026-11-22 10:02:00 UTC to ... UTC (12m 30s)}. */
    static String period(AlertEvent alert) {
        Instant end = alert.getEndsAt();
        if (end == null) {
            return "since " + time(alert.getStartsAt());
        }
        return time(alert.getStartsAt()) + " to " + time(end)
                + " (" + duration(Duration.between(alert.getStartsAt(), end)) + ")";
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** {@code 1h 2m}, {@code 12m 30s}, {@code 45s}: the two largest units. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        return minutes > 0 ? minutes + "m " + rest + "s" : rest + "s";
    }

    /**
     * {@code text} when it has at most {@code maxChars} characters (UTF-16 units), else its start and {@code ending}
     * in {@code maxChars}, never splitting a surrogate pair.
     */
    static String cut(String text, int maxChars, String ending) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = Math.max(0, maxChars - ending.length());
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ending;
    }

    /** {@link #cut(String, int, String)} ending in an ellipsis. */
    static String cut(String text, int maxChars) {
        return cut(text, maxChars, "\u2026");
    }

    /** {@code 91} rather than {@code 91.0}, {@code 0.25} rather than {@code 2.5E-1}. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String operator(String condition) {
        return switch (condition) {
            case "gt" -> ">";
            case "ge" -> ">=";
            case "lt" -> "<";
            case "le" -> "<=";
            case "eq" -> "==";
            case "ne" -> "!=";
            default -> condition;
        };
    }
}
