package com.aima.metrics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.schema.MetricEvent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading any topic's records with their writer schema, against the in-memory registry. */
class GenericAvroDeserializerTest {

    private static final String SCOPE = "generic-serde-test";
    private static final String TOPIC = "aima.metrics.raw";
    private static final Map<String, Object> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, AvroSerdeConfig.MOCK_URL_PREFIX + SCOPE);

    private final GenericAvroDeserializer deserializer = new GenericAvroDeserializer();

    @AfterEach
    void tearDown() {
        deserializer.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void readsAGeneratedRecordWithItsWriterSchema() {
        MetricEvent event = TestEvents.gpuUtilization(3, 87.5, 1_000);
        byte[] bytes = serialize(event);
        deserializer.configure(CONFIG, false);

        GenericRecord record = deserializer.deserialize(TOPIC, bytes);

        assertThat(record.getSchema()).isEqualTo(MetricEvent.getClassSchema());
        assertThat(record.get("name")).hasToString("gpu_utilization_percent");
        assertThat(record.get("value")).isEqualTo(87.5);
        assertThat(record.get("eventTime")).as("timestamp-millis stays a long")
                .isEqualTo(TestEvents.T0.toEpochMilli() + 1_000);
        assertThat(((Map<?, ?>) record.get("labels")).toString()).contains("gpu=3");
        assertThat(((GenericRecord) record.get("source")).get("kind").toString()).isEqualTo("GPU");
    }

    @Test
    void nullIsATombstone() {
        deserializer.configure(CONFIG, false);
        assertThat(deserializer.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void badBytesNameTheTopicAndTheSchemaId() {
        byte[] bytes = serialize(TestEvents.gpuUtilization(0, 1, 0));
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        deserializer.configure(CONFIG, false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "not avro".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'").hasMessageContaining("schema id " + id);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, Arrays.copyOf(bytes, bytes.length + 2)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("bytes left");
        byte[] unknown = ByteBuffer.allocate(6).put((byte) 0).putInt(999_999).put((byte) 2).array();
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, unknown))
                .isInstanceOf(SerializationException.class).hasMessageContaining("999999").hasMessageContaining("unknown");
    }

    @Test
    void aSchemaThatIsNotARecordIsRefused() {
        int id = MockSchemaRegistry.forScope(SCOPE).register("plain-value", Schema.create(Schema.Type.STRING));
        byte[] bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(id).put((byte) 2).put((byte) 'a').array();
        deserializer.configure(CONFIG, false);

        assertThatThrownBy(() -> deserializer.deserialize("plain", Arrays.copyOf(bytes, 7)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("not a record");
    }

    private static byte[] serialize(MetricEvent event) {
        try (SpecificAvroSerializer<MetricEvent> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(CONFIG, false);
            return serializer.serialize(TOPIC, event);
        }
    }
}
