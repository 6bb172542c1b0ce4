package com.aima.metrics.streams;

import com.aima.metrics.serde.SpecificAvroDeserializer;
import com.aima.metrics.testing.KafkaBroker;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Consumers of the applications' output topics as a downstream reader sees them: {@code read_committed}. */
public final class TestConsumers {

    private TestConsumers() {
    }

    /** A consumer of {@code topic}'s Avro values of {@code type}, subscribed, from the earliest offset. */
    public static <T extends SpecificRecord> KafkaConsumer<String, T> avro(KafkaBroker kafka,
                                                                         Map<String, Object> serde, Class<T> type,
                                                                         String topic) {
        SpecificAvroDeserializer<T> values = new SpecificAvroDeserializer<>(type);
        values.configure(serde, false);
        return subscribed(kafka, values, topic);
    }

    /** A consumer of {@code topic} with {@code values}, subscribed, from the earliest offset. */
    public static <T> KafkaConsumer<String, T> subscribed(KafkaBroker kafka, Deserializer<T> values, String topic) {
        Map<String, Object> config = kafka.consumerConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
