package com.aima.metrics.serde;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads Confluent wire-format records into generated Avro classes (see {@link SpecificAvroSerde} for why this class
 * exists). The writer schema is fetched from the registry by the id in the record header (once per id, then cached)
 * and resolved against the reader schema: the class given to the constructor, else {@code specific.avro.key.type} /
 * {@code specific.avro.value.type}, else the generated class the writer schema names. {@link #deserialize} throws a
 * {@link SerializationException} naming topic and schema id for a record it cannot read, also for a writer schema
 * that cannot be resolved against the reader schema. Thread-safe once configured.
 *
 * @param <T> the generated record class
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> extends RegistryAvroDeserializer<T> {

    private Class<T> readerClass;

    public SpecificAvroDeserializer() {
        this(null, null);
    }

    /** A deserializer into {@code readerClass}; it still needs {@link #configure} for the registry. */
    public SpecificAvroDeserializer(Class<T> readerClass) {
        this(null, readerClass);
    }

    /** A deserializer over an existing registry client; {@code readerClass} may be null (writer's class). */
    public SpecificAvroDeserializer(SchemaRegistryClient registry, Class<T> readerClass) {
        super(registry);
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

    @Override
    DatumReader<T> newReader(String topic, int id, Schema writer) {
        return new SpecificDatumReader<>(writer, readerSchema(topic, id, writer));
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
}
