package com.aima.metrics.rollup;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.SchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A deterministic stream of raw events over many series and hours, its independently computed rollups, and a reader
 * of the rollup topics, for the integration tests on the real broker.
 */
final class Workload {

    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    /** One window of one series in one tier. */
    record WindowId(Tier tier, String series, Instant start) {
    }

    final int series;
    final int eventsPerSeries;
    final Duration span;
    final List<MetricEvent> events = new ArrayList<>();

    Workload(int series, int eventsPerSeries, Duration span) {
        this.series = series;
        this.eventsPerSeries = eventsPerSeries;
        this.span = span;
        Random random = new Random(2026);
        long stepMs = span.toMillis() / eventsPerSeries;
        for (int j = 0; j < eventsPerSeries; j++) {
            for (int i = 0; i < series; i++) {
                Instant time = START.plusMillis(j * stepMs + (i * 997L) % stepMs);
                double value = Math.round(random.nextDouble() * random.nextDouble() * 100_000) / 1000.0 + 0.5;
                events.add(RollupHarness.event(name(i), Map.of("gpu", String.valueOf(i % 8),
                        "node", "node-" + i / 8), time, value));
            }
        }
    }

    private static String name(int series) {
        return List.of("gpu_utilization_percent", "gpu_memory_used_bytes", "gpu_temperature_celsius",
                "gpu_power_watts").get(series % 4);
    }

    /** Produces every event to the raw topic, keyed by series, and waits until all are acknowledged. */
    void produce(KafkaBroker kafka, SchemaRegistry registry) throws Exception {
        Map<String, Object> config = kafka.producerConfig();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<String, MetricEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig()).serializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
            for (MetricEvent event : events) {
                sends.add(producer.send(new ProducerRecord<>(Topics.METRICS_RAW, null,
                        event.getEventTime().toEpochMilli(), SeriesKey.of(event.getName(), event.getLabels()),
                        event)));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        }
    }

    private static void collect(KafkaConsumer<String, MetricRollup> consumer,
                                Map<WindowId, List<MetricRollup>> read) {
        for (ConsumerRecord<String, MetricRollup> record : consumer.poll(Duration.ofMillis(500))) {
            MetricRollup rollup = record.value();
            read.computeIfAbsent(new WindowId(Tier.valueOf(rollup.getTier().name()), record.key(),
                    rollup.getWindowStart()), k -> new ArrayList<>()).add(rollup);
        }
    }

    /** Committed records on {@code topic} right now (transaction markers included: a test compares with zero). */
    static long countRecords(KafkaBroker kafka, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            return sum(offsets(admin, topic, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED))
                    - sum(offsets(admin, topic, OffsetSpec.earliest(), IsolationLevel.READ_COMMITTED));
        }
    }

    /** The offsets {@code spec} names on every partition of {@code topic}, seen with {@code isolation}. */
    static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(Admin admin, String topic,
                                                                               OffsetSpec spec,
                                                                               IsolationLevel isolation)
            throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return admin.listOffsets(specs(partitions, spec), new ListOffsetsOptions(isolation)).all().get();
    }

    private static Map<TopicPartition, OffsetSpec> specs(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(partition -> specs.put(partition, spec));
        return specs;
    }

    private static long sum(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets) {
        return offsets.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    /**
     * The values of every window of every tier that has ended by {@code now} (the current year's window has not),
     * computed with java.time, not with the code under test.
     */
    Map<WindowId, List<Double>> expectedEndedBy(Instant now) {
        Map<WindowId, List<Double>> windows = expected();
        windows.keySet().removeIf(id -> !end(id).isBefore(now));
        return windows;
    }

    private static Instant end(WindowId id) {
        ZonedDateTime start = id.start().atZone(ZoneOffset.UTC);
        ZonedDateTime end = switch (id.tier()) {
            case HOUR -> start.plusHours(1);
            case DAY -> start.plusDays(1);
            case MONTH -> start.plusMonths(1);
            case YEAR -> start.plusYears(1);
        };
        return end.toInstant();
    }

    /** The values of every window of every tier, computed with java.time, not with the code under test. */
    Map<WindowId, List<Double>> expected() {
        Map<WindowId, List<Double>> windows = new HashMap<>();
        for (MetricEvent event : events) {
            String key = SeriesKey.of(event.getName(), event.getLabels());
            ZonedDateTime t = event.getEventTime().atZone(ZoneOffset.UTC);
            Stream.of(new WindowId(Tier.HOUR, key, t.truncatedTo(ChronoUnit.HOURS).toInstant()),
                            new WindowId(Tier.DAY, key, t.truncatedTo(ChronoUnit.DAYS).toInstant()),
                            new WindowId(Tier.MONTH, key, t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant()),
                            new WindowId(Tier.YEAR, key, t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1).toInstant()))
                    .forEach(id -> windows.computeIfAbsent(id, k -> new ArrayList<>()).add(event.getValue()));
        }
        return windows;
    }

    /**
     * Reads the committed rollups of every tier until {@code expectedWindows} distinct windows arrived or the time-out
     * passed; returns every record read per window, in order.
     */
    static Map<WindowId, List<MetricRollup>> readRollups(KafkaBroker kafka, SchemaRegistry registry,
                                                         int expectedWindows, Duration timeout) {
        Map<String, Object> config = kafka.consumerConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Map<WindowId, List<MetricRollup>> read = new HashMap<>();
        try (KafkaConsumer<String, MetricRollup> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                SpecificAvroSerde.forValues(MetricRollup.class, registry.serdeConfig()).deserializer())) {
            consumer.subscribe(Stream.of(Tier.values()).map(Tier::topic).toList());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (read.size() < expectedWindows && System.nanoTime() < deadline) {
                collect(consumer, read);
            }
            // a little more, to catch duplicates that would follow the last expected window
            for (int i = 0; i < 3; i++) {
                collect(consumer, read);
            }
        }
        return read;
    }
}
