package com.aima.metrics.devstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running inside this JVM, with its log in
 * a directory that survives restarts: the directory is formatted on first start only. Listens on 127.0.0.1 only,
 * without TLS or authentication: for the local run and tests, never for production.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final int port;
    private final Path logDir;

    private EmbeddedKafka(KafkaRaftServer server, int port, Path logDir) {
        this.server = server;
        this.port = port;
        this.logDir = logDir;
    }

    /**
     * Formats {@code logDir} if it holds no Kafka log yet, then starts the broker.
     *
     * @param logDir      the broker's log and metadata directory, created when missing
     * @param port        the client port on 127.0.0.1, or 0 for a free one
     * @param extraConfig broker settings that override the defaults, for example {@code num.partitions}
     */
    public static EmbeddedKafka start(Path logDir, int port, Map<String, String> extraConfig) {
        int clientPort = FreePorts.orFree(port);
        int controllerPort = FreePorts.pick();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.putAll(extraConfig);
        KafkaConfig config = new KafkaConfig(props, false);
        formatIfNeeded(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server, clientPort, logDir);
    }

    private static void formatIfNeeded(Path logDir) {
        try {
            Files.createDirectories(logDir);
            if (Files.exists(logDir.resolve("meta.properties"))) {
                return;
            }
            new Formatter()
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka log directory " + logDir + ".", e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops the broker and waits until it has stopped; the log stays on disk. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
