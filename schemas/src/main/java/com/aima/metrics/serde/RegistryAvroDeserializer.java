package com.aima.metrics.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What {@link SpecificAvroDeserializer} and {@link GenericAvroDeserializer} share: reading the Confluent wire-format
 * header, fetching the writer schema by its id from the registry (once per id; the reader built for it is cached),
 * decoding the Avro payload and turning every failure into a {@link SerializationException} that names the topic and
 * the schema id. A subclass only says which reader a writer schema gets. Thread-safe once configured.
 *
 * @param <T> the type records are read as
 */
abstract class RegistryAvroDeserializer<T> implements Deserializer<T> {

    private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();
    /** Set by the constructor or by the subclass's {@link #configure}; null until then. */
    SchemaRegistryClient registry;

    RegistryAvroDeserializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /**
     * The reader of records written with {@code writer}, registered as {@code id}, called once per id.
     *
     * @throws SerializationException naming {@code topic} and {@code id} when such records cannot be read
     */
    abstract DatumReader<T> newReader(String topic, int id, Schema writer);

    /**
     * @throws SerializationException naming the topic (and the schema id where known) for a record that is too short,
     *                                has another magic byte than 0, carries a schema id the registry does not know or
     *                                that {@link #newReader} refuses, or whose Avro payload is truncated or has
     *                                trailing bytes; also when the registry cannot be reached (its
     *                                {@link SchemaRegistryException} is the cause)
     */
    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " used before configure().");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int id = WireFormat.readSchemaId(buffer, topic);
        DatumReader<T> reader = readersById.computeIfAbsent(id, key -> newReader(topic, key, writerSchema(topic, key)));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
        try {
            T record = reader.read(null, decoder);
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

    private Schema writerSchema(String topic, int id) {
        try {
            return registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("Schema id " + id + " of a record from topic '" + topic
                        + "' is unknown to the schema registry at " + registry.location() + ": " + e.getMessage(), e);
            }
            throw new SerializationException("Cannot fetch schema id " + id + " for a record from topic '" + topic
                    + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
