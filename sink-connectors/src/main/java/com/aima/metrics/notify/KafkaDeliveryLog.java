package com.aima.metrics.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "delivered" marks in a compacted topic ({@value NotificationSinkConfig#DEDUP_TOPIC_CONFIG}): key = the
 * notification's de-duplication key, value = the delivery time in milliseconds since the epoch, as decimal text. The
 * topic is created when missing with one partition, {@code cleanup.policy=compact,delete} and the configured
 * retention; an existing topic is used as it is. Written with an idempotent {@code acks=all} producer; read from the
 * beginning to the end with an unsubscribed consumer (no group). Not thread-safe apart from the producer's callbacks.
 */
final class KafkaDeliveryLog implements DeliveryLog {

    private static final Logger log = LoggerFactory.getLogger(KafkaDeliveryLog.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final KafkaProducer<String, String> producer;

    private KafkaDeliveryLog(String topic, Map<String, Object> clientConfig) {
        this.topic = topic;
        this.clientConfig = clientConfig;
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    }

    /**
     * Creates the topic of {@code config} when missing and opens a log on it.
     *
     * @throws ConnectException naming the topic when it cannot be created or checked
     */
    static KafkaDeliveryLog open(NotificationSinkConfig config) {
        Map<String, Object> clientConfig = config.dedupClientConfig();
        clientConfig.putIfAbsent("client.id", "aima-notify-dedup-" + config.originals().getOrDefault("name", "task"));
        ensureTopic(config, clientConfig);
        return new KafkaDeliveryLog(config.dedupTopic(), clientConfig);
    }

    private static void ensureTopic(NotificationSinkConfig config, Map<String, Object> clientConfig) {
        String topic = config.dedupTopic();
        short replication = config.dedupReplicationFactor();
        NewTopic newTopic = new NewTopic(topic, Optional.of(1),
                replication == -1 ? Optional.empty() : Optional.of(replication))
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.dedupRetentionMs())));
        try (Admin admin = Admin.create(clientConfig)) {
            if (admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(List.of(newTopic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created the de-duplication topic '{}' (cleanup.policy=compact,delete, retention.ms={}).", topic,
                    config.dedupRetentionMs());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new ConnectException("Cannot create the de-duplication topic '" + topic + "' ("
                        + NotificationSinkConfig.DEDUP_TOPIC_CONFIG + "): " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new ConnectException("Timed out after " + ADMIN_TIMEOUT + " checking the de-duplication topic '"
                    + topic + "' at " + clientConfig.get("bootstrap.servers") + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while checking the de-duplication topic '" + topic + "'.", e);
        }
    }

    @Override
    public Map<String, Long> readAll() {
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put("client.id", clientConfig.get("client.id") + "-reader");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Long> marks = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new ConnectException("Could not read the de-duplication topic '" + topic + "' to its end"
                            + " within " + READ_TIMEOUT + ".");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    read(record, marks);
                }
            }
        }
        return marks;
    }

    private void read(ConsumerRecord<String, String> record, Map<String, Long> marks) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            marks.remove(record.key());
            return;
        }
        try {
            marks.put(record.key(), Long.parseLong(record.value()));
        } catch (NumberFormatException e) {
            // Not written by this sink; remember the delivery anyway, as of the record's time.
            marks.put(record.key(), record.timestamp());
        }
    }

    @Override
    public void append(String key, long deliveredAtMs, Consumer<Exception> onComplete) {
        try {
            producer.send(new ProducerRecord<>(topic, null, deliveredAtMs, key, Long.toString(deliveredAtMs)),
                    (metadata, exception) -> onComplete.accept(exception));
        } catch (RuntimeException e) {
            onComplete.accept(e);
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
