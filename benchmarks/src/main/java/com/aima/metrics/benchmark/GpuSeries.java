package com.aima.metrics.benchmark;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.SchemaRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Series {@code 0..count-1} of one metric, eight GPUs per node ({@code gpu=i % 8, node=node-(i / 8)}), and one
 * warm-up series after them ({@code gpu=0, node=warm-up}); their samples go out through one producer with
 * {@code acks=all}, idempotence and {@code linger.ms=0}, keyed by {@link SeriesKey} as the collector keys them. Not
 * thread-safe: one thread sends.
 */
final class GpuSeries implements AutoCloseable {

    private static final Source SOURCE = Source.newBuilder().setHost("bench").setCollectorId("bench")
            .setKind(SourceKind.GPU).build();

    private final String metric;
    private final String[] keys;
    private final Map<String, String>[] labels;
    private final KafkaProducer<String, MetricEvent> producer;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

    @SuppressWarnings("unchecked")
    GpuSeries(String metric, int count, KafkaBroker kafka, SchemaRegistry registry) {
        this.metric = metric;
        keys = new String[count + 1];
        labels = new Map[count + 1];
        for (int i = 0; i <= count; i++) {
            labels[i] = i < count ? Map.of("gpu", String.valueOf(i % 8), "node", "node-" + i / 8)
                    : Map.of("gpu", "0", "node", "warm-up");
            keys[i] = SeriesKey.of(metric, labels[i]);
        }
        Map<String, Object> config = kafka.producerConfig();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(config, new StringSerializer(),
                SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig()).serializer());
    }

    /** The series' keys by slot; the warm-up series is the last. */
    String[] keys() {
        return keys.clone();
    }

    /** The warm-up series' slot. */
    int warmUp() {
        return keys.length - 1;
    }

    /**
     * Sends a sample of series {@code slot} to {@code topic}, the record's timestamp the event time.
     *
     * @return the {@link System#nanoTime()} at which the send was called; the record is serialized inside that call
     */
    long send(String topic, int slot, double value, long eventTimeMs) {
        MetricEvent event = new MetricEvent(metric, value, "percent", Instant.ofEpochMilli(eventTimeMs), labels[slot],
                SOURCE);
        long sentNanos = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, null, eventTimeMs, keys[slot], event), (metadata, e) -> {
            if (e != null) {
                sendFailure.compareAndSet(null, e);
            }
        });
        return sentNanos;
    }

    /** The first send that failed, or null. */
    Exception sendFailure() {
        return sendFailure.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
