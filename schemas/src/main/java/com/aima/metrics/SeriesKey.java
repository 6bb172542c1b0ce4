package com.aima.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a metric series: its name and its labels sorted by key, written {@code name{k1=v1,k2=v2}} (Prometheus
 * style). It is the record key of the raw and rollup topics, so that one series lives in one partition and the rollups
 * need no repartition. Producers must key raw records with it.
 */
public final class SeriesKey {

    private SeriesKey() {
    }

    /** {@code name{k1=v1,k2=v2}} with the labels sorted by key; {@code name{}} without labels. */
    public static String of(CharSequence name, Map<? extends CharSequence, ? extends CharSequence> labels) {
        StringBuilder key = new StringBuilder(name.length() + 16 * labels.size()).append(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : sorted(labels).entrySet()) {
            if (!first) {
                key.append(',');
            }
            key.append(label.getKey()).append('=').append(label.getValue());
            first = false;
        }
        return key.append('}').toString();
    }

    private static Map<String, String> sorted(Map<? extends CharSequence, ? extends CharSequence> labels) {
        Map<String, String> sorted = new TreeMap<>();
        labels.forEach((key, value) -> sorted.put(key.toString(), value.toString()));
        return sorted;
    }
}
