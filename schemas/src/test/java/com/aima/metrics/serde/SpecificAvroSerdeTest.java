package com.aima.metrics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serde's contract against the in-memory registry ({@code mock://}); the real registry is covered by the ITs. */
class SpecificAvroSerdeTest {

    private static final String SCOPE = "serde-test";
    private static final String TOPIC = "aima.metrics.raw";

    private SpecificAvroSerde<MetricEvent> serde;

    @BeforeEach
    void setUp() {
        serde = SpecificAvroSerde.forValues(MetricEvent.class, config());
    }

    @AfterEach
    void tearDown() {
        serde.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }

    private static Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, AvroSerdeConfig.MOCK_URL_PREFIX + SCOPE);
        return config;
    }

    @Test
    void roundTripsAndWritesTheConfluentHeader() {
        MetricEvent event = TestEvents.gpuUtilization(0, 87.5, 0);

        byte[] bytes = serde.serializer().serialize(TOPIC, event);

        assertThat(bytes[0]).isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(MockSchemaRegistry.forScope(SCOPE).schemaById(id)).isEqualTo(MetricEvent.getClassSchema());
        assertThat(MockSchemaRegistry.forScope(SCOPE).lookup(TOPIC + "-value", MetricEvent.getClassSchema()))
                .isEqualTo(id);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void keysUseTheKeySubject() {
        SpecificAvroSerializer<MetricEvent> keySerializer = new SpecificAvroSerializer<>();
        keySerializer.configure(config(), true);

        keySerializer.serialize(TOPIC, TestEvents.gpuUtilization(0, 1, 0));

        assertThat(MockSchemaRegistry.forScope(SCOPE).lookup(TOPIC + "-key", MetricEvent.getClassSchema()))
                .isPositive();
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void readsIntoTheClassTheWriterSchemaNamesWhenNoneIsGiven() {
        SpecificAvroDeserializer<JobEvent> deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(config(), false);
        SpecificAvroSerializer<MetricEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config(), false);

        Object read = deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, TestEvents.gpuUtilization(1, 2, 3)));

        assertThat(read).isInstanceOf(MetricEvent.class);
    }

    @Test
    void rejectsAWrongMagicByteNamingTheTopic() {
        byte[] bytes = serde.serializer().serialize(TOPIC, TestEvents.gpuUtilization(0, 1, 0));
        bytes[0] = 7;

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 0x07")
                .hasMessageContaining("'" + TOPIC + "'");
    }

    @Test
    void rejectsARecordShorterThanTheHeader() {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes long")
                .hasMessageContaining("'" + TOPIC + "'");
    }

    @Test
    void rejectsAnUnknownSchemaIdNamingTopicAndId() {
        byte[] bytes = ByteBuffer.allocate(6).put((byte) 0).putInt(4711).put((byte) 2).array();

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Schema id 4711")
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("unknown");
    }

    @Test
    void rejectsATruncatedPayloadNamingTopicAndId() {
        byte[] bytes = serde.serializer().serialize(TOPIC, TestEvents.gpuUtilization(0, 1, 0));
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated or corrupt")
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("'" + TOPIC + "'");
    }

    @Test
    void rejectsTrailingBytesAfterThePayload() {
        byte[] bytes = serde.serializer().serialize(TOPIC, TestEvents.gpuUtilization(0, 1, 0));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes left");
    }

    @Test
    void anIncompatibleSchemaIsRefusedAndTheErrorSaysSo() {
        serde.serializer().serialize(TOPIC, TestEvents.gpuUtilization(0, 1, 0));
        Schema incompatible = SchemaBuilder.record("MetricEvent").namespace("com.aima.metrics.schema").fields()
                .requiredString("name").requiredString("value").endRecord();
        GenericData.Record record = new GenericData.Record(incompatible);
        record.put("name", "x");
        record.put("value", "not a number");
        SpecificAvroSerializer<GenericData.Record> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config(), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("incompatible")
                .hasMessageContaining("'" + TOPIC + "-value'");
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsAnError() {
        Map<String, Object> config = config();
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
        SpecificAvroSerializer<MetricEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config, false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, TestEvents.gpuUtilization(0, 1, 0)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject '" + TOPIC + "-value'")
                .hasMessageContaining(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    @Test
    void withoutAutoRegistrationARegisteredSchemaIsLookedUp() {
        int id = MockSchemaRegistry.forScope(SCOPE).register(TOPIC + "-value", MetricEvent.getClassSchema());
        Map<String, Object> config = config();
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
        SpecificAvroSerializer<MetricEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config, false);

        byte[] bytes = serializer.serialize(TOPIC, TestEvents.gpuUtilization(0, 1, 0));

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG);
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "ftp://x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG)
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://localhost:8081",
                AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, "RecordNameStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG)
                .hasMessageContaining("RecordNameStrategy");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://localhost:8081",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG);
    }
}
