package com.aima.metrics.serde;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads Confluent wire-format Avro records of any schema as {@link GenericRecord}s of their writer schema, fetched
 * from the registry by the id in the header (once per id). For tools that handle every topic alike, such as an
 * archive: no generated class is needed and nothing is lost to a reader schema. Values are Avro's generic
 * representation without logical-type conversions: strings are {@link CharSequence}s ({@code Utf8}, or
 * {@code String} where the schema says {@code "avro.java.string": "String"}), a {@code timestamp-millis} is its
 * {@code long}. {@link #deserialize} throws a {@link SerializationException} naming topic and schema id for a record
 * it cannot read, also for a writer schema that is not a record. Thread-safe once configured.
 */
public class GenericAvroDeserializer extends RegistryAvroDeserializer<GenericRecord> {

    /** A deserializer configured by {@link #configure} (the keys of {@link AvroSerdeConfig}). */
    public GenericAvroDeserializer() {
        this(null);
    }

    /** A deserializer over an existing registry client, for tests and for sharing one client among serdes. */
    public GenericAvroDeserializer(SchemaRegistryClient registry) {
        super(registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SchemaRegistryClients.create(new AvroSerdeConfig(configs));
        }
    }

    @Override
    DatumReader<GenericRecord> newReader(String topic, int id, Schema writer) {
        if (writer.getType() != Schema.Type.RECORD) {
            throw new SerializationException("Schema id " + id + " of a record from topic '" + topic + "' is a "
                    + writer.getType() + ", not a record.");
        }
        return new GenericDatumReader<>(writer);
    }
}
