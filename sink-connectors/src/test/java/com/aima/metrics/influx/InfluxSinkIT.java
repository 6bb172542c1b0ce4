package com.aima.metrics.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.connect.WireFormatRecords;
import com.aima.metrics.devstack.InfluxServer;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.schema.RollupTier;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.testing.ConnectWorker;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.LogCapture;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The InfluxDB sink in a real Connect worker (standalone herder, in this JVM) against the real KRaft broker, Apicurio
 * registry and InfluxDB (Debian's influxd as a child process): real Avro records of every kind in, InfluxQL out. Each
 * test has its own connector, topics and database.
 */
@RealKafkaAndRegistry
class InfluxSinkIT {

    @TempDir
    static Path influxDir;
    private static InfluxServer influx;
    private static ConnectWorker worker;

    private final KafkaBroker kafka;
    private final SchemaRegistry registry;
    private final String connector = KafkaBroker.uniqueTopic("influx");
    private final String rawTopic = KafkaBroker.uniqueTopic("raw");
    private final String rollupTopic = KafkaBroker.uniqueTopic("rollups");
    private final String costTopic = KafkaBroker.uniqueTopic("costs");
    private final String alertTopic = KafkaBroker.uniqueTopic("alerts");
    private final String dlqTopic = KafkaBroker.uniqueTopic("influx-dlq");
    private final String database = "it_" + UUID.randomUUID().toString().replace("-", "");
    private InfluxQueries queries;

    InfluxSinkIT(KafkaBroker kafka, SchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    @BeforeAll
    static void start(KafkaBroker kafka) {
        influx = InfluxServer.start(influxDir, 0);
        worker = ConnectWorker.start(kafka);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (influx != null) {
            influx.close();
        }
    }

    @AfterEach
    void deleteConnector() {
        worker.deleteConnector(connector);
        if (queries != null) {
            queries.close();
        }
    }

    private void createConnector() {
        kafka.createTopics(2, rawTopic, rollupTopic, costTopic, alertTopic);
        queries = new InfluxQueries(influx.url(), database);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", InfluxSinkConnector.class.getName());
        config.put("tasks.max", "2");
        config.put("topics", String.join(",", rawTopic, rollupTopic, costTopic, alertTopic));
        config.put("key.converter", WireFormatRecords.BYTE_ARRAY_CONVERTER);
        config.put("value.converter", WireFormatRecords.BYTE_ARRAY_CONVERTER);
        config.put("schema.registry.url", registry.url());
        config.put(InfluxSinkConfig.URL_CONFIG, influx.url());
        config.put(InfluxSinkConfig.DATABASE_CONFIG, database);
        config.put(InfluxSinkConfig.RETRY_BACKOFF_MS_CONFIG, "500");
        config.put(InfluxSinkConfig.TIMEOUT_MS_CONFIG, "2000");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlqTopic);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        worker.createConnector(connector, config, 2);
    }

    @Test
    void everyKindIsWrittenExactlyAndReadingItAllAgainDoublesNothing() {
        createConnector();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant hour = now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant day = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant month = today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant year = today.withDayOfYear(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
        for (int gpu = 0; gpu < 2; gpu++) {
            for (int i = 0; i < 5; i++) {
                records.add(new ProducerRecord<>(rawTopic, "gpu" + gpu, Records.metric("gpu_utilization_percent",
                        10 * gpu + i, now.minusSeconds(60 - i), Map.of("gpu", Integer.toString(gpu),
                                "node", "gpu-node-1"))));
            }
        }
        Map<String, String> series = Map.of("gpu", "0", "node", "gpu-node-1");
        MetricRollup early = Records.rollup("gpu_utilization_percent", RollupTier.HOUR, hour, hour.plusSeconds(3600),
                series, 0, false);
        records.add(new ProducerRecord<>(rollupTopic, "gpu0", early));
        records.add(new ProducerRecord<>(rollupTopic, "gpu0", MetricRollup.newBuilder(early).setFinal$(true)
                .setCount(5).build()));
        records.add(new ProducerRecord<>(rollupTopic, "gpu0", MetricRollup.newBuilder(early).setFinal$(true)
                .setCount(6).setRevision(1).build()));
        records.add(new ProducerRecord<>(rollupTopic, "gpu0", Records.rollup("gpu_utilization_percent",
                RollupTier.DAY, day, day.plus(1, ChronoUnit.DAYS), series, 0, true)));
        records.add(new ProducerRecord<>(rollupTopic, "gpu0", Records.rollup("gpu_utilization_percent",
                RollupTier.MONTH, month, month.plus(28, ChronoUnit.DAYS), series, 0, true)));
        records.add(new ProducerRecord<>(rollupTopic, "gpu0", Records.rollup("gpu_utilization_percent",
                RollupTier.YEAR, year, year.plus(365, ChronoUnit.DAYS), series, 0, true)));
        records.add(new ProducerRecord<>(costTopic, "GPU-1", Records.deviceHour("GPU-1", hour, 2_150_000)));
        records.add(new ProducerRecord<>(costTopic, "GPU-2", Records.deviceHour("GPU-2", hour, 1_000_000)));
        records.add(new ProducerRecord<>(costTopic, "job-1", Records.job("job-1", hour, 3_500_000)));
        records.add(new ProducerRecord<>(costTopic, "newsroom", Records.cost(CostKind.BUDGET, month,
                month.plus(28, ChronoUnit.DAYS)).setProject("newsroom").setAmountMicros(40_000_000).setRatio(0.4)
                .setLabels(Map.of("budget_period", "month", "budget_micros", "100000000")).build()));
        AlertEvent firing = Records.firing("fp1", now.minusSeconds(600), series);
        records.add(new ProducerRecord<>(alertTopic, "fp1", firing));
        records.add(new ProducerRecord<>(alertTopic, "fp1", Records.resolved(firing, now.minusSeconds(300))));
        produce(records);

        await().until(() -> queries.number("SELECT count(value) FROM alerts.alerts", "count") == 2
                && queries.number("SELECT count(value) FROM raw.gpu_utilization_percent", "count") == 10
                && queries.number("SELECT count(amount) FROM costs.cost_job", "count") == 1
                && committed() == records.size());
        assertEverythingWritten(now, hour, day, month, year);

        // A replay from the start, as after offsets lost or reset: every point is written again over itself.
        worker.stopConnector(connector);
        worker.resetOffsets(connector);
        assertThat(committed()).isZero();
        worker.resumeConnector(connector, 2);
        await().until(() -> committed() == records.size());
        assertEverythingWritten(now, hour, day, month, year);
    }

    private void assertEverythingWritten(Instant now, Instant hour, Instant day, Instant month, Instant year) {
        assertThat(queries.rows("SELECT count(value), sum(value) FROM raw.gpu_utilization_percent GROUP BY gpu"))
                .containsExactly(
                        Map.of("gpu", "0", "time", "1970-01-01T00:00:00Z", "count", 5.0, "sum", 10.0),
                        Map.of("gpu", "1", "time", "1970-01-01T00:00:00Z", "count", 5.0, "sum", 60.0));
        assertThat(queries.rows("SELECT * FROM raw.gpu_utilization_percent WHERE gpu = '1' ORDER BY time DESC"
                + " LIMIT 1")).containsExactly(Map.of("time", now.minusSeconds(56).toString(), "gpu", "1",
                "node", "gpu-node-1", "value", 14.0));

        Map<String, Object> finalHour = new HashMap<>(Map.of("time", hour.toString(), "gpu", "0",
                "node", "gpu-node-1", "count", 6.0, "sum", 250.0, "min", 40.0, "max", 90.0, "avg", 62.5,
                "p50", 60.25));
        finalHour.putAll(Map.of("p95", 89.5, "p99", 90.0, "revision", 1.0, "final", true));
        assertThat(queries.rows("SELECT * FROM rollup_1h.gpu_utilization_percent")).containsExactly(finalHour);
        assertThat(queries.rows("SELECT count(count) FROM rollup_1d.gpu_utilization_percent WHERE time = '" + day
                + "'")).extracting(row -> row.get("count")).containsExactly(1.0);
        assertThat(queries.rows("SELECT count(count) FROM rollup_1mo.gpu_utilization_percent WHERE time = '" + month
                + "'")).extracting(row -> row.get("count")).containsExactly(1.0);
        assertThat(queries.rows("SELECT count(count) FROM rollup_1y.gpu_utilization_percent WHERE time = '" + year
                + "'")).extracting(row -> row.get("count")).containsExactly(1.0);

        assertThat(queries.rows("SELECT gpu_uuid, amount, amount_micros, gpu_seconds, energy_joules FROM"
                + " costs.cost_device_hour")).containsExactlyInAnyOrder(
                Map.of("time", hour.toString(), "gpu_uuid", "GPU-1", "amount", 2.15, "amount_micros", 2150000.0,
                        "gpu_seconds", 1800.0, "energy_joules", 360000.0),
                Map.of("time", hour.toString(), "gpu_uuid", "GPU-2", "amount", 1.0, "amount_micros", 1000000.0,
                        "gpu_seconds", 1800.0, "energy_joules", 360000.0));
        assertThat(queries.rows("SELECT job_id, project, analysis_type, outcome, amount FROM costs.cost_job"))
                .containsExactly(Map.of("time", hour.toString(), "job_id", "job-1", "project", "newsroom",
                        "analysis_type", "VIDEO", "outcome", "COMPLETED", "amount", 3.5));
        assertThat(queries.rows("SELECT project, budget_period, amount, ratio, budget_micros FROM costs.cost_budget"))
                .containsExactly(Map.of("time", month.toString(), "project", "newsroom", "budget_period", "month",
                        "amount", 40.0, "ratio", 0.4, "budget_micros", 1.0E8));

        assertThat(queries.rows("SELECT state, fingerprint, value, threshold, firing, summary FROM alerts.alerts"))
                .containsExactly(
                        Map.of("time", now.minusSeconds(600).toString(), "state", "FIRING", "fingerprint", "fp1",
                                "value", 91.5, "threshold", 85.0, "firing", 1.0,
                                "summary", "GPU 0 on gpu-node-1 is at 91.5 °C"),
                        Map.of("time", now.minusSeconds(300).toString(), "state", "RESOLVED", "fingerprint", "fp1",
                                "value", 70.0, "threshold", 85.0, "firing", 0.0,
                                "summary", "GPU 0 on gpu-node-1 is at 91.5 °C"));

        assertThat(queries.retentionPolicies()).containsExactlyEntriesOf(InfluxQueries.DEFAULT_POLICIES);
    }

    @Test
    void badRecordsReachTheDeadLetterTopicWithTheReasonAndTheRestIsWritten() {
        createConnector();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        produce(List.of(new ProducerRecord<>(rawTopic, "good", Records.metric("good_metric", 1, now, Map.of()))));
        await().until(() -> queries.number("SELECT count(value) FROM raw.good_metric", "count") == 1);
        // Another writer made 'value' of 'typed_metric' an integer in this shard: a float there is refused.
        queries.client().write(BatchPoints.database(database).retentionPolicy("raw").point(Point
                .measurement("typed_metric").time(now.toEpochMilli(), TimeUnit.MILLISECONDS).addField("value", 5L)
                .build()).build());
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        JobEvent job = JobEvent.newBuilder().setEventId("e1").setJobId("job-1").setType(JobEventType.STARTED)
                .setEventTime(now).setProject("newsroom").setAnalysisType(AnalysisType.VIDEO).build();
        kafka.produceBytes(rawTopic, "garbage", garbage);
        produce(List.of(new ProducerRecord<>(rawTopic, "typed", Records.metric("typed_metric", 2.5, now.plusSeconds(1),
                        Map.of())),
                // A producer writing to the wrong topic: the first schema of that subject, so the registry takes it.
                new ProducerRecord<>(alertTopic, "job", job),
                new ProducerRecord<>(rawTopic, "good", Records.metric("good_metric", 2, now.plusSeconds(1),
                        Map.of()))));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = await().until(() -> kafka.readAll(dlqTopic),
                letters -> letters.size() >= 3);
        await().until(() -> queries.number("SELECT count(value) FROM raw.good_metric", "count") == 2);

        assertThat(deadLetters).hasSize(3);
        assertThat(deadLetters).extracting(letter -> KafkaBroker.header(letter, "__connect.errors.exception.message"))
                .anySatisfy(reason -> assertThat(reason).contains("is not readable Avro").contains("magic byte"))
                .anySatisfy(reason -> assertThat(reason).contains("is a com.aima.metrics.schema.JobEvent; the InfluxDB"
                        + " sink writes only MetricEvent, MetricRollup, CostRecord and AlertEvent."))
                .anySatisfy(reason -> assertThat(reason).contains("InfluxDB refused its point in " + database
                        + ".raw: partial write: field type conflict: input field \"value\" on measurement"
                        + " \"typed_metric\" is type float, already exists as type integer"));
        assertThat(deadLetters).extracting(ConsumerRecord::value).contains(garbage);
        assertThat(queries.number("SELECT sum(value) FROM raw.good_metric", "sum")).isEqualTo(3);
        assertThat(queries.number("SELECT count(value) FROM raw.typed_metric", "count")).isEqualTo(1);
        assertThat(worker.status(connector).path("tasks")).allSatisfy(task ->
                assertThat(task.path("state").asText()).isEqualTo("RUNNING"));
    }

    /**
     * InfluxDB goes away in the middle of a stream for 30 s and comes back: nothing is lost, nothing is doubled. With a
     * 500 ms backoff the outage is many failed retries of the same batch while more records arrive, and the task stays
     * RUNNING without committing what is not written.
     */
    @Test
    void anInfluxOutageInTheMiddleOfAStreamLosesAndDoublesNothing() {
        createConnector();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
        int perSeries = 0;
        try (LogCapture log = new LogCapture(InfluxSinkTask.class)) {
            produce(samples(start, 0, 20));
            perSeries += 20;
            await().until(() -> queries.number("SELECT count(value) FROM raw.stream", "count") == 40);

            influx.stop();
            produce(samples(start, 20, 20));
            perSeries += 20;
            await().until(() -> log.containing("cannot be reached").size() >= 2);
            produce(samples(start, 40, 20));
            perSeries += 20;
            int retriesBefore = log.containing("cannot be reached").size();
            await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40))
                    .until(() -> log.containing("cannot be reached").size() >= retriesBefore + 3);
            assertThat(worker.status(connector).path("tasks")).allSatisfy(task ->
                    assertThat(task.path("state").asText()).isEqualTo("RUNNING"));
            assertThat(committed()).isLessThan(2L * perSeries);

            influx.start();
            produce(samples(start, 60, 20));
            perSeries += 20;
            int expected = perSeries;
            await().until(() -> committed() == 2L * expected);
            assertThat(queries.rows("SELECT count(value), sum(value) FROM raw.stream GROUP BY gpu"))
                    .containsExactly(
                            Map.of("gpu", "0", "time", "1970-01-01T00:00:00Z", "count", (double) expected,
                                    "sum", (double) sum(expected)),
                            Map.of("gpu", "1", "time", "1970-01-01T00:00:00Z", "count", (double) expected,
                                    "sum", (double) sum(expected)));
        }
    }

    /** Samples {@code from} .. {@code from + count - 1} of series gpu=0 and gpu=1, one a second, value = index. */
    private List<ProducerRecord<String, SpecificRecord>> samples(Instant start, int from, int count) {
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            for (int gpu = 0; gpu < 2; gpu++) {
                records.add(new ProducerRecord<>(rawTopic, "stream-" + gpu, Records.metric("stream", i,
                        start.plusSeconds(i), Map.of("gpu", Integer.toString(gpu)))));
            }
        }
        return records;
    }

    private static long sum(int count) {
        return (long) count * (count - 1) / 2;
    }

    /** The connector's committed offsets, summed over its partitions. */
    private long committed() {
        return worker.sinkOffsets(connector).values().stream().mapToLong(Long::longValue).sum();
    }

    private void produce(List<ProducerRecord<String, SpecificRecord>> records) {
        SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>();
        serializer.configure(registry.serdeConfig(), false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), serializer)) {
            records.forEach(producer::send);
        }
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions();
    }
}
