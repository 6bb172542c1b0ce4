package com.aima.metrics.rollup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A window of one series: its start and the series key. Serialized as the start (8 bytes, big-endian) followed by the
 * series in UTF-8, so that a store's byte order is window-start order and closing windows is a range scan from the
 * oldest. Starts are never negative (records before 1970 are rejected), so the byte order of the start is its numeric
 * order.
 */
record WindowKey(long startMs, String series) {

    /** The smallest key of windows starting at {@code startMs}: a bound for range scans. */
    static WindowKey lowest(long startMs) {
        return new WindowKey(startMs, "");
    }

    static Serde<WindowKey> serde() {
        Serializer<WindowKey> serializer = (topic, key) -> {
            byte[] series = key.series().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(Long.BYTES + series.length).putLong(key.startMs()).put(series).array();
        };
        Deserializer<WindowKey> deserializer = (topic, bytes) -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long start = buffer.getLong();
            return new WindowKey(start, new String(bytes, Long.BYTES, bytes.length - Long.BYTES,
                    StandardCharsets.UTF_8));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
