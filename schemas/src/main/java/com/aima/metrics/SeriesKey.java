package com.aima.metrics;

import java.util.Arrays;
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
}
