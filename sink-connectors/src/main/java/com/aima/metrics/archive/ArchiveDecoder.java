package com.aima.metrics.archive;

import com.aima.metrics.serde.GenericAvroDeserializer;
import com.aima.metrics.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads a record's value, Confluent wire-format Avro passed through unchanged by {@code ByteArrayConverter}, as a
 * {@link GenericRecord} of its writer schema from the registry. Tells a record that cannot be archived (a
 * {@link DataException}, for the dead-letter queue) from a registry that cannot be asked now (a
 * {@link RetriableException}). Used by one thread.
 */
final class ArchiveDecoder implements AutoCloseable {

    static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private final GenericAvroDeserializer deserializer = new GenericAvroDeserializer();

    ArchiveDecoder(Map<String, ?> serdeConfig) {
        deserializer.configure(serdeConfig, false);
    }

    /**
     * @throws DataException      naming topic, partition and offset for a record without a value (a tombstone), with a
     *                            value that is not bytes, or whose bytes are not wire-format Avro of a known schema
     * @throws RetriableException when the registry is unreachable or answers with a server error
     */
    GenericRecord decode(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            throw new DataException(where(record) + " has no value (a tombstone); there is nothing to archive.");
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
            return deserializer.deserialize(record.originalTopic(), bytes);
        } catch (SerializationException e) {
            if (registryUnavailable(e)) {
                throw new RetriableException("Cannot decode " + where(record) + " now: " + e.getMessage(), e);
            }
            throw new DataException(where(record) + " is not wire-format Avro of a registered schema: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataException(where(record) + " is not wire-format Avro of a registered schema: " + e, e);
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

    /** {@code Record aima.alerts-0@42}. */
    static String where(SinkRecord record) {
        return "Record " + record.originalTopic() + "-" + record.originalKafkaPartition() + "@"
                + record.originalKafkaOffset();
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
