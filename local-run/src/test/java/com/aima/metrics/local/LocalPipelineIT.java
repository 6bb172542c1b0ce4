package com.aima.metrics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.SpecificAvroSerde;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.ArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's local-run command ({@code bin/run-local}) as a process, the way a user does: it starts, prints its
 * banner, accepts a produced MetricEvent end to end, and exits 0 on SIGTERM and on SIGINT. The second start reuses the
 * first one's data directory: the registry still knows the schema and the topic still holds the event, and with
 * {@code --demo-jobs} the cost engine prices the simulated jobs by the shipped sample catalog.
 * (An IT, although it uses no test broker: the command under test starts its own.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A restarted streams app gets its partitions only when the first run's members time out (about 45 s); the first
     * demo job ends within 30 s of the start and is charged about 12 s after the engine has read it.
     */
    private static final Duration FIRST_COST_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern KAFKA = Pattern.compile("^\\s*Kafka\\s+(\\S+)");
    private static final Pattern REGISTRY = Pattern.compile("^\\s*Schema Registry\\s+(\\S+)");
    private static final Pattern COLLECTOR = Pattern.compile("Prometheus (http://\\S+)/metrics");
    private static final Pattern INFLUXDB = Pattern.compile("^\\s*InfluxDB\\s+(http://\\S+)");

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.NEVER)
    static Path dataDir;

    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    @Order(1)
    void startsAcceptsAMetricEventAndStopsOnSigterm() throws Exception {
        // exactly the produced events on the raw topic; archive files closed 2 s after they were opened
        start("--no-collector", "--archive-format", "jsonl", "--archive-interval", "2s");
        String bootstrap = bannerValue(KAFKA);
        String registry = bannerValue(REGISTRY);

        // With --demo-windows the "hour" is one minute: the second event, two minutes later, closes the first's.
        Instant now = Instant.now();
        try (KafkaProducer<String, MetricEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                SpecificAvroSerde.forValues(MetricEvent.class, Map.of("schema.registry.url", registry))
                        .serializer())) {
            // the last one above 85 °C: the default rule gpu_temperature_high fires
            for (MetricEvent event : List.of(temperature("0", now.minus(Duration.ofMinutes(2)), 71),
                    temperature("0", now, 71), temperature("1", now, 90))) {
                producer.send(new ProducerRecord<>(Topics.METRICS_RAW,
                        SeriesKey.of(event.getName(), event.getLabels()), event)).get();
            }
        }

        awaitOutput("the progress line with the produced events", line ->
                line.contains(Topics.METRICS_RAW + ": 3 events") && line.contains("gpu_temperature_celsius")
                        && line.contains("90.0 celsius"));
        awaitOutput("the alert", line -> line.startsWith("[alert FIRING  ] CRITICAL gpu_temperature_high"
                + " gpu_temperature_celsius{gpu=1, node=it-node}") && line.contains("GPU 1 on it-node at 90 "));
        awaitOutput("the closed one-minute rollup", line ->
                line.startsWith("[rollup 1h ] gpu_temperature_celsius{gpu=0, node=it-node}") && line.contains("n=1 ")
                        && line.contains("avg=71.0"));
        checkInfluxDbAndArchive();

        // SIGTERM; unlike Process.destroy(), the handle's destroy() keeps the output stream open.
        process.toHandle().destroy();
        assertStopsWithExitCodeZero();
    }

    @Test
    @Order(2)
    void restartsOnTheSameDataWithTheCollectorAndStopsOnSigint() throws Exception {
        // The alert of the first run reaches the webhook through the notification sink in its Connect worker.
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> posts = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        webhook.createContext("/alerts", exchange -> {
            try (exchange) {
                posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                signatures.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Signature")));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        webhook.start();
        try {
            start("--collector-port", "0", "--demo-jobs", "--webhook-url",
                    "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts", "--webhook-secret", "s3cret");
            Awaitility.await("the first run's alert at the webhook").atMost(Duration.ofSeconds(60))
                    .until(() -> posts.stream().anyMatch(post -> post.contains("gpu_temperature_high")));
            assertThat(signatures).allSatisfy(signature -> assertThat(signature).startsWith("sha256="));
            checkTheCollectorsEvents();
            assertThat(String.join("\n", output)).contains("price catalog", "sample-catalog.yaml", "demo jobs");
            awaitOutput("a demo job's cost", FIRST_COST_TIMEOUT, line -> line.startsWith("[cost job     ] ")
                    && line.contains("/demo-") && line.contains(" on local Simulated NVIDIA L4: ")
                    && line.contains(" EUR for "));
        } finally {
            webhook.stop(0);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertStopsWithExitCodeZero();
    }

    private void checkTheCollectorsEvents() throws Exception {
        String registry = bannerValue(REGISTRY);
        String collector = bannerValue(COLLECTOR);

        HttpResponse<String> subjects = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(registry + "/subjects")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(subjects.body()).as("subjects kept across restarts").contains(Topics.METRICS_RAW + "-value");
        try (KafkaConsumer<byte[], MetricEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bannerValue(KAFKA),
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(),
                SpecificAvroSerde.forValues(MetricEvent.class, Map.of("schema.registry.url", registry))
                        .deserializer())) {
            consumer.subscribe(List.of(Topics.METRICS_RAW));
            List<MetricEvent> events = new ArrayList<>();
            Awaitility.await("the first run's events and the collector's").atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> events.add(record.value()));
                        return events.stream().anyMatch(e -> e.getName().equals("gpu_utilization_percent"))
                                && events.stream().anyMatch(e -> e.getName().equals("host_memory_used_bytes"));
                    });
            assertThat(events).filteredOn(e -> "it-node".equals(e.getLabels().get("node"))).hasSize(3);
            // no GPU on the build machines: the local run simulates them, and says so on every sample
            assertThat(events).filteredOn(e -> e.getName().startsWith("gpu_") && !"it-node".equals(
                    e.getLabels().get("node"))).allSatisfy(e -> assertThat(e.getLabels())
                    .containsEntry("source", "simulator"));
        }
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(collector + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.body()).contains("DCGM_FI_DEV_GPU_UTIL{", "aima_collector_events_sent_total");
    }

    private static MetricEvent temperature(String gpu, Instant time, double celsius) {
        return MetricEvent.newBuilder()
                .setName("gpu_temperature_celsius").setValue(celsius).setUnit("celsius")
                .setEventTime(time)
                .setLabels(Map.of("gpu", gpu, "node", "it-node"))
                .setSource(Source.newBuilder().setHost("it-node").setCollectorId("it").setKind(SourceKind.GPU).build())
                .build();
    }

    /**
     * The InfluxDB sink wrote the raw events and the closed rollup into the influxd the run started, and the archive
     * sink wrote the raw events to the archive directory (gzipped JSON Lines, one line per event).
     */
    private void checkInfluxDbAndArchive() {
        String influx = bannerValue(INFLUXDB);
        Awaitility.await("the raw events and the rollup in InfluxDB").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(influxQuery(influx, "SELECT count(\"value\") FROM \"raw\".\"gpu_temperature_celsius\""))
                            .contains("[\"1970-01-01T00:00:00Z\",3]");
                    assertThat(influxQuery(influx, "SELECT \"count\", \"avg\" FROM \"rollup_1h\"."
                            + "\"gpu_temperature_celsius\" WHERE \"gpu\" = '0'")).contains(",1,71]");
                });
        Path raw = dataDir.resolve("archive/" + LocalSinks.ARCHIVE_BUCKET_DEFAULT + "/aima/" + Topics.METRICS_RAW);
        Awaitility.await("the raw events in the archive").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(archivedLines(raw))
                                .filteredOn(line -> line.contains("\"name\":\"gpu_temperature_celsius\""))
                                .hasSize(3));
    }

    private static String influxQuery(String influx, String query) throws IOException, InterruptedException {
        URI uri = URI.create(influx + "/query?db=aima&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Every line of every {@code .jsonl.gz} file under {@code dir}; none while the directory does not exist. */
    private static List<String> archivedLines(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl.gz")).toList()) {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                    reader.lines().forEach(lines::add);
                }
            }
        }
        return lines;
    }

    private void start(String... extraOptions) throws IOException {
        Path script = Path.of("..", "bin", "run-local").toAbsolutePath().normalize();
        assertThat(script).isExecutable();
        ProcessBuilder builder = new ProcessBuilder(script.toString(),
                "--data-dir", dataDir.toString(),
                "--kafka-port", "0",
                "--api-port", "0",
                "--registry-port", "0",
                "--influxdb-port", "0",
                "--progress-interval", "500ms",
                "--demo-windows")
                .redirectErrorStream(true);
        builder.command().addAll(List.of(extraOptions));
        builder.environment().put("AIMA_SKIP_BUILD", "1");
        builder.environment().put("AIMA_JAVA_OPTS", "-Xmx512m");
        process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "local-run-output");
        reader.setDaemon(true);
        reader.start();
        Awaitility.await("the banner's Ready line").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .failFast("the local run exited early", () -> !process.isAlive())
                .until(() -> output.stream().anyMatch(line -> line.startsWith("Ready.")));
        assertThat(String.join("\n", output)).contains("AIMA Metrics - local pipeline", dataDir.toString(),
                Topics.METRICS_RAW, Topics.JOBS, Topics.ROLLUPS_HOUR, "1h = PT1M", "(demo windows)");
    }

    private String bannerValue(Pattern pattern) {
        for (String line : output) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("No line matching " + pattern + " in the output:\n" + String.join("\n", output));
    }

    private void awaitOutput(String what, Predicate<String> line) {
        awaitOutput(what, Duration.ofSeconds(30), line);
    }

    private void awaitOutput(String what, Duration timeout, Predicate<String> line) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> output.stream().anyMatch(line));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("No " + what + " in the output:\n" + String.join("\n", output), e);
        }
    }

    private void assertStopsWithExitCodeZero() throws InterruptedException {
        assertThat(process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("stopped in time").isTrue();
        assertThat(process.exitValue()).as("exit code; output:\n%s", String.join("\n", output)).isZero();
        awaitOutput("the stopped line", line -> line.contains("AIMA local pipeline stopped."));
        assertThat(Files.exists(dataDir.resolve("kafka/meta.properties"))).isTrue();
    }
}
