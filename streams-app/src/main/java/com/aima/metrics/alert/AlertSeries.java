package com.aima.metrics.alert;

import com.aima.metrics.alert.AlertTracker.SeriesState;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One alert instance as the engine stores it: the rule, the series it watches and the {@link SeriesState}. Stored as
 * JSON under {@link #storeKey}; the store is changelogged, so the state survives restarts and moves between
 * instances.
 */
public record AlertSeries(String rule, String metric, Map<String, String> labels, SeriesState state) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

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
        Serializer<AlertSeries> serializer = (topic, series) -> {
            try {
                return series == null ? null : JSON.writeValueAsBytes(series);
            } catch (IOException e) {
                throw new SerializationException("Cannot write the alert state " + series + ".", e);
            }
        };
        Deserializer<AlertSeries> deserializer = (topic, bytes) -> {
            try {
                return bytes == null ? null : JSON.readValue(bytes, AlertSeries.class);
            } catch (IOException e) {
                throw new SerializationException("Cannot read an alert state: " + e.getMessage(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
