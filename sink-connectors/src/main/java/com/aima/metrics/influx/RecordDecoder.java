package com.aima.metrics.influx;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.SchemaRegistryException;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads a record's value, Confluent wire-format Avro passed through unchanged by {@code ByteArrayConverter}, into the
 * generated class its writer schema names, with the project's serde against the schema registry; accepts
 * {@link MetricEvent}, {@link MetricRollup}, {@link CostRecord} and {@link AlertEvent}, whatever the topic. Tells a
 * bad record (a {@link DataException}, for the dead-letter queue) from a registry that cannot be asked right now (a
 * {@link RetriableException}). Used by one thread.
 */
final class RecordDecoder implements AutoCloseable {

    static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private static final Set<Class<?>> ACCEPTED = Set.of(MetricEvent.class, MetricRollup.class, CostRecord.class,
            AlertEvent.class);

    private final SpecificAvroDeserializer<SpecificRecord> deserializer;

    RecordDecoder(Map<String, ?> serdeConfig) {
        this.deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(serdeConfig, false);
    }

    /**
     * @throws DataException      naming topic, partition and offset for a record without a value, with a value that is
     *                            not bytes, whose bytes are not Avro of a known schema id, or whose writer schema is
     *                            none of the four the sink writes
     * @throws RetriableException when the registry is unreachable or answers with a server error
     */
    SpecificRecord decode(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            throw new DataException(where(record) + " has no value.");
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
        SpecificRecord decoded;
        try {
            decoded = deserializer.deserialize(record.topic(), bytes);
        } catch (SerializationException e) {
            if (registryUnavailable(e)) {
                throw new RetriableException("Cannot decode " + where(record) + " now: " + e.getMessage(), e);
            }
            throw new DataException(where(record) + " is not readable Avro: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataException(where(record) + " is not readable Avro: " + e, e);
        }
        if (!ACCEPTED.contains(decoded.getClass())) {
            throw new DataException(where(record) + " is a " + decoded.getSchema().getFullName() + "; the InfluxDB"
                    + " sink writes only MetricEvent, MetricRollup, CostRecord and AlertEvent.");
        }
        return decoded;
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
