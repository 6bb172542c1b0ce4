package com.aima.metrics.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format (see {@link SpecificAvroSerde} for why this class exists).
 * The writer schema is registered under {@code <topic>-key} or {@code <topic>-value} on first use, or only looked up
 * when {@code auto.register.schemas=false}; its id is cached, so the registry is called once per topic and schema.
 * Thread-safe once configured.
 *
 * @param <T> the generated record class (or a generic record, for tools and tests)
 */
public class SpecificAvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    /** One writer per schema: building a writer resolves the schema, too costly to repeat for every record. */
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;

    public SpecificAvroSerializer() {
    }

    /** A serializer over an existing registry client, for tests and for sharing one client among serdes. */
    public SpecificAvroSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            AvroSerdeConfig config = new AvroSerdeConfig(configs);
            this.registry = SchemaRegistryClients.create(config);
            this.autoRegister = config.autoRegisterSchemas();
        }
    }

    /**
     * @throws SerializationException naming the topic and subject if the schema cannot be registered (incompatible
     *                                with the subject's versions, registry unreachable) or is not registered while
     *                                auto-registration is off
     */
    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroSerializer used before configure().");
        }
        Schema schema = record.getSchema();
        if (record instanceof SpecificRecord) {
            TrustedClasses.trust(record.getClass());
        }
        String subject = Subjects.subject(topic, isKey);
        int id = schemaId(topic, subject, schema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(Integer.BYTES).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " for topic '" + topic + "': "
                    + e.getMessage(), e);
        }
    }

    private int schemaId(String topic, String subject, Schema schema) {
        try {
            return autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            if (e.isIncompatible()) {
                throw new SerializationException("Schema " + schema.getFullName() + " for topic '" + topic
                        + "' is incompatible with the schemas registered under subject '" + subject + "' (HTTP 409): "
                        + e.getMessage(), e);
            }
            if (!autoRegister && e.isNotFound()) {
                throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject '"
                        + subject + "' and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG + " is false: "
                        + e.getMessage(), e);
            }
            throw new SerializationException("Cannot get a schema id for subject '" + subject + "' (topic '" + topic
                    + "'): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
