package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.serde.SchemaRegistryException;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads an {@link AlertEvent} from a record's value: Confluent wire-format Avro, passed through unchanged by
 * {@code ByteArrayConverter}, decoded with the project's serde against the schema registry. Distinguishes a record
 * that is not an AlertEvent (a {@link DataException}, for the dead-letter queue) from a registry that cannot be asked
 * right now (a {@link RetriableException}: the record is fine, try again later). Used by one thread.
 */
final class AlertDecoder implements AutoCloseable {

    static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private final SpecificAvroDeserializer<AlertEvent> deserializer;

    AlertDecoder(Map<String, ?> serdeConfig) {
        this.deserializer = new SpecificAvroDeserializer<>(AlertEvent.class);
        deserializer.configure(serdeConfig, false);
    }

    /**
     * @throws DataException      naming topic, partition and offset for a record without a value, with a value that is
     *                            not bytes, or whose bytes are not an AlertEvent (bad header, unknown schema id,
     *                            corrupt payload)
     * @throws RetriableException when the registry is unreachable or answers with a server error
     */
    AlertEvent decode(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            throw new DataException(where(record) + " has no value; an AlertEvent was expected.");
        }
        byte[] bytes;
        if (value instanceof byte[] array) {
            bytes = array;
        } else if (value instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            throw new DataException(where(record) + " has a value of type " + value.getClass().getName()
                    + ", not bytes: the connector needs value.converter=" + BYTE_ARRAY_CONVERTER + ".");
        }
        try {
            return deserializer.deserialize(record.topic(), bytes);
        } catch (SerializationException e) {
            if (registryUnavailable(e)) {
                throw new RetriableException("Cannot decode " + where(record) + " now: " + e.getMessage(), e);
            }
            throw new DataException(where(record) + " is not an AlertEvent: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataException(where(record) + " is not an AlertEvent: " + e, e);
        }
    }

    private static boolean registryUnavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                return registry.httpStatus() == SchemaRegistryException.UNREACHABLE || registry.httpStatus() >= 500;
            }
        }
        return false;
    }

    static String where(SinkRecord record) {
        return "Record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
