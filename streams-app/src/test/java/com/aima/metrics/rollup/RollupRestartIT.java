package com.aima.metrics.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.streams.StreamsTestSettings;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kills the streams application ({@code kill -9}, a child JVM) in the middle of the stream and starts it again on the
 * same state directory: the final rollups equal those of an uninterrupted run, each emitted once. Exactly-once
 * processing (transactions spanning state, offsets and output) is what makes this hold.
 */
@RealKafkaAndRegistry
class RollupRestartIT {

    /** Under target/, so that the application's logs stay for a look after a failure. */
    private final Path workDir = Path.of("target", "rollup-restart-" + UUID.randomUUID()).toAbsolutePath();

    private Process app;

    @AfterEach
    void stopApp() {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
        }
    }

    @Test
    void aKilledAndRestartedApplicationEmitsEveryRollupOnceAndCorrect(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        StreamsTestSettings.recreateTopics(kafka, 4);
        Workload workload = RollupIT.WORKLOAD;
        Map<Workload.WindowId, List<Double>> expected =
                workload.expectedEndedBy(Instant.now().minus(Duration.ofHours(1)));
        workload.produce(kafka, registry);

        Map<String, Object> settings = RollupIT.appSettings(kafka, registry, workDir.resolve("state"));
        settings.put("max.poll.records", "200");
        String applicationId = (String) settings.get(StreamsConfig.APPLICATION_ID_CONFIG);
        Path config = writeConfig(settings);

        app = startApp(config, "first");
        Awaitility.await("the first hourly rollups").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50))
                .failFast("the application exited", () -> !app.isAlive())
                .until(() -> Workload.countRecords(kafka, Topics.ROLLUPS_HOUR) > 0);
        app.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no commit
        long committed = committedRawOffsets(kafka, applicationId);
        assertThat(committed).as("raw records committed when killed: mid-stream").isLessThan(workload.events.size());

        app = startApp(config, "second");
        Map<Workload.WindowId, List<MetricRollup>> read = Workload.readRollups(kafka, registry, expected.size(),
                Duration.ofMinutes(3));

        assertThat(read.keySet()).as("windows read; diagnostics:%n%s", diagnostics(kafka, expected, read))
                .containsAll(expected.keySet());
        RollupIT.assertAllRollupsMatch(read, expected);
        app.destroy();
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(app.exitValue()).as("exit code after SIGTERM").isZero();
    }

    /** Which windows are missing by tier and raw partition, and the rollup topics' high watermarks and LSOs. */
    private static String diagnostics(KafkaBroker kafka, Map<Workload.WindowId, List<Double>> expected,
                                      Map<Workload.WindowId, List<MetricRollup>> read) throws Exception {
        Map<String, Long> missing = new TreeMap<>();
        for (Workload.WindowId id : expected.keySet()) {
            if (!read.containsKey(id)) {
                int partition = Utils.toPositive(Utils.murmur2(id.series().getBytes(StandardCharsets.UTF_8))) % 4;
                missing.merge(id.tier() + " p" + partition, 1L, Long::sum);
            }
        }
        StringBuilder report = new StringBuilder("missing: " + missing + "\n");
        read.entrySet().stream().filter(e -> e.getKey().tier() == Tier.DAY).limit(5).forEach(e -> report
                .append("read ").append(e.getKey()).append(" -> ").append(e.getValue().stream()
                        .map(r -> "rev " + r.getRevision() + " n=" + r.getCount()).toList()).append('\n'));
        read.keySet().stream().filter(id -> !expected.containsKey(id)).limit(10)
                .forEach(id -> report.append("unexpected ").append(id).append('\n'));
        try (Admin admin = kafka.admin()) {
            for (Tier tier : Tier.values()) {
                var high = Workload.offsets(admin, tier.topic(), OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
                var stable = Workload.offsets(admin, tier.topic(), OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
                high.keySet().stream().sorted(Comparator.comparingInt(TopicPartition::partition))
                        .forEach(tp -> report.append(tp).append(" HW=").append(high.get(tp).offset())
                                .append(" LSO=").append(stable.get(tp).offset()).append('\n'));
            }
            report.append(admin.describeTransactions(admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId).toList()).all().get());
        }
        return report.toString();
    }

    private Path writeConfig(Map<String, Object> settings) throws IOException {
        Files.createDirectories(workDir);
        Properties properties = new Properties();
        settings.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        Path file = workDir.resolve("app.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "RollupRestartIT");
        }
        return file;
    }

    private Process startApp(Path config, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StreamsApp.class.getName(), "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile())
                .start();
    }

    /** The offsets the application committed on the raw topic, summed over its partitions. */
    static long committedRawOffsets(KafkaBroker kafka, String applicationId) throws Exception {
        try (Admin admin = kafka.admin()) {
            ListConsumerGroupOffsetsResult offsets = admin.listConsumerGroupOffsets(applicationId);
            return offsets.partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(entry -> entry.getKey().topic().equals(Topics.METRICS_RAW))
                    .map(Map.Entry::getValue)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }
}
