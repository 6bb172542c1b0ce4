package com.aima.metrics.benchmark;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.TopicProvisioner;
import com.aima.metrics.Topics;
import com.aima.metrics.rollup.RollupConfig;
import com.aima.metrics.rollup.Tier;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Rollup throughput against a baseline measured in the same run, on a real broker and registry in this JVM:
 * (a) a bare consumer that only reads and Avro-decodes the raw topic, (b) the production rollup topology with
 * exactly-once processing over the same topic from the start. Prints both rates, their ratio, the largest relative
 * error of p95 against the exact value over every hourly window, and the state bytes per active series.
 */
@Command(name = "rollups", mixinStandardHelpOptions = true,
        description = "Benchmarks the rollup topology against a bare Avro-decoding consumer.")
public final class RollupBenchmark implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "2000000", description = "Raw events to produce. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(names = "--series", defaultValue = "10000", description = "Series they spread over. Default: ${DEFAULT-VALUE}.")
    int series;

    @Option(names = "--interval", defaultValue = "PT10S",
            description = "Time between two samples of one series, ISO-8601. Default: 10 s, the spec's interval for GPU"
                    + " utilization and memory (seed 004, section 2.1).")
    Duration interval;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the raw topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--streams-baseline",
            description = "Also measure (c): an exactly-once Kafka Streams app that only decodes each record, the"
                    + " framework's ceiling for any topology on this machine.")
    boolean streamsBaseline;

    @Option(names = "--no-raw-store",
            description = "Run the topology without the REST API's 24 h raw-point store (rollup.raw.store.enabled"
                    + "=false), to measure what that store costs per event.")
    boolean noRawStore;

    @Option(names = "--commit-interval-ms", defaultValue = "1000",
            description = "Kafka Streams commit interval. Default: ${DEFAULT-VALUE} (the application's default).")
    int commitIntervalMs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RollupBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int perSeries = Math.max(1, events / series);
        int total = perSeries * series;
        long stepMs = interval.toMillis();
        int hours = (int) Math.ceil((double) perSeries * stepMs / Duration.ofHours(1).toMillis());
        // Hours that lie in the past, so that every hourly window closes, and within the last 24 h, so that the
        // raw-point store keeps every point (it keeps none older: RawPoints.keeps).
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours + 1L));
        if (hours + 1 > 23 && !noRawStore) {
            System.out.printf("Note: %d hours of events reach back more than 24 h; the raw-point store keeps only the"
                    + " last 24 h of them.%n", hours);
        }
        double[] values = new double[total];
        SplittableRandom random = new SplittableRandom(1);
        for (int k = 0; k < total; k++) {
            values[k] = Math.round(random.nextDouble() * random.nextDouble() * 100_000) / 1000.0 + 0.5;
        }
        System.out.printf("Rollup benchmark: %,d events over %,d series (%d each, one every %d s, %d hour(s)),"
                + " %d partitions, %d stream thread(s), raw-point store %s%n", total, series, perSeries, stepMs / 1000,
                hours, partitions, threads, noRawStore ? "off" : "on");
        Path stateDir = Files.createTempDirectory("rollup-benchmark");
        try (KafkaBroker kafka = KafkaBroker.start(); SchemaRegistry registry = SchemaRegistry.start()) {
            try (Admin admin = kafka.admin()) {
                TopicProvisioner.ensure(admin, Topics.ALL, partitions, (short) 1);
            }
            long produceStart = System.nanoTime();
            produce(kafka, registry, start, stepMs, perSeries, values);
            double produceSeconds = seconds(produceStart);
            System.out.printf("  produced               %,12d events in %6.1f s  (%,.0f events/s)%n", total,
                    produceSeconds, total / produceSeconds);

            double bareSeconds = consumeAll(kafka, registry, total);
            double bareRate = total / bareSeconds;
            System.out.printf("  (a) bare Avro consumer %,12d events in %6.1f s  (%,.0f events/s)%n", total,
                    bareSeconds, bareRate);

            if (streamsBaseline) {
                double decodeOnlyRate = decodeOnlyStreams(kafka, registry, stateDir, total);
                System.out.printf("  (c) decode-only streams %,11d events/s (exactly-once):"
                        + " ratio (c)/(a) %.2f%n", (long) decodeOnlyRate, decodeOnlyRate / bareRate);
            }

            Map<String, Object> settings = new HashMap<>(registry.serdeConfig());
            settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "rollup-benchmark");
            settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
            settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(commitIntervalMs));
            settings.put(RollupConfig.IDLE_TIMEOUT_CONFIG, "PT30S");
            settings.put(RollupConfig.PUNCTUATE_INTERVAL_CONFIG, "PT1S");
            settings.put(RollupConfig.RAW_STORE_ENABLED_CONFIG, String.valueOf(!noRawStore));
            settings.put(AlertConfig.ENABLED_CONFIG, "false"); // the rollups alone
            settings.put(CostConfig.ENABLED_CONFIG, "false");
            try (StreamsApp.Running app = StreamsApp.start(settings)) {
                long streamsStart = awaitRunning(app.rollups());
                awaitCommitted(kafka, "rollup-benchmark", total);
                double streamsSeconds = seconds(streamsStart);
                double streamsRate = total / streamsSeconds;
                System.out.printf("  (b) rollup topology    %,12d events in %6.1f s  (%,.0f events/s, exactly-once)%n",
                        total, streamsSeconds, streamsRate);
                System.out.printf("  ratio (b)/(a)          %12.2f   (target >= 0.5)%n", streamsRate / bareRate);
                double maxError = maxP95Error(kafka, registry, start, stepMs, perSeries, values, hours);
                System.out.printf("  p95 max relative error %12.4f %%  over every hourly window (sketch accuracy"
                        + " %.1f %%)%n", maxError * 100, RollupConfig.SKETCH_RELATIVE_ACCURACY_DEFAULT * 100);
            }
        }
        return 0;
    }

    private void produce(KafkaBroker kafka, SchemaRegistry registry, Instant start, long stepMs, int perSeries,
                         double[] values) throws Exception {
        Map<String, Object> config = kafka.producerConfig();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        String[] keys = new String[series];
        List<Map<String, String>> labels = new java.util.ArrayList<>(series);
        Source source = Source.newBuilder().setHost("bench").setCollectorId("bench").setKind(SourceKind.GPU).build();
        for (int i = 0; i < series; i++) {
            labels.add(Map.of("gpu", String.valueOf(i % 8), "node", "node-" + i / 8));
            keys[i] = SeriesKey.of("gpu_utilization_percent", labels.get(i));
        }
        try (KafkaProducer<String, MetricEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig()).serializer())) {
            for (int j = 0; j < perSeries; j++) {
                for (int i = 0; i < series; i++) {
                    Instant time = start.plusMillis(j * stepMs + (i * 997L) % stepMs);
                    MetricEvent event = new MetricEvent("gpu_utilization_percent", values[j * series + i],
                            "percent", time, labels.get(i), source);
                    producer.send(new ProducerRecord<>(Topics.METRICS_RAW, null, time.toEpochMilli(), keys[i],
                            event));
                }
            }
            producer.flush();
        }
    }

    /** Reads and decodes {@code total} records; returns the seconds from the first record to the last. */
    private static double consumeAll(KafkaBroker kafka, SchemaRegistry registry, int total) {
        Map<String, Object> config = kafka.consumerConfig();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        try (KafkaConsumer<String, MetricEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig()).deserializer())) {
            consumer.subscribe(List.of(Topics.METRICS_RAW));
            long read = 0;
            double checksum = 0;
            long first = 0;
            while (read < total) {
                for (ConsumerRecord<String, MetricEvent> record : consumer.poll(Duration.ofMillis(500))) {
                    if (read == 0) {
                        first = System.nanoTime();
                    }
                    checksum += record.value().getValue();
                    read++;
                }
            }
            if (Double.isNaN(checksum)) {
                throw new IllegalStateException("unreachable: keeps the decode from being optimised away");
            }
            return seconds(first);
        }
    }

    /** Waits until {@code streams} runs (assignment done) and returns that moment, in nanos. */
    private static long awaitRunning(KafkaStreams streams) throws InterruptedException {
        while (streams.state() != KafkaStreams.State.RUNNING) {
            Thread.sleep(10); // a benchmark's progress poll, not a test wait
        }
        return System.nanoTime();
    }

    private double decodeOnlyStreams(KafkaBroker kafka, SchemaRegistry registry, Path stateDir, int total)
            throws Exception {
        Map<String, Object> serde = registry.serdeConfig();
        Topology topology = new Topology();
        topology.addSource("raw", new StringDeserializer(),
                SpecificAvroSerde.forValues(MetricEvent.class, serde).deserializer(), Topics.METRICS_RAW);
        topology.addProcessor("decode-only", () -> new Processor<String, MetricEvent, Void, Void>() {
            private double checksum;

            @Override
            public void process(Record<String, MetricEvent> record) {
                checksum += record.value().getValue();
            }
        }, "raw");
        Properties properties = StreamsApp.streamsProperties(Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                StreamsConfig.APPLICATION_ID_CONFIG, "decode-only-benchmark",
                StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("decode-only").toString(),
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads),
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(commitIntervalMs)));
        properties.put("auto.offset.reset", "earliest");
        try (KafkaStreams streams = new KafkaStreams(topology, properties)) {
            streams.start();
            long start = awaitRunning(streams);
            awaitCommitted(kafka, "decode-only-benchmark", total);
            return total / seconds(start);
        }
    }

    private static void awaitCommitted(KafkaBroker kafka, String groupId, long total) throws Exception {
        try (Admin admin = kafka.admin()) {
            while (true) {
                long committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                        .entrySet().stream().filter(e -> e.getKey().topic().equals(Topics.METRICS_RAW))
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed >= total) {
                    return;
                }
                Thread.sleep(50); // a benchmark's progress poll, not a test wait
            }
        }
    }

    /** Reads every hourly rollup and returns the largest relative error of its p95 against the exact value. */
    private double maxP95Error(KafkaBroker kafka, SchemaRegistry registry, Instant start, long stepMs,
                               int perSeries, double[] values, int hours) {
        Map<String, Integer> seriesIndex = new HashMap<>();
        for (int i = 0; i < series; i++) {
            seriesIndex.put(SeriesKey.of("gpu_utilization_percent",
                    Map.of("gpu", String.valueOf(i % 8), "node", "node-" + i / 8)), i);
        }
        Map<String, Object> config = kafka.consumerConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int expectedWindows = series * hours;
        double maxError = 0;
        int windows = 0;
        long rollupBytes = 0;
        var rollups = SpecificAvroSerde.forValues(MetricRollup.class, registry.serdeConfig()).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Tier.HOUR.topic()));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (windows < expectedWindows && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    int i = seriesIndex.get(record.key());
                    MetricRollup rollup = rollups.deserialize(record.topic(), record.value());
                    rollupBytes += record.value().length + record.key().length() + Long.BYTES;
                    long windowStart = rollup.getWindowStart().toEpochMilli();
                    double[] inWindow = Stream.iterate(0, j -> j < perSeries, j -> j + 1)
                            .filter(j -> {
                                long t = start.toEpochMilli() + j * stepMs + (i * 997L) % stepMs;
                                return t >= windowStart && t < windowStart + 3_600_000;
                            })
                            .mapToDouble(j -> values[j * series + i]).sorted().toArray();
                    double exact = inWindow[(int) Math.floor(0.95 * (inWindow.length - 1))];
                    maxError = Math.max(maxError, Math.abs(rollup.getP95() - exact) / exact);
                    windows++;
                }
            }
        }
        System.out.printf("  hourly windows checked %,12d of %,d%n", windows, expectedWindows);
        // The open-window state of a series is one window per tier, each stored as a MetricRollup like these.
        System.out.printf("  state per active series %,11.0f bytes  (4 open windows, one per tier, of %,.0f bytes each:"
                + " the serialized hourly rollups)%n", 4 * (double) rollupBytes / windows, (double) rollupBytes / windows);
        return maxError;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
