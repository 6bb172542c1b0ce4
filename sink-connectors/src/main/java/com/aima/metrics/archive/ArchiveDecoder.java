package com.aima.metrics.archive;

import com.aima.metrics.connect.WireFormatRecords;
import com.aima.metrics.serde.GenericAvroDeserializer;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
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
        String where = WireFormatRecords.whereOriginal(record);
        byte[] bytes = WireFormatRecords.valueBytes(record, where,
                " has no value (a tombstone); there is nothing to archive.");
        return WireFormatRecords.deserialize(deserializer::deserialize, record.originalTopic(), bytes, where,
                " is not wire-format Avro of a registered schema");
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
