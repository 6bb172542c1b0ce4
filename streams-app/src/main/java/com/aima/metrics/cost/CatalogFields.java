package com.aima.metrics.cost;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values of the cost catalog's fields. Each error is an {@link IllegalArgumentException} whose message
 * starts with the field's name ({@code price_per_gpu_hour: -1 must not be negative.}); the parser puts the source
 * and the entry in front.
 */
final class CatalogFields {

    /** Money is kept in millionths; a finer amount would have to be rounded, which the catalog never does. */
    static final int MONEY_DECIMALS = 6;
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)|24:00");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private CatalogFields() {
    }

    /**
     * Fails on the first field of {@code node} not in {@code fields}, with the hint of {@code misplaced} when the
     * field belongs elsewhere (e.g. a cloud price on a local entry).
     */
    static void onlyFields(JsonNode node, String what, List<String> fields, Map<String, String> misplaced) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a mapping of fields (" + String.join(", ", fields) + ").");
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String field = property.getKey();
            if (misplaced.containsKey(field)) {
                throw new IllegalArgumentException(field + ": " + misplaced.get(field));
            }
            if (!fields.contains(field)) {
                throw new IllegalArgumentException(field + ": not a field of " + what + "; the fields are "
                        + String.join(", ", fields) + ".");
            }
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText().trim();
    }

    static String requiredText(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + ": missing.");
        }
        return value;
    }

    /** An amount of money in millionths, read exactly from the YAML number; null when absent. */
    static Long micros(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + ": '" + value.asText() + "' is not a number.");
        }
        // The mapper reads decimals as BigDecimal, so that 0.1 is 0.1 and not the double nearest to it.
        BigDecimal amount = value.decimalValue();
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(field + ": " + amount.toPlainString() + " must not be negative.");
        }
        if (amount.stripTrailingZeros().scale() > MONEY_DECIMALS) {
            throw new IllegalArgumentException(field + ": " + amount.toPlainString() + " has more than "
                    + MONEY_DECIMALS + " decimals; amounts are kept exactly in millionths and never rounded.");
        }
        try {
            return amount.movePointRight(MONEY_DECIMALS).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + ": " + amount.toPlainString() + " is too large.", e);
        }
    }

    static long requiredMicros(JsonNode node, String field) {
        Long micros = micros(node, field);
        if (micros == null) {
            throw new IllegalArgumentException(field + ": missing.");
        }
        return micros;
    }

    /** An amount that must be above zero, in millionths; null when absent. */
    static Long positiveMicros(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && value.isNumber() && value.decimalValue().signum() <= 0) {
            throw new IllegalArgumentException(field + ": " + value.decimalValue().toPlainString()
                    + " must be greater than zero.");
        }
        return micros(node, field);
    }

    /** A date (its start in {@code zone}) or an ISO instant with offset; null when absent. */
    static Instant instant(JsonNode node, String field, ZoneId zone) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return DATE.matcher(value).matches() ? LocalDate.parse(value).atStartOfDay(zone).toInstant()
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(field + ": '" + value + "' is neither a date (2026-01-01) nor an"
                    + " instant (2026-01-01T00:00:00Z).", e);
        }
    }

    /** A local time HH:mm as minutes after midnight, "24:00" being 1440; {@code absent} when the field is. */
    static int minuteOfDay(JsonNode node, String field, int absent) {
        String value = text(node, field);
        if (value == null) {
            return absent;
        }
        Matcher time = TIME.matcher(value);
        if (!time.matches()) {
            throw new IllegalArgumentException(field + ": '" + value + "' is not a time HH:mm from 00:00 to 24:00.");
        }
        return time.group(1) == null ? 24 * 60 : Integer.parseInt(time.group(1)) * 60 + Integer.parseInt(time.group(2));
    }

    /** Weekdays by short (mon) or full (monday) English name, any case; every day when absent. */
    static Set<DayOfWeek> days(JsonNode node, String field) {
        JsonNode list = node.get(field);
        if (list == null || list.isNull()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(field + ": expected a list of weekdays, e.g. [sat, sun].");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (JsonNode item : list) {
            days.add(day(field, item.asText()));
        }
        return days;
    }

    private static DayOfWeek day(String field, String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            String full = day.name().toLowerCase(Locale.ROOT);
            if (lower.equals(full) || lower.equals(full.substring(0, 3))) {
                return day;
            }
        }
        throw new IllegalArgumentException(field + ": '" + name + "' is not a weekday (mon..sun or monday..sunday).");
    }

    /** Runs {@code reader}, putting {@code prefix} in front of its error message. */
    static <T> T within(String prefix, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
    }
}
