package com.aima.metrics.connect;

import com.aima.metrics.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.function.BiFunction;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What the three sinks' decoders share: a record's value is Confluent wire-format Avro, passed through unchanged by
 * {@code ByteArrayConverter}, and a failure to read it is either the record's fault (a {@link DataException}, for the
 * dead-letter queue) or the schema registry's (a {@link RetriableException}: the record is fine, try again later).
 */
public final class WireFormatRecords {

    /** The only value converter the sinks accept: they decode the wire format themselves. */
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private WireFormatRecords() {
    }

    /**
     * The bytes of {@code record}'s value.
     *
     * @param where         the record as messages name it, see {@link #where(SinkRecord)}
     * @param noValueReason what follows {@code where} in the message for a record without a value, e.g. {@code " has
     *                      no value."}
     * @throws DataException for a record without a value, or with a value that is neither {@code byte[]} nor a
     *                       {@link ByteBuffer}
     */
    public static byte[] valueBytes(SinkRecord record, String where, String noValueReason) {
        Object value = record.value();
        if (value == null) {
            throw new DataException(where + noValueReason);
        }
        if (value instanceof byte[] array) {
            return array;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        throw new DataException(where + " has a value of type " + value.getClass().getName()
                + ", not bytes: the connector needs value.converter=" + BYTE_ARRAY_CONVERTER + ".");
    }

    /**
     * Runs {@code deserializer} on {@code topic} and {@code bytes}.
     *
     * @param where    the record as messages name it, see {@link #where(SinkRecord)}
     * @param notWhat  what follows {@code where} in the message for bytes that cannot be read, e.g. {@code " is not
     *                 readable Avro"}
     * @throws DataException      when the bytes cannot be read (bad header, unknown schema id, corrupt payload)
     * @throws RetriableException when the registry is unreachable or answers with a server error
     */
    public static <T> T deserialize(BiFunction<String, byte[], T> deserializer, String topic, byte[] bytes,
            String where, String notWhat) {
        try {
            return deserializer.apply(topic, bytes);
        } catch (SerializationException e) {
            if (SchemaRegistryException.isRegistryUnavailable(e)) {
                throw new RetriableException("Cannot decode " + where + " now: " + e.getMessage(), e);
            }
            throw new DataException(where + notWhat + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataException(where + notWhat + ": " + e, e);
        }
    }

    /** {@code Record aima.alerts-0@42}: the record's topic, partition and offset as the task sees them. */
    public static String where(SinkRecord record) {
        return "Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    /** {@code Record aima.alerts-0@42}: the record's topic, partition and offset before any transformation. */
    public static String whereOriginal(SinkRecord record) {
        return "Record " + record.originalTopic() + "-" + record.originalKafkaPartition() + "@"
                + record.originalKafkaOffset();
    }
}
