package com.aima.metrics.api;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed behind {@code /alerts/stream}: one consumer per instance reads every partition of
 * {@link Topics#ALERTS} from its end (committed records only, so an alert is pushed once, when it is on the topic)
 * and hands each new {@link AlertEvent} to every subscriber. Each subscriber has a bounded queue; one that falls
 * {@value #QUEUE_CAPACITY} events behind is dropped (its stream ends and the client reconnects), so a slow client
 * never holds up the others. No consumer group: nothing is committed, every instance sees every alert.
 */
final class AlertStream implements AutoCloseable {

    static final int QUEUE_CAPACITY = 1000;
    private static final Logger log = LoggerFactory.getLogger(AlertStream.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<AlertEvent> events;
    private final Set<BlockingQueue<AlertEvent>> subscribers = ConcurrentHashMap.newKeySet();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    AlertStream(Map<String, Object> settings, String bootstrapServers, String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.events = SpecificAvroSerde.forValues(AlertEvent.class, settings).deserializer();
        this.thread = new Thread(this::run, clientId);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until the consumer stands at the topic's end, so that every alert written after this is pushed. */
    boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new subscription; {@link #unsubscribe} it when the client goes. */
    BlockingQueue<AlertEvent> subscribe() {
        BlockingQueue<AlertEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        subscribers.add(queue);
        return queue;
    }

    void unsubscribe(BlockingQueue<AlertEvent> queue) {
        subscribers.remove(queue);
    }

    /** Whether {@code queue} is still subscribed (false once it was dropped for falling behind). */
    boolean subscribed(BlockingQueue<AlertEvent> queue) {
        return subscribers.contains(queue);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ALERTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    publish(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("The alert feed of /alerts/stream stopped.", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void publish(ConsumerRecord<byte[], byte[]> record) {
        AlertEvent event;
        try {
            event = events.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            log.warn("Skipped an undecodable alert at {}-{}@{}.", record.topic(), record.partition(), record.offset(),
                    e);
            return;
        }
        if (event == null) {
            return;
        }
        for (BlockingQueue<AlertEvent> queue : subscribers) {
            if (!queue.offer(event)) {
                subscribers.remove(queue);
                log.warn("Dropped an /alerts/stream client {} alerts behind.", QUEUE_CAPACITY);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
