package com.aima.metrics.collector.publish;

import com.aima.metrics.devstack.FreePorts;
import com.aima.metrics.devstack.KafkaBrokerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;

/**
 * A real Kafka broker in a child JVM ({@link KafkaBrokerMain}), which a test can kill with SIGKILL and start again on
 * the same log directory and client port. Its output goes to {@code broker-<n>.log} in the work directory.
 */
final class ChildKafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir;
    private final int port;
    private Process process;
    private int starts;

    private ChildKafkaBroker(Path workDir, int port) {
        this.workDir = workDir;
        this.port = port;
    }

    /** Starts a broker with a new log directory in {@code workDir} on a free port, and waits until it is ready. */
    static ChildKafkaBroker start(Path workDir) {
        ChildKafkaBroker broker = new ChildKafkaBroker(workDir, FreePorts.pick());
        broker.start();
        return broker;
    }

    /** Starts the broker (again) on its log directory and port, and waits until it is ready. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The broker is running.");
        }
        starts++;
        Path log = workDir.resolve("broker-" + starts + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Files.createDirectories(workDir);
            process = new ProcessBuilder(java.toString(), "-Xmx384m", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), KafkaBrokerMain.class.getName(),
                    workDir.resolve("kafka-log").toString(), String.valueOf(port), "num.partitions=3",
                    // A broker restarted after SIGKILL registers again only once its old session has expired.
                    "broker.heartbeat.interval.ms=500", "broker.session.timeout.ms=1500")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a child Kafka broker.", e);
        }
        Awaitility.await("broker start " + starts + " (log " + log + ")").atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String output = Files.readString(log, StandardCharsets.UTF_8);
                    if (!process.isAlive()) {
                        throw new IllegalStateException("The child broker exited with " + process.exitValue() + ":\n"
                                + output);
                    }
                    return output.contains(KafkaBrokerMain.READY);
                });
    }

    /** SIGKILL: no shutdown hook, no flush, no clean shutdown marker. Waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    void createTopics(int partitions, String... topics) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(topics).stream().map(name -> new NewTopic(name, partitions, (short) 1))
                    .toList()).all().get();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
