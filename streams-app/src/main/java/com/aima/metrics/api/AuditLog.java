package com.aima.metrics.api;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.AuditEvent;
import com.aima.metrics.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one {@link AuditEvent} per API request to {@link Topics#AUDIT}, keyed by the caller's subject (seed 004
 * section 7.2). Sends are asynchronous (a request never waits for the broker) and idempotent with {@code acks=all};
 * a send that still fails after the producer's retries (2 min delivery time-out) is logged with the event.
 * Thread-safe.
 */
final class AuditLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Producer<String, AuditEvent> producer;

    AuditLog(Producer<String, AuditEvent> producer) {
        this.producer = producer;
    }

    /** A producer to the brokers in {@code settings}, with the serde settings there. */
    static AuditLog create(Map<String, Object> settings, String bootstrapServers, String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        SpecificAvroSerde<AuditEvent> serde = SpecificAvroSerde.forValues(AuditEvent.class, settings);
        return new AuditLog(new KafkaProducer<>(config, new StringSerializer(), serde.serializer()));
    }

    void record(AuditEvent event) {
        try {
            producer.send(new ProducerRecord<>(Topics.AUDIT, null, event.getTime().toEpochMilli(),
                    event.getSubject(), event), (metadata, error) -> {
                        if (error != null) {
                            log.error("Could not write an audit event to {}: {}", Topics.AUDIT, event, error);
                        }
                    });
        } catch (RuntimeException e) {
            log.error("Could not write an audit event to {}: {}", Topics.AUDIT, event, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
