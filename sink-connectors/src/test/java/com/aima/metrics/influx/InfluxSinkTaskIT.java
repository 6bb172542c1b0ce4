package com.aima.metrics.influx;

import static com.aima.metrics.influx.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.devstack.InfluxServer;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.testing.RecordingSinkTaskContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.influxdb.dto.Point;
import org.influxdb.dto.BatchPoints;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task driven directly, as Connect drives it, against a real InfluxDB (Debian's influxd, {@link InfluxServer}),
 * with the in-memory registry: the database and its policies, refused points, points beyond retention, and an
 * unreachable server. Each test writes its own database.
 */
class InfluxSinkTaskIT {

    @TempDir
    static Path dataDir;
    private static InfluxServer influx;

    private final String scope = "influx-task-" + UUID.randomUUID();
    private final String database = "task_" + UUID.randomUUID().toString().replace("-", "");
    private final SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>();
    private InfluxQueries queries;
    private long offset;

    @BeforeAll
    static void startInflux() {
        influx = InfluxServer.start(dataDir, 0);
    }

    @AfterAll
    static void stopInflux() {
        if (influx != null) {
            influx.close();
        }
    }

    @BeforeEach
    void setUp() {
        serializer.configure(Map.of("schema.registry.url", "mock://" + scope), false);
        queries = new InfluxQueries(influx.url(), database);
    }

    @AfterEach
    void tearDown() {
        serializer.close();
        queries.close();
        MockSchemaRegistry.dropScope(scope);
    }

    private Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put(InfluxSinkConfig.URL_CONFIG, influx.url());
        props.put(InfluxSinkConfig.DATABASE_CONFIG, database);
        props.put(InfluxSinkConfig.RETRY_BACKOFF_MS_CONFIG, "250");
        props.put(InfluxSinkConfig.TIMEOUT_MS_CONFIG, "2000");
        props.put("schema.registry.url", "mock://" + scope);
        return props;
    }

    private InfluxSinkTask start(Map<String, String> props, RecordingSinkTaskContext context) {
        InfluxSinkTask task = new InfluxSinkTask();
        task.initialize(context);
        task.start(props);
        return task;
    }

    private SinkRecord record(String topic, SpecificRecord value) {
        return new SinkRecord(topic, 0, null, null, null, serializer.serialize(topic, value), offset++);
    }

    @Test
    void theDatabaseIsCreatedWithEveryPolicyAndAChangedDurationIsApplied() {
        InfluxSinkTask task = start(props(), new RecordingSinkTaskContext(true));
        task.put(List.of(record("aima.metrics.raw", Records.metric("m", 1, Instant.now(), Map.of()))));
        task.stop();

        assertThat(queries.retentionPolicies()).containsExactlyEntriesOf(InfluxQueries.DEFAULT_POLICIES);

        Map<String, String> changed = props();
        changed.put("influxdb.retention.raw", "48h");
        changed.put("influxdb.retention.rollup_1y", "520w");
        task = start(changed, new RecordingSinkTaskContext(true));
        task.put(List.of(record("aima.metrics.raw", Records.metric("m", 2, Instant.now(), Map.of()))));
        task.stop();

        assertThat(queries.retentionPolicies()).containsEntry("raw", List.of("48h0m0s", true))
                .containsEntry("rollup_1y", List.of("87360h0m0s", false)).hasSize(7);
    }

    @Test
    void aPointInfluxRefusesGoesToTheReporterAndTheRestIsWritten() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(true);
        InfluxSinkTask task = start(props(), context);
        task.put(List.of(record("aima.metrics.raw", Records.metric("conflict", 1, now, Map.of("gpu", "0")))));
        // Another writer made 'value' of measurement 'typed' an integer in this shard: a float there is refused.
        queries.client().write(BatchPoints.database(database).retentionPolicy("raw")
                .point(Point.measurement("typed").time(now.toEpochMilli(), TimeUnit.MILLISECONDS)
                        .addField("value", 5L).build()).build());

        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(record("aima.metrics.raw", Records.metric("good", i, now.plusMillis(i), Map.of("gpu", "0"))));
        }
        SinkRecord refused = record("aima.metrics.raw", Records.metric("typed", 2.5, now.plusSeconds(1), Map.of()));
        batch.add(7, refused);
        SinkRecord garbage = new SinkRecord("aima.metrics.raw", 0, null, null, null,
                "not avro".getBytes(StandardCharsets.UTF_8), offset++);
        batch.add(garbage);
        SinkRecord old = record("aima.metrics.raw", Records.metric("good", 99, now.minus(3, ChronoUnit.DAYS),
                Map.of("gpu", "0")));
        batch.add(old);
        task.put(batch);
        task.stop();

        // Undecodable records are reported while the batch is decoded, refused points after its write.
        assertThat(context.reported()).extracting(RecordingSinkTaskContext.Reported::record)
                .containsExactly(garbage, refused);
        assertThat(context.reported().get(1).error().getMessage())
                .startsWith("Record aima.metrics.raw-0@" + refused.kafkaOffset() + ": InfluxDB refused its point in "
                        + database + ".raw: partial write: field type conflict: input field \"value\" on measurement"
                        + " \"typed\" is type float, already exists as type integer dropped=1");
        assertThat(context.reported().get(0).error().getMessage())
                .startsWith("Record aima.metrics.raw-0@" + garbage.kafkaOffset() + " is not readable Avro");
        assertThat(queries.number("SELECT count(value) FROM raw.good", "count")).isEqualTo(20);
        assertThat(queries.number("SELECT sum(value) FROM raw.good", "sum")).isEqualTo(190);
        assertThat(queries.number("SELECT count(value) FROM raw.typed", "count")).isEqualTo(1);
        // The 3-day-old sample is older than raw keeps: InfluxDB dropped it, and it is not a bad record.
        assertThat(queries.number("SELECT count(value) FROM raw.good WHERE value = 99", "count")).isZero();
    }

    @Test
    void withoutAReporterABadRecordStopsTheTaskNamingIt() {
        InfluxSinkTask task = start(props(), new RecordingSinkTaskContext(false));
        SinkRecord garbage = new SinkRecord("aima.costs", 2, null, null, null, new byte[] {0, 0, 0, 0, 42}, 17);

        assertThatThrownBy(() -> task.put(List.of(garbage))).isExactlyInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Record aima.costs-2@17 is not readable Avro")
                .hasMessageEndingWith("No dead-letter queue is configured (errors.tolerance=all,"
                        + " errors.deadletterqueue.topic.name); stopping.");
        task.stop();
    }

    @Test
    void anUnreachableServerIsRetriedAfterTheBackoff() {
        Map<String, String> props = props();
        props.put(InfluxSinkConfig.URL_CONFIG, "http://127.0.0.1:" + com.aima.metrics.devstack.FreePorts.pick());
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(true);
        InfluxSinkTask task = start(props, context);
        MetricEvent event = Records.metric("m", 1, T0, Map.of());

        assertThatThrownBy(() -> task.put(List.of(record("aima.metrics.raw", event))))
                .isInstanceOf(RetriableException.class).hasMessageContaining("cannot be reached");
        assertThat(context.takeTimeout()).isEqualTo(250);
        task.stop();
    }
}
