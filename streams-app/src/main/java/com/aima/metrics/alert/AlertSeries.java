package com.aima.metrics.alert;

import com.aima.metrics.alert.AlertTracker.SeriesState;
import com.aima.metrics.streams.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * One alert instance as the engine stores it: the rule, the series it watches and the {@link SeriesState}. Stored as
 * JSON under {@link #storeKey}; the store is changelogged, so the state survives restarts and moves between
 * instances.
 */
public record AlertSeries(String rule, String metric, Map<String, String> labels, SeriesState state) {

    public AlertSeries {
        labels = Map.copyOf(labels);
    }

    /** The store key: the rule's name and the series key, so that one rule's instances sort together. */
    public static String storeKey(String rule, String seriesKey) {
        return rule + ' ' + seriesKey;
    }

    /** The series key in {@code storeKey}, the inverse of {@link #storeKey}. */
    public String seriesKey(String storeKey) {
        return storeKey.substring(rule.length() + 1);
    }

    /**
     * The alert's stable identity: 16 hex digits of SHA-256 over the rule's name and the series key. The same for
     * every FIRING and RESOLVED of this rule on this series, across restarts, instances and rule edits.
     */
    public static String fingerprint(String rule, String seriesKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((rule + '\n' + seriesKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256.", e);
        }
    }

    public AlertSeries with(SeriesState next) {
        return new AlertSeries(rule, metric, labels, next);
    }

    /** The serde of the store's values. */
    public static Serde<AlertSeries> serde() {
        return JsonSerde.of(AlertSeries.class);
    }
}
