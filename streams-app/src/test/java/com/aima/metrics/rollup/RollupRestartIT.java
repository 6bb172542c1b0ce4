package com.aima.metrics.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.TopicProvisioner;
import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
        kafka.deleteTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, Topics.ALL, 4, (short) 1);
        }
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

        RollupIT.assertAllRollupsMatch(read, expected);
        app.destroy();
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(app.exitValue()).as("exit code after SIGTERM").isZero();
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

    private static long committedRawOffsets(KafkaBroker kafka, String applicationId) throws Exception {
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
