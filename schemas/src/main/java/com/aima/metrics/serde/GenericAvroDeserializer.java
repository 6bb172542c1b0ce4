package com.aima.metrics.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro records of any schema as {@link GenericRecord}s of their writer schema, fetched
 * from the registry by the id in the header (once per id). For tools that handle every topic alike, such as an
 * archive: no generated class is needed and nothing is lost to a reader schema. Values are Avro's generic
 * representation without logical-type conversions: strings are {@link CharSequence}s ({@code Utf8}, or
 * {@code String} where the schema says {@code "avro.java.string": "String"}), a {@code timestamp-millis} is its
 * {@code long}. Thread-safe once configured.
 */
public class GenericAvroDeserializer implements Deserializer<GenericRecord> {

    private final Map<Integer, GenericDatumReader<GenericRecord>> readersById = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;

    /** A deserializer configured by {@link #configure} (the keys of {@link AvroSerdeConfig}). */
    public GenericAvroDeserializer() {
    }

    /** A deserializer over an existing registry client, for tests and for sharing one client among serdes. */
    public GenericAvroDeserializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SchemaRegistryClients.create(new AvroSerdeConfig(configs));
        }
    }

    /**
     * @throws SerializationException naming the topic (and the schema id where known) for a record that is too short,
     *                                has another magic byte than 0, carries a schema id the registry does not know or
     *                                whose schema is not a record, or whose Avro payload is truncated or has trailing
     *                                bytes; also when the registry cannot be reached (its
     *                                {@link SchemaRegistryException} is the cause)
     */
    @Override
    public GenericRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("GenericAvroDeserializer used before configure().");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int id = WireFormat.readSchemaId(buffer, topic);
        GenericDatumReader<GenericRecord> reader = readersById.computeIfAbsent(id, key -> newReader(topic, key));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
        try {
            GenericRecord record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException(String.format("Record from topic '%s' (schema id %d) has bytes left"
                        + " after its Avro payload: it was not written with that schema.", topic, id));
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException e) {
            throw new SerializationException(String.format(
                    "Avro payload of a record from topic '%s' (schema id %d, %d bytes) is truncated or corrupt: %s",
                    topic, id, data.length, e), e);
        }
    }

    private GenericDatumReader<GenericRecord> newReader(String topic, int id) {
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("Schema id " + id + " of a record from topic '" + topic
                        + "' is unknown to the schema registry at " + registry.location() + ": " + e.getMessage(), e);
            }
            throw new SerializationException("Cannot fetch schema id " + id + " for a record from topic '" + topic
                    + "': " + e.getMessage(), e);
        }
        if (writer.getType() != Schema.Type.RECORD) {
            throw new SerializationException("Schema id " + id + " of a record from topic '" + topic + "' is a "
                    + writer.getType() + ", not a record.");
        }
        return new GenericDatumReader<>(writer);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
