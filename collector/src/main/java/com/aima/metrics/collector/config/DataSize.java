package com.aima.metrics.collector.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes, written in configuration as {@code 1048576}, {@code 64KiB}, {@code 256MiB}, {@code 1GiB} or {@code 10MB}. */
public record DataSize(long bytes) {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*([kmg]i?b|b)?", Pattern.CASE_INSENSITIVE);

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("A size cannot be negative: " + bytes + ".");
        }
    }

    public static DataSize ofMebibytes(long mebibytes) {
        return new DataSize(mebibytes << 20);
    }

    /** Parses the formats above; a bare number is bytes. */
    public static DataSize parse(String text) {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write bytes, or a number with KiB, MiB,"
                    + " GiB, KB, MB or GB.");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            default -> 1L;
        };
        return new DataSize(Math.multiplyExact(number, factor));
    }
}
