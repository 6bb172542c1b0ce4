package com.aima.metrics.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real InfluxDB 1.x server ({@code influxd}, Debian's {@code influxdb} package) as a child process with its own
 * configuration, data directory and ports on 127.0.0.1, for the tests and the local run. {@link #stop()} and
 * {@link #start()} stop and start the same server on the same port and data, so a test can take it away in the middle
 * of a stream and bring it back.
 */
public final class InfluxServer implements AutoCloseable {

    /** System property naming the {@code influxd} executable, when it is not on the PATH. */
    public static final String BINARY_PROPERTY = "aima.influxd";
    /** Environment variable naming the {@code influxd} executable, when the property is unset. */
    public static final String BINARY_ENV = "AIMA_INFLUXD";

    private static final Duration READY_POLL = Duration.ofMillis(50);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final Path configFile;
    private final Path logFile;
    private final int httpPort;
    private Process process;

    private InfluxServer(Path binary, Path dir, int httpPort, int rpcPort) {
        this.binary = binary;
        this.dir = dir.toAbsolutePath();
        this.configFile = this.dir.resolve("influxdb.conf");
        this.logFile = this.dir.resolve("influxd.log");
        this.httpPort = httpPort;
        try {
            Files.createDirectories(this.dir);
            Files.writeString(configFile, config(this.dir, httpPort, rpcPort));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the InfluxDB configuration " + configFile + ".", e);
        }
    }

    /**
     * The {@code influxd} executable: {@value #BINARY_PROPERTY}, else {@value #BINARY_ENV}, else the first
     * {@code influxd} on the PATH; empty when there is none.
     */
    public static Optional<Path> locateBinary() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(BINARY_PROPERTY);
        if (property != null) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv(BINARY_ENV);
        if (env != null) {
            candidates.add(Path.of(env));
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "influxd"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts a server keeping its data, configuration and log in {@code dir} and waits until {@code /ping} answers.
     *
     * @param port the HTTP API port on 127.0.0.1, or 0 for a free one
     * @throws IllegalStateException when there is no {@code influxd} (install Debian's {@code influxdb} package), or it
     *                               exits or is not ready within 30 s; the message holds its log tail
     */
    public static InfluxServer start(Path dir, int port) {
        Path binary = locateBinary().orElseThrow(() -> new IllegalStateException("No influxd found on the PATH, in -D"
                + BINARY_PROPERTY + " or in " + BINARY_ENV + ". Install it: apt-get install -y influxdb."));
        InfluxServer server = new InfluxServer(binary, dir, FreePorts.orFree(port), FreePorts.pick());
        server.start();
        return server;
    }

    /**
     * Starts the server again after {@link #stop()}: the same port, configuration and data.
     *
     * @throws IllegalStateException if it is running already, or does not become ready
     */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException("InfluxDB at " + url() + " is running already.");
        }
        try {
            process = new ProcessBuilder(binary.toString(), "-config", configFile.toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary + " -config " + configFile + ".", e);
        }
        try {
            awaitReady();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void awaitReady() {
        ChildProcess.awaitHttp(process, URI.create(url() + "/ping"), 204, READY_TIMEOUT, READY_POLL, "influxd",
                "InfluxDB", url(), logFile);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and keeps its data; {@link #start()} brings it back. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcess.stop(process);
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The HTTP API, for example {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * A configuration of InfluxDB 1.x: every directory under {@code dir}, the HTTP API and the backup RPC service on
     * loopback ports of their own, no usage reporting, no internal monitoring database, no HTTP access log.
     */
    static String config(Path dir, int httpPort, int rpcPort) {
        return """
                reporting-disabled = true
                bind-address = "127.0.0.1:%2$d"

                [meta]
                  dir = "%3$s/meta"

                [data]
                  dir = "%3$s/data"
                  wal-dir = "%3$s/wal"
                  query-log-enabled = false

                [monitor]
                  store-enabled = false

                [http]
                  bind-address = "127.0.0.1:%1$d"
                  log-enabled = false

                [logging]
                  level = "warn"
                """.formatted(httpPort, rpcPort, dir);
    }
}
