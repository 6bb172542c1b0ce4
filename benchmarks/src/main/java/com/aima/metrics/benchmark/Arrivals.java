package com.aima.metrics.benchmark;

import com.aima.metrics.testing.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A {@code read_committed} consumer of every partition of one topic, from its beginning, in a thread of its own: it
 * hands each record to a listener with the {@link System#nanoTime()} at which the poll that returned it came back,
 * before anything is decoded. Consumer settings are the client's defaults otherwise (fetch.min.bytes 1,
 * fetch.max.wait.ms 500), as a notification sink would run.
 */
final class Arrivals implements AutoCloseable {

    /** Called in the consumer's thread. */
    interface Listener {
        void arrived(ConsumerRecord<String, byte[]> record, long arrivalNanos);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;

    private Arrivals(KafkaConsumer<String, byte[]> consumer, String topic, Listener listener) {
        this.consumer = consumer;
        this.thread = new Thread(() -> poll(listener), "arrivals-" + topic);
    }

    /** Assigns every partition of {@code topic}, resolves the start positions, and starts polling. */
    static Arrivals start(KafkaBroker kafka, String topic, Listener listener) {
        Map<String, Object> config = kafka.consumerConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
        Arrivals arrivals = new Arrivals(consumer, topic, listener);
        arrivals.thread.start();
        return arrivals;
    }

    private void poll(Listener listener) {
        try {
            while (!closed) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                long arrivalNanos = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    listener.arrived(record, arrivalNanos);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                failure.set(e);
            }
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    /** What stopped the consumer early, or null. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join();
    }
}
