package com.aima.metrics.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records into generated Avro classes (see {@link SpecificAvroSerde} for why this class
 * exists). The writer schema is fetched from the registry by the id in the record header (once per id, then cached)
 * and resolved against the reader schema: the class given to the constructor, else {@code specific.avro.key.type} /
 * {@code specific.avro.value.type}, else the generated class the writer schema names. Thread-safe once configured.
 *
 * @param <T> the generated record class
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private Class<T> readerClass;

    public SpecificAvroDeserializer() {
    }

    /** A deserializer into {@code readerClass}; it still needs {@link #configure} for the registry. */
    public SpecificAvroDeserializer(Class<T> readerClass) {
        this.readerClass = readerClass;
    }

    /** A deserializer over an existing registry client; {@code readerClass} may be null (writer's class). */
    public SpecificAvroDeserializer(SchemaRegistryClient registry, Class<T> readerClass) {
        this.registry = registry;
        this.readerClass = readerClass;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            AvroSerdeConfig config = new AvroSerdeConfig(configs);
            this.registry = SchemaRegistryClients.create(config);
            if (readerClass == null) {
                readerClass = (Class<T>) config.specificType(isKey);
            }
        }
    }

    /**
     * @throws SerializationException naming the topic (and the schema id where known) for a record that is too short,
     *                                has another magic byte than 0, carries a schema id the registry does not know,
     *                                cannot be resolved against the reader schema, or whose Avro payload is truncated
     *                                or has trailing bytes; also when the registry cannot be reached
     */
    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroDeserializer used before configure().");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int id = WireFormat.readSchemaId(buffer, topic);
        SpecificDatumReader<T> reader = readersById.computeIfAbsent(id, key -> newReader(topic, key));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new SerializationException(String.format(
                    "Avro payload of a record from topic '%s' (schema id %d, %d bytes) is truncated or corrupt: %s",
                    topic, id, data.length, e), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerializationException(String.format("Record from topic '%s' (schema id %d) has bytes left"
                        + " after its Avro payload: it was not written with that schema.", topic, id));
            }
        } catch (IOException e) {
            throw new SerializationException("Cannot read the end of a record from topic '" + topic + "'.", e);
        }
        return record;
    }

    private SpecificDatumReader<T> newReader(String topic, int id) {
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
        Schema reader = readerSchema(topic, id, writer);
        return new SpecificDatumReader<>(writer, reader);
    }

    private Schema readerSchema(String topic, int id, Schema writer) {
        if (readerClass != null) {
            TrustedClasses.trust(readerClass);
            return SpecificData.get().getSchema(readerClass);
        }
        Class<?> named = SpecificData.get().getClass(writer);
        if (named == null || !SpecificRecord.class.isAssignableFrom(named)) {
            throw new SerializationException("No generated class " + writer.getFullName() + " on the class path to read"
                    + " schema id " + id + " of topic '" + topic + "' into; set "
                    + AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG + " or pass the class.");
        }
        return SpecificData.get().getSchema(named);
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
