package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.connect.WireFormatRecords;
import com.aima.metrics.devstack.S3Server;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.schema.RollupTier;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.testing.ConnectWorker;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.LogCapture;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archive sink in a real Connect worker (standalone herder, in this JVM) against the real KRaft broker, the
 * Apicurio registry and s3proxy (devstack's S3Server, in this JVM), with records written by the pipeline's own Avro
 * serializer. Each test has its own topics, connectors and buckets.
 */
@RealKafkaAndRegistry
class S3ArchiveSinkIT {

    private static final String BUCKET = "archive";
    private static final long BEFORE_MIDNIGHT = Instant.parse("2026-03-01T23:55:00Z").toEpochMilli();
    private static final long TEN_AM = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
    private static final Pattern KEY = Pattern.compile(".*/([^/]+)\\+(\\d+)\\+(\\d{20})\\.(avro|jsonl\\.gz|csv)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ConnectWorker worker;
    @TempDir
    static Path s3Dir;
    private static S3Server s3Server;
    private static S3Client s3;

    private final KafkaBroker kafka;
    private final SchemaRegistry registry;
    private final List<String> connectors = new ArrayList<>();

    S3ArchiveSinkIT(KafkaBroker kafka, SchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    @BeforeAll
    static void startWorkerAndS3(KafkaBroker kafka) {
        worker = ConnectWorker.start(kafka);
        s3Server = S3Server.start(s3Dir.resolve("main"));
        s3Server.createBucket(BUCKET);
        s3 = s3Server.client();
    }

    @AfterAll
    static void stopWorkerAndS3() {
        if (worker != null) {
            worker.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
    }

    @AfterEach
    void deleteConnectors() {
        connectors.forEach(worker::deleteConnector);
    }

    @Test
    void theWorkerFindsTheConnectorAndValidatesItsKeys() {
        assertThat(worker.connectorPlugins()).contains(S3ArchiveSinkConnector.class.getName());
        Map<String, String> config = connectorConfig("validated", "t", s3Server, BUCKET, "p", Map.of());
        config.put(S3ArchiveSinkConfig.S3_PART_SIZE_CONFIG, "1024");
        config.put(S3ArchiveSinkConfig.FORMAT_CONFIG, "parquet");

        Map<String, List<String>> errors = worker.validate(S3ArchiveSinkConnector.class.getName(), config);

        assertThat(errors).containsOnlyKeys(S3ArchiveSinkConfig.S3_PART_SIZE_CONFIG,
                S3ArchiveSinkConfig.FORMAT_CONFIG);
    }

    @Test
    void everyRecordIsArchivedExactlyOnceInEachFormat() throws IOException {
        String raw = KafkaBroker.uniqueTopic("aima.metrics.raw");
        String rollups = KafkaBroker.uniqueTopic("aima.rollups.1h");
        kafka.createTopics(2, raw);
        kafka.createTopics(1, rollups);
        Map<String, String> settings = Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "5");
        start("avro", raw + "," + rollups, s3Server, BUCKET, "avro", settings);
        start("jsonl", raw + "," + rollups, s3Server, BUCKET, "jsonl", with(settings,
                S3ArchiveSinkConfig.FORMAT_CONFIG, "jsonl", S3ArchiveSinkConfig.COMPRESSION_CONFIG, "gzip"));
        start("csv", raw + "," + rollups, s3Server, BUCKET, "csv", with(settings,
                S3ArchiveSinkConfig.FORMAT_CONFIG, "csv"));

        Map<String, List<String>> expected = new TreeMap<>();
        for (int partition = 0; partition < 2; partition++) {
            List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // five before midnight, five after
                long time = BEFORE_MIDNIGHT + i * 60_000L;
                records.add(new ProducerRecord<>(raw, partition, time, "gpu-" + partition,
                        event(partition * 100 + i, time)));
                expected.computeIfAbsent(raw + "-" + partition, key -> new ArrayList<>())
                        .add(Double.toString(partition * 100 + i));
            }
            produce(records);
        }
        List<ProducerRecord<String, SpecificRecord>> rollupRecords = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long windowStart = TEN_AM - 3_600_000L + i;
            rollupRecords.add(new ProducerRecord<>(rollups, 0, TEN_AM + i, "series", rollup(i, windowStart)));
            expected.computeIfAbsent(rollups + "-0", key -> new ArrayList<>()).add(Long.toString(i));
        }
        produce(rollupRecords);

        for (String prefix : List.of("avro", "jsonl", "csv")) {
            await().until(() -> ArchiveTestSupport.keys(s3, BUCKET, prefix).size() == 6);
            Map<String, byte[]> objects = ArchiveTestSupport.objects(s3, BUCKET, prefix);
            assertThat(objects.keySet()).as(prefix).contains(
                    raw + "/dt=2026-03-01/hour=23/" + raw + "+0+00000000000000000000." + extension(prefix),
                    raw + "/dt=2026-03-02/hour=00/" + raw + "+0+00000000000000000005." + extension(prefix),
                    raw + "/dt=2026-03-02/hour=00/" + raw + "+1+00000000000000000005." + extension(prefix),
                    rollups + "/dt=2026-03-02/hour=10/" + rollups + "+0+00000000000000000005." + extension(prefix));
            assertThat(archived(prefix, objects, rollups, true)).as(prefix).isEqualTo(expected);
            await().until(() -> committed(prefix) == 30);
        }
    }

    @Test
    void anS3OutageAndATaskRestartLeaveTheSameObjectsAsAnUndisturbedRun() {
        String raw = KafkaBroker.uniqueTopic("aima.metrics.raw");
        kafka.createTopics(2, raw);
        try (S3Server flakyServer = S3Server.start(s3Dir.resolve("flaky"));
             S3Client flaky = flakyServer.client();
             LogCapture log = new LogCapture(S3ArchiveSinkTask.class)) {
            flakyServer.createBucket(BUCKET);
            Map<String, String> settings = Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "4",
                    S3ArchiveSinkConfig.S3_RETRY_BACKOFF_MS_CONFIG, "200");
            start("steady", raw, s3Server, BUCKET, "outage", settings);
            String flakyConnector = start("flaky", raw, flakyServer, BUCKET, "outage", settings);

            produce(events(raw, 2, 0, 8));
            await().until(() -> ArchiveTestSupport.keys(flaky, BUCKET, "outage").size() == 4);
            flakyServer.stop();
            produce(events(raw, 2, 8, 16));
            await().until(() -> !log.containing("s3://" + BUCKET + "/outage/" + raw).isEmpty());
            // The task restarts while S3 is down: its buffers are gone, it reads again from the committed offsets.
            worker.restartConnector(flakyConnector, 1);
            produce(events(raw, 2, 16, 20));
            await().until(() -> ArchiveTestSupport.keys(s3, BUCKET, "outage").size() == 10);
            flakyServer.restart();

            Map<String, byte[]> expected = ArchiveTestSupport.objects(s3, BUCKET, "outage");
            await().until(() -> ArchiveTestSupport.keys(flaky, BUCKET, "outage").size() == 10);
            Map<String, byte[]> actual = ArchiveTestSupport.objects(flaky, BUCKET, "outage");
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            expected.forEach((key, bytes) -> assertThat(actual.get(key)).as(key).isEqualTo(bytes));
            await().until(() -> committed("flaky") == 40 && committed("steady") == 40);
            assertThat(worker.status(flakyConnector).path("tasks").get(0).path("state").asText())
                    .isEqualTo("RUNNING");
        }
    }

    @Test
    void aRecordThatIsNotAvroGoesToTheDeadLetterTopicAndTheRestIsArchived() throws IOException {
        String raw = KafkaBroker.uniqueTopic("aima.metrics.raw");
        String dlq = KafkaBroker.uniqueTopic("archive-dlq");
        kafka.createTopics(1, raw);
        Map<String, String> settings = Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "3",
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", dlq,
                "errors.deadletterqueue.topic.replication.factor", "1",
                "errors.deadletterqueue.context.headers.enable", "true");
        String connector = start("dlq", raw, s3Server, BUCKET, "dlq", settings);

        produce(events(raw, 1, 0, 2));
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        kafka.produceBytes(raw, "garbage", garbage);
        produce(events(raw, 1, 2, 6));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = await().until(() -> kafka.readAll(dlq),
                records -> !records.isEmpty());
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(garbage);
            assertThat(KafkaBroker.header(record, "__connect.errors.exception.message"))
                    .contains(raw + "-0@2").contains("magic byte");
        });
        await().until(() -> ArchiveTestSupport.keys(s3, BUCKET, "dlq").size() == 2);
        Map<String, List<String>> archived = archived("avro", ArchiveTestSupport.objects(s3, BUCKET, "dlq"), "none",
                false);
        assertThat(archived.get(raw + "-0")).containsExactly("0.0", "1.0", "2.0", "3.0", "4.0", "5.0");
        await().until(() -> committed("dlq") == 7);
        assertThat(worker.status(connector).path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
    }

    /**
     * The archived records' values ({@code value} of a MetricEvent, {@code count} of a rollup) per topic-partition, in
     * offset order. With {@code contiguous} (no record dead-lettered), asserts on the way that each partition's files
     * follow one another without gap or overlap: a file's start offset is the number of records before it.
     */
    private static Map<String, List<String>> archived(String format, Map<String, byte[]> objects, String rollups,
                                                      boolean contiguous) throws IOException {
        Map<String, TreeMap<Long, List<String>>> byPartition = new TreeMap<>();
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            Matcher key = KEY.matcher(object.getKey());
            assertThat(key.matches()).as(object.getKey()).isTrue();
            String topic = key.group(1);
            String field = topic.equals(rollups) ? "count" : "value";
            byPartition.computeIfAbsent(topic + "-" + key.group(2), k -> new TreeMap<>())
                    .put(Long.parseLong(key.group(3)), values(format, object.getValue(), field));
        }
        Map<String, List<String>> values = new TreeMap<>();
        byPartition.forEach((partition, files) -> {
            List<String> all = new ArrayList<>();
            files.forEach((startOffset, fileValues) -> {
                if (contiguous) {
                    assertThat(startOffset).as(partition + ": each file starts where the one before ended")
                            .isEqualTo(all.size());
                }
                all.addAll(fileValues);
            });
            values.put(partition, all);
        });
        return values;
    }

    private static List<String> values(String format, byte[] bytes, String field) throws IOException {
        List<String> values = new ArrayList<>();
        switch (format) {
            case "avro" -> {
                try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(bytes),
                        new GenericDatumReader<>())) {
                    reader.forEach(record -> values.add(record.get(field).toString()));
                }
            }
            case "jsonl" -> {
                String text = new String(FormatsTest.unzipIf(Compression.GZIP, bytes), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    values.add(JSON.readTree(line).path(field).asText());
                }
            }
            case "csv" -> {
                List<List<String>> rows = FormatsTest.parseCsv(new String(bytes, StandardCharsets.UTF_8));
                int column = rows.get(0).indexOf(field);
                rows.subList(1, rows.size()).forEach(row -> values.add(row.get(column)));
            }
            default -> throw new IllegalArgumentException(format);
        }
        return values;
    }

    private static String extension(String format) {
        return format.equals("jsonl") ? "jsonl.gz" : format;
    }

    private String start(String name, String topics, S3Server server, String bucket, String prefix,
                         Map<String, String> settings) {
        String connector = KafkaBroker.uniqueTopic("archive-" + name);
        worker.createConnector(connector, connectorConfig(connector, topics, server, bucket, prefix, settings), 1);
        connectors.add(connector);
        return connector;
    }

    private Map<String, String> connectorConfig(String name, String topics, S3Server server, String bucket,
                                                String prefix, Map<String, String> settings) {
        Map<String, String> config = new HashMap<>(ArchiveTestSupport.s3Config(server, bucket));
        config.put("name", name);
        config.put("connector.class", S3ArchiveSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topics);
        config.put("key.converter", WireFormatRecords.BYTE_ARRAY_CONVERTER);
        config.put("value.converter", WireFormatRecords.BYTE_ARRAY_CONVERTER);
        config.put(S3ArchiveSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        config.put(S3ArchiveSinkConfig.S3_PREFIX_CONFIG, prefix);
        config.putAll(settings);
        return config;
    }

    private static Map<String, String> with(Map<String, String> settings, String... keysAndValues) {
        Map<String, String> result = new HashMap<>(settings);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            result.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return result;
    }

    /** The committed offsets of the connector whose name contains {@code name}, summed. */
    private long committed(String name) {
        String connector = connectors.stream().filter(candidate -> candidate.contains("archive-" + name + "-"))
                .findFirst().orElseThrow();
        return worker.sinkOffsets(connector).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Events {@code from} until {@code to} in each of {@code partitions} partitions, a second apart from 23:55. */
    private static List<ProducerRecord<String, SpecificRecord>> events(String topic, int partitions, int from,
                                                                       int to) {
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            for (int i = from; i < to; i++) {
                long time = BEFORE_MIDNIGHT + i * 1_000L;
                records.add(new ProducerRecord<>(topic, partition, time, "gpu-" + partition, event(i, time)));
            }
        }
        return records;
    }

    private void produce(List<ProducerRecord<String, SpecificRecord>> records) {
        SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>();
        serializer.configure(registry.serdeConfig(), false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), serializer)) {
            records.forEach(producer::send);
        }
    }

    private static MetricEvent event(double value, long timeMs) {
        return MetricEvent.newBuilder()
                .setName("gpu_utilization_percent")
                .setValue(value)
                .setUnit("percent")
                .setEventTime(Instant.ofEpochMilli(timeMs))
                .setLabels(Map.of("gpu", "0", "node", "gpu-node-1"))
                .setSource(Source.newBuilder().setHost("gpu-node-1").setCollectorId("collector-1")
                        .setKind(SourceKind.GPU).build())
                .build();
    }

    private static MetricRollup rollup(long count, long windowStartMs) {
        return MetricRollup.newBuilder()
                .setName("gpu_utilization_percent")
                .setUnit("percent")
                .setLabels(Map.of("gpu", "0"))
                .setTier(RollupTier.HOUR)
                .setWindowStart(Instant.ofEpochMilli(windowStartMs))
                .setWindowEnd(Instant.ofEpochMilli(windowStartMs + 3_600_000L))
                .setCount(count)
                .setSum(count * 50.0)
                .setMin(10)
                .setMax(90)
                .setAvg(50)
                .setP50(50)
                .setP95(88)
                .setP99(90)
                .setSketch(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .build();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    }
}
