package com.aima.metrics.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Avro serde for generated record classes in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary), with subjects by TopicNameStrategy and the configuration keys of Confluent's serde.
 *
 * <p>Why it exists: Confluent's serde ({@code io.confluent:kafka-streams-avro-serde}) is not published to Maven
 * Central, and Apicurio's serdes write the same wire format but only speak Apicurio's own API. This small serde speaks
 * the Confluent REST API, so the pipeline runs unchanged against a Confluent Schema Registry, Apicurio
 * ({@code /apis/ccompat/v7}), Karapace or Redpanda, and its records are readable by Confluent's serde. It is tested
 * against a real Apicurio registry.
 *
 * <p>What it implements: register on first use ({@code auto.register.schemas}, default true) or look up; fetch writer
 * schemas by id; cache both directions; resolve the writer schema against the reader class (schema evolution);
 * basic/bearer auth and TLS; an in-memory registry for {@code mock://<scope>} URLs in tests. Not implemented: other
 * subject name strategies, schema references, Protobuf and JSON Schema.
 *
 * @param <T> the generated record class
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    /** A serde that reads into the class each writer schema names; call {@link #configure} before use. */
    public SpecificAvroSerde() {
        super(new SpecificAvroSerializer<>(), new SpecificAvroDeserializer<>());
    }

    /** A serde that reads into {@code readerClass}; call {@link #configure} before use. */
    public SpecificAvroSerde(Class<T> readerClass) {
        super(new SpecificAvroSerializer<>(), new SpecificAvroDeserializer<>(readerClass));
    }

    /** A configured value serde for {@code readerClass}. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> forValues(Class<T> readerClass,
                                                                           Map<String, ?> config) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(readerClass);
        serde.configure(config, false);
        return serde;
    }
}
