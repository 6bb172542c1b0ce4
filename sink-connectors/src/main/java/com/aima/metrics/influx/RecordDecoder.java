package com.aima.metrics.influx;

import com.aima.metrics.connect.WireFormatRecords;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
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
        String where = WireFormatRecords.where(record);
        byte[] bytes = WireFormatRecords.valueBytes(record, where, " has no value.");
        SpecificRecord decoded = WireFormatRecords.deserialize(deserializer::deserialize, record.topic(), bytes, where,
                " is not readable Avro");
        if (!ACCEPTED.contains(decoded.getClass())) {
            throw new DataException(where + " is a " + decoded.getSchema().getFullName() + "; the InfluxDB"
                    + " sink writes only MetricEvent, MetricRollup, CostRecord and AlertEvent.");
        }
        return decoded;
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
