package com.aima.metrics.rollup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One raw sample as the raw-point store keeps it: the value and its unit. The series is the store key and the event
 * time the window timestamp, so neither is repeated here. Serialized as the value (8 bytes, IEEE 754 big-endian)
 * followed by the unit in UTF-8: 12-20 bytes a point instead of the 100+ of the Avro event.
 *
 * @param value the sample's value, finite
 * @param unit  its unit, as in {@code MetricEvent.unit}
 */
public record RawPoint(double value, String unit) {

    /** The serde of the store's values. */
    public static Serde<RawPoint> serde() {
        Serializer<RawPoint> serializer = (topic, point) -> {
            byte[] unit = point.unit().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(Double.BYTES + unit.length).putDouble(point.value()).put(unit).array();
        };
        Deserializer<RawPoint> deserializer = (topic, bytes) -> bytes == null ? null
                : new RawPoint(ByteBuffer.wrap(bytes).getDouble(), new String(bytes, Double.BYTES,
                        bytes.length - Double.BYTES, StandardCharsets.UTF_8));
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
