package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.connect.WireFormatRecords;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import java.util.Map;
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

    static final String BYTE_ARRAY_CONVERTER = WireFormatRecords.BYTE_ARRAY_CONVERTER;

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
        String where = WireFormatRecords.where(record);
        byte[] bytes = WireFormatRecords.valueBytes(record, where, " has no value; an AlertEvent was expected.");
        return WireFormatRecords.deserialize(deserializer::deserialize, record.topic(), bytes, where,
                " is not an AlertEvent");
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
