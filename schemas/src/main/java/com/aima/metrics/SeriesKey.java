package com.aima.metrics;

import java.util.Arrays;
import java.util.Map;

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
        CharSequence[] keys = labels.keySet().toArray(new CharSequence[0]);
        if (keys.length > 1) {
            Arrays.sort(keys, (a, b) -> CharSequence.compare(a, b));
        }
        StringBuilder key = new StringBuilder(name.length() + 2 + 16 * keys.length).append(name).append('{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                key.append(',');
            }
            key.append(keys[i]).append('=').append(labels.get(keys[i]));
        }
        return key.append('}').toString();
    }
}
