package com.aima.metrics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.devstack.FreePorts;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Error paths against the real registry: each message names the topic and the id or subject at fault. */
@RealKafkaAndRegistry
class RegistryErrorsIT {

    @Test
    void anUnknownSchemaIdIsNamed(SchemaRegistry registry) {
        String topic = KafkaBroker.uniqueTopic("unknown-id");
        SpecificAvroDeserializer<MetricEvent> deserializer = new SpecificAvroDeserializer<>(MetricEvent.class);
        deserializer.configure(registry.serdeConfig(), false);
        byte[] bytes = ByteBuffer.allocate(8).put((byte) 0).putInt(987_654).putShort((short) 0).array();

        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Schema id 987654")
                .hasMessageContaining("'" + topic + "'")
                .hasMessageContaining(registry.url());
    }

    @Test
    void anUnreachableRegistryIsNamedWithTheSubject() {
        String dead = "http://127.0.0.1:" + FreePorts.pick() + "/apis/ccompat/v7";
        SpecificAvroSerializer<MetricEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, dead,
                AvroSerdeConfig.HTTP_CONNECT_TIMEOUT_MS_CONFIG, 2_000), false);

        assertThatThrownBy(() -> serializer.serialize("t1", TestEvents.gpuUtilization(0, 1, 0)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'t1-value'")
                .hasMessageContaining(dead)
                .hasMessageContaining("unreachable");
    }

    @Test
    void withoutAutoRegistrationTheSerializerFindsTheRegisteredId(SchemaRegistry registry) {
        String topic = KafkaBroker.uniqueTopic("lookup");
        SpecificAvroSerializer<MetricEvent> registering = new SpecificAvroSerializer<>();
        registering.configure(registry.serdeConfig(), false);
        byte[] registered = registering.serialize(topic, TestEvents.gpuUtilization(0, 1, 0));
        Map<String, Object> noAutoRegister = registry.serdeConfig();
        noAutoRegister.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
        SpecificAvroSerializer<MetricEvent> lookingUp = new SpecificAvroSerializer<>();
        lookingUp.configure(noAutoRegister, false);

        byte[] lookedUp = lookingUp.serialize(topic, TestEvents.gpuUtilization(0, 1, 0));

        assertThat(ByteBuffer.wrap(lookedUp, 1, 4).getInt()).isEqualTo(ByteBuffer.wrap(registered, 1, 4).getInt());
        assertThatThrownBy(() -> lookingUp.serialize(KafkaBroker.uniqueTopic("never-registered"),
                TestEvents.gpuUtilization(0, 1, 0)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject")
                .hasMessageContaining(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG);
    }
}
