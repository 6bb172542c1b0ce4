package com.aima.metrics.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Apicurio Schema Registry (3.0.9, from Maven Central) as a child process, serving the Confluent Schema Registry
 * REST API at {@link #confluentApiUrl()} with BACKWARD compatibility as the global rule. Confluent's own registry is
 * not on Maven Central; Apicurio's compatibility API is what lets tests and the local run use a real registry.
 *
 * <p>The distribution is the {@code apicurio-registry-app-<version>-all.tar.gz} that the {@code devstack} build
 * unpacks into {@code devstack/target/apicurio}; {@link #locateHome()} finds it.
 */
public final class ApicurioRegistry implements AutoCloseable {

    /** System property naming the unpacked distribution directory. */
    public static final String HOME_PROPERTY = "aima.apicurio.home";
    /** Environment variable naming the unpacked distribution directory, when the property is unset. */
    public static final String HOME_ENV = "AIMA_APICURIO_HOME";
    public static final String RUNNER_JAR = "apicurio-registry-app-3.0.9-runner.jar";
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";

    private static final Duration READY_POLL = Duration.ofMillis(100);

    private final Process process;
    private final int port;
    private final Path logFile;

    private ApicurioRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * The unpacked distribution: {@value #HOME_PROPERTY}, else {@value #HOME_ENV}, else {@code devstack/target/apicurio}
     * in the working directory or one of its parents.
     *
     * @throws IllegalStateException naming every place looked at when none holds {@value #RUNNER_JAR}
     */
    public static Path locateHome() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv(HOME_ENV);
        if (env != null) {
            candidates.add(Path.of(env));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("devstack/target/apicurio"));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve(RUNNER_JAR))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No Apicurio registry distribution (" + RUNNER_JAR + ") found in " + candidates
                + ". Build the project first (mvn -DskipTests install unpacks it into devstack/target/apicurio), or set"
                + " -D" + HOME_PROPERTY + " or " + HOME_ENV + ".");
    }

    /**
     * Starts the registry and waits until {@code /health/ready} answers 200.
     *
     * @param home      the unpacked distribution, see {@link #locateHome()}
     * @param port      the HTTP port on 127.0.0.1, or 0 for a free one
     * @param dataDir   directory of its H2 database (kept across restarts), or null for an in-memory database
     * @param logFile   where the registry's output goes
     * @param timeout   how long to wait for readiness
     * @throws IllegalStateException if it exits or is not ready within {@code timeout}; the message holds its log tail
     */
    public static ApicurioRegistry start(Path home, int port, Path dataDir, Path logFile, Duration timeout) {
        int httpPort = FreePorts.orFree(port);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dapicurio.ccompat.use-canonical-hash=true",
                "-Dapicurio.rules.global.compatibility=BACKWARD",
                "-Dapicurio.datasource.jdbc.initial-size=2",
                "-Dapicurio.datasource.jdbc.min-size=2",
                "-Dquarkus.log.level=WARN"));
        if (dataDir != null) {
            command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry"));
        }
        command.addAll(List.of("-jar", home.resolve(RUNNER_JAR).toAbsolutePath().toString()));
        Process process;
        try {
            if (dataDir != null) {
                Files.createDirectories(dataDir);
            }
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Apicurio registry from " + home + ".", e);
        }
        ApicurioRegistry registry = new ApicurioRegistry(process, httpPort, logFile);
        try {
            registry.awaitReady(timeout);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    private void awaitReady(Duration timeout) {
        ChildProcess.awaitHttp(process, URI.create(baseUrl() + "/health/ready"), 200, timeout, READY_POLL,
                "The Apicurio registry", "The Apicurio registry", baseUrl(), logFile);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The Confluent-compatible API, the value for {@code schema.registry.url}. */
    public String confluentApiUrl() {
        return baseUrl() + CONFLUENT_API_PATH;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        ChildProcess.stop(process);
    }
}
