package com.aima.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The identity of a metric series: its name and its labels sorted by name, written like the Prometheus exposition
 * format, {@code name{k1="v1",k2="v2"}}, with {@code \}, {@code "} and line feeds in values escaped, so that two
 * different series never share a key. It is the record key of the raw and rollup topics, so that one series lives in
 * one partition and the rollups need no repartition. Producers must key raw records with it.
 */
public final class SeriesKey {

    /** Valid metric names, as in Prometheus. */
    public static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Valid label names, as in Prometheus. */
    public static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private SeriesKey() {
    }

    /** {@code name{k1="v1",k2="v2"}} with the labels sorted by name; {@code name{}} without labels. */
    public static String of(CharSequence name, Map<? extends CharSequence, ? extends CharSequence> labels) {
        CharSequence[] keys = labels.keySet().toArray(new CharSequence[0]);
        if (keys.length > 1) {
            Arrays.sort(keys, CharSequence::compare);
        }
        StringBuilder key = new StringBuilder(name.length() + 2 + 20 * keys.length).append(name).append('{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                key.append(',');
            }
            key.append(keys[i]).append("=\"");
            CharSequence value = labels.get(keys[i]);
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                switch (ch) {
                    case '\\' -> key.append("\\\\");
                    case '"' -> key.append("\\\"");
                    case '\n' -> key.append("\\n");
                    default -> key.append(ch);
                }
            }
            key.append('"');
        }
        return key.append('}').toString();
    }

    /**
     * The prefix every series key of metric {@code name} starts with, {@code name{}: the bound of a range scan over
     * one metric's series (no other metric's keys share it, as names cannot contain a brace).
     */
    public static String prefixOf(String name) {
        return name + '{';
    }

    /** A series key taken apart: the metric name and its labels in key (name) order. */
    public record Parsed(String name, Map<String, String> labels) {
    }

    /**
     * The inverse of {@link #of}: the name and labels of a series key.
     *
     * @throws IllegalArgumentException when {@code key} is not of the form {@code name{k1="v1",...}}, naming the key
     */
    public static Parsed parse(String key) {
        int brace = key.indexOf('{');
        if (brace <= 0 || !key.endsWith("}") || !METRIC_NAME.matcher(key.substring(0, brace)).matches()) {
            throw new IllegalArgumentException("'" + key + "' is not a series key: expected name{label=\"value\",...}.");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        int end = key.length() - 1;
        while (i < end) {
            int eq = key.indexOf("=\"", i);
            if (eq < 0) {
                throw new IllegalArgumentException("'" + key + "' is not a series key: a label has no =\"value\".");
            }
            String label = key.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int c = eq + 2;
            for (; c < end && key.charAt(c) != '"'; c++) {
                char ch = key.charAt(c);
                if (ch == '\\' && c + 1 < end) {
                    char escaped = key.charAt(++c);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(ch);
                }
            }
            if (c >= end || !LABEL_NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + key + "' is not a series key: label '" + label
                        + "' is malformed or unterminated.");
            }
            labels.put(label, value.toString());
            i = c + 1;
            if (i < end) {
                if (key.charAt(i) != ',') {
                    throw new IllegalArgumentException("'" + key + "' is not a series key: expected ',' after label '"
                            + label + "'.");
                }
                i++;
            }
        }
        return new Parsed(key.substring(0, brace), labels);
    }
}
