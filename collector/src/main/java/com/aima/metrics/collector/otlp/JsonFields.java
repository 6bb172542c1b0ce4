package com.aima.metrics.collector.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Typed, strict reads of one JSON object's fields, each failure an {@link InvalidJobEventException} naming the field's
 * path and the bad value. A field that is absent or {@code null} is "missing". Not thread-safe.
 */
final class JsonFields {

    /** Epoch milliseconds below this (2000-01-01) are taken for a mistake, most likely seconds. */
    static final long MIN_EPOCH_MILLIS = 946_684_800_000L;

    private final JsonNode node;
    private final String path;
    private final Set<String> read = new LinkedHashSet<>();

    /** @param path where the object is, e.g. {@code [2].costEstimate}; empty at the top */
    JsonFields(JsonNode node, String path) throws InvalidJobEventException {
        if (node == null || !node.isObject()) {
            throw new InvalidJobEventException((path.isEmpty() ? "The body" : path) + ": expected a JSON object, got "
                    + shown(node) + ".");
        }
        this.node = node;
        this.path = path;
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean has(String field) {
        return get(field) != null;
    }

    String requiredString(String field) throws InvalidJobEventException {
        String value = optionalString(field);
        if (value == null || value.isBlank()) {
            throw missing(field, value == null ? null : "an empty string");
        }
        return value;
    }

    String optionalString(String field) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw expected(field, value, "a string");
        }
        return value.textValue();
    }

    Long optionalLong(String field, long min) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw expected(field, value, "an integer");
        }
        if (value.longValue() < min) {
            throw invalid(field, value, "must be at least " + min);
        }
        return value.longValue();
    }

    long requiredLong(String field, long min) throws InvalidJobEventException {
        Long value = optionalLong(field, min);
        if (value == null) {
            throw missing(field, null);
        }
        return value;
    }

    Double optionalDouble(String field, double min, double max) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw expected(field, value, "a number");
        }
        if (value.doubleValue() < min || value.doubleValue() > max) {
            throw invalid(field, value, "must be between " + min + " and " + max);
        }
        return value.doubleValue();
    }

    boolean optionalBoolean(String field, boolean defaultValue) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw expected(field, value, "true or false");
        }
        return value.booleanValue();
    }

    /** Epoch milliseconds (an integer from 2000 on) or an ISO-8601 date-time with offset, e.g. {@code ...T10:00:00Z}. */
    Instant requiredTimestamp(String field) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            throw missing(field, null);
        }
        if (value.isTextual()) {
            try {
                return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value.textValue(), Instant::from)
                        .truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                throw expected(field, value, "an ISO-8601 date-time with offset such as "
                        + "2026-11-22T10:00:00Z, or epoch milliseconds");
            }
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw expected(field, value, "epoch milliseconds or an ISO-8601 date-time string");
        }
        if (value.longValue() < MIN_EPOCH_MILLIS) {
            throw invalid(field, value, "is before 2000-01-01 as epoch milliseconds; send milliseconds, not seconds");
        }
        return Instant.ofEpochMilli(value.longValue());
    }

    /** An enum symbol, case-insensitive; {@code defaultValue} when missing, which may be {@code null}: required. */
    <E extends Enum<E>> E enumSymbol(String field, Class<E> type, E defaultValue) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            if (defaultValue == null) {
                throw missing(field, null);
            }
            return defaultValue;
        }
        String symbols = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (value.isTextual()) {
            for (E symbol : type.getEnumConstants()) {
                if (symbol.name().equals(value.textValue().toUpperCase(Locale.ROOT))) {
                    return symbol;
                }
            }
        }
        throw invalid(field, value, "is not one of " + symbols);
    }

    List<String> stringList(String field) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw expected(field, value, "an array of strings");
        }
        List<String> strings = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw expected(field + "[" + i + "]", value.get(i), "a string");
            }
            strings.add(value.get(i).textValue());
        }
        return strings;
    }

    /** An object of string, number or boolean values, as strings. */
    Map<String, String> stringMap(String field) throws InvalidJobEventException {
        JsonNode value = get(field);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw expected(field, value, "an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw expected(field + "." + entry.getKey(), entry.getValue(), "a string");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }

    /** The nested object's fields, or {@code null} when missing. */
    JsonFields optionalObject(String field) throws InvalidJobEventException {
        JsonNode value = get(field);
        return value == null ? null : new JsonFields(value, path(field));
    }

    /** Fails on the first field no read asked for, which is most likely a typo. */
    void requireNoOtherFields() throws InvalidJobEventException {
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!read.contains(field)) {
                throw new InvalidJobEventException(path(field) + ": unknown field; the fields are " + read + ".");
            }
        }
    }

    /** {@code path: 'value' <problem>.}, e.g. {@code type: 'STARTD' is not one of SUBMITTED, ...}. */
    InvalidJobEventException invalid(String field, JsonNode value, String problem) {
        return new InvalidJobEventException(path(field) + ": " + shown(value) + " " + problem + ".");
    }

    /** {@code path: expected <what>, got value.} */
    private InvalidJobEventException expected(String field, JsonNode value, String what) {
        return new InvalidJobEventException(path(field) + ": expected " + what + ", got " + shown(value) + ".");
    }

    private JsonNode get(String field) {
        read.add(field);
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private InvalidJobEventException missing(String field, String got) {
        return new InvalidJobEventException(path(field) + ": required field is missing"
                + (got == null ? "" : " (got " + got + ")") + ".");
    }

    private static String shown(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        String text = value.isTextual() ? "'" + value.textValue() + "'" : value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
