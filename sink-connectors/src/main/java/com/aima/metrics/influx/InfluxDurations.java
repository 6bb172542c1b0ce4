package com.aima.metrics.influx;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * InfluxQL duration literals ({@code 24h}, {@code 7d}, {@code 52w}, {@code 1h30m}, {@code INF}) and the Go duration
 * strings InfluxDB answers with in {@code SHOW RETENTION POLICIES} ({@code 168h0m0s}; {@code 0s} for infinite), as
 * {@link Duration}s, so that a configured retention can be compared with the server's.
 */
final class InfluxDurations {

    /** InfluxDB's shortest finite retention. */
    static final Duration MIN_RETENTION = Duration.ofHours(1);

    private static final Pattern PART = Pattern.compile("(\\d+)(ns|µs|us|ms|u|µ|s|m|h|d|w)");
    private static final Pattern WHOLE = Pattern.compile("(" + PART.pattern() + ")+");

    private InfluxDurations() {
    }

    /**
     * The duration of an InfluxQL literal or Go duration string; {@link Duration#ZERO} for {@code INF} (InfluxDB's
     * own value for "keep forever").
     *
     * @throws IllegalArgumentException for anything else
     */
    static Duration parse(String text) {
        String value = text == null ? "" : text.strip();
        if (value.toUpperCase(Locale.ROOT).equals("INF")) {
            return Duration.ZERO;
        }
        if (!WHOLE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an InfluxQL duration such as 24h, 7d, 52w or"
                    + " INF.");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(value);
        while (part.find()) {
            total = total.plus(unit(part.group(2)).multipliedBy(Long.parseLong(part.group(1))));
        }
        return total;
    }

    /**
     * Returns {@code text} if it is {@code INF} or a duration of at least 1 h, InfluxDB's bounds for a retention
     * policy.
     *
     * @throws IllegalArgumentException otherwise, naming the value
     */
    static String requireRetention(String text) {
        Duration duration = parse(text);
        if (!duration.isZero() && duration.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("Retention '" + text + "' is shorter than InfluxDB's minimum of 1h;"
                    + " use INF to keep data forever.");
        }
        if (duration.isZero() && !text.strip().equalsIgnoreCase("INF")) {
            throw new IllegalArgumentException("Retention '" + text + "' is zero; use INF to keep data forever.");
        }
        return text;
    }

    private static Duration unit(String unit) {
        return switch (unit) {
            case "ns" -> Duration.ofNanos(1);
            case "u", "us", "µ", "µs" -> Duration.ofNanos(1_000);
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "w" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException("Unknown duration unit '" + unit + "'.");
        };
    }
}
