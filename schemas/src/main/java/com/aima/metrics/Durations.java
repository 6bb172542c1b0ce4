package com.aima.metrics;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Durations as people write them in configuration and on command lines: 500ms, 10s, 5m, 1h, 1d, or ISO-8601. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write for example 500ms, 10s, 5m,"
                    + " 1h or PT10S.");
        }
    }

    /**
     * A {@code ConfigDef} validator of duration settings in the form {@link #parse} reads; negative durations are
     * rejected with the key and value in the message.
     */
    public static ConfigDef.Validator validator() {
        return validator(false);
    }

    /** As {@link #validator()}, and zero is rejected too: for intervals and windows that must pass. */
    public static ConfigDef.Validator positiveValidator() {
        return validator(true);
    }

    private static ConfigDef.Validator validator(boolean positive) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            Duration duration;
            try {
                duration = value == null ? null : parse((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
            if (duration == null || duration.isNegative()) {
                throw new ConfigException(name, value, "A duration must not be negative.");
            }
            if (positive && duration.isZero()) {
                throw new ConfigException(name, value, "Must be longer than zero.");
            }
        }, () -> positive ? "a duration longer than zero, for example 500ms, 10s, 5m or PT5M"
                : "a duration, for example 500ms, 10s, 5m or PT5M");
    }
}
