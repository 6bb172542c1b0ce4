package com.aima.metrics.local;

import com.aima.metrics.Durations;
import com.aima.metrics.StopSignals;
import com.aima.metrics.TopicProvisioner;
import com.aima.metrics.collector.Collector;
import com.aima.metrics.collector.CollectorMain;
import com.aima.metrics.collector.config.CollectorConfig;
import com.aima.metrics.collector.config.ConfigLoader;
import com.aima.metrics.collector.publish.KafkaPublisher;
import com.aima.metrics.Topics;
import com.aima.metrics.api.ApiConfig;
import com.aima.metrics.api.ApiServer;
import com.aima.metrics.devstack.ApicurioRegistry;
import com.aima.metrics.devstack.EmbeddedKafka;
import com.aima.metrics.rollup.RollupConfig;
import com.aima.metrics.rollup.Tier;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.alert.AlertRules;
import com.aima.metrics.cost.PriceCatalog;
import com.aima.metrics.devstack.EmbeddedConnect;
import com.aima.metrics.devstack.InfluxServer;
import com.aima.metrics.devstack.S3Server;
import com.aima.metrics.streams.StreamsApp;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole pipeline on one machine with no external services: an embedded Kafka broker, the Schema Registry (Apicurio)
 * and every pipeline part that exists so far, all with their data under one directory. Prints what runs where, shows
 * live progress and stops cleanly, exit code 0, on SIGINT (Ctrl-C) or SIGTERM.
 */
@Command(name = "run-local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the AIMA metrics pipeline locally: embedded Kafka, the Schema Registry and the pipeline.")
public final class LocalPipeline implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);
    /** Environment variable with the password of {@code --influxdb-user}: a password on the command line is public. */
    static final String INFLUXDB_PASSWORD_ENV = "AIMA_INFLUXDB_PASSWORD";
    private static final Duration REGISTRY_START_TIMEOUT = Duration.ofSeconds(90);

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "aima-data",
            description = "Directory for all data (Kafka log, registry database, logs); kept across runs."
                    + " Default: ${DEFAULT-VALUE} in the working directory.")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka client port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Schema Registry port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(names = "--collector-port", paramLabel = "PORT", defaultValue = "4318",
            description = "The collector's HTTP port (OTLP /v1/metrics, /v1/jobs, /metrics); 0 picks a free one."
                    + " Default: ${DEFAULT-VALUE}.")
    int collectorPort;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the metrics REST API on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int apiPort;

    @Option(names = "--no-api", description = "Do not serve the REST API.")
    boolean noApi;

    /** The API's address and the development token of this run, for the banner; null without the API. */
    private String apiUrl;
    private String apiToken;

    @Option(names = "--no-collector", description = "Do not run the collector (host metrics and simulated GPUs).")
    boolean noCollector;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of each topic the run creates. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "PT5S",
            converter = DurationConverter.class,
            description = "How often progress is printed, as ISO-8601 (PT5S) or 5s, 500ms. Default: 5s.")
    Duration progressInterval;

    @Option(names = "--demo-windows",
            description = "Short rollup windows for demos: 1h -> 1 min, 1d -> 5 min, 1mo -> 15 min, 1y -> 1 h,"
                    + " each with 10 s grace and a 30 s idle timeout; job costs written 10 s after a job ends"
                    + " (not 5 min). Default: the spec's hour, day, month, year.")
    boolean demoWindows;

    @Option(names = "--alert-rules", paramLabel = "FILE",
            description = "YAML alert rules, read again when the file changes. Default: the shipped rules of the spec"
                    + " (seed 004 section 5.3.2).")
    Path alertRules;

    @Option(names = "--webhook-url", paramLabel = "URL",
            description = "Deliver every alert to this URL as signed JSON (the notification sink in an embedded Kafka"
                    + " Connect worker). Default: alerts are only printed.")
    URI webhookUrl;

    @Option(names = "--webhook-secret", paramLabel = "SECRET", defaultValue = "aima-local",
            description = "Key of the webhook's X-Signature (HMAC-SHA256 of the body). Default: ${DEFAULT-VALUE}.")
    String webhookSecret;

    @Option(names = "--price-catalog", paramLabel = "FILE",
            description = "YAML price catalog and budgets the cost engine charges by (docs/price-catalog.md)."
                    + " Default: the shipped sample catalog, copied to the data dir as " + LocalCosts.SAMPLE_FILE
                    + " on each start.")
    Path priceCatalog;

    @Option(names = "--demo-jobs",
            description = "Simulate a worker: start a job on a simulated GPU every 20 s (10 s with --demo-windows)"
                    + " for the projects newsroom and archive, so that job costs appear. Default: off.")
    boolean demoJobs;

    @Option(names = "--influxdb-url", paramLabel = "URL",
            description = "Write raw metrics, rollups, costs and alerts to this InfluxDB (1.x API; 2.x through a DBRP"
                    + " mapping) with the InfluxDB sink. Default: start influxd when it is on the PATH, with its data"
                    + " in the data dir.")
    URI influxdbUrl;

    @Option(names = "--influxdb-user", paramLabel = "USER",
            description = "User for --influxdb-url; the password comes from the environment variable "
                    + INFLUXDB_PASSWORD_ENV + ".")
    String influxdbUser;

    @Option(names = "--influxdb-port", paramLabel = "PORT", defaultValue = "8086",
            description = "Port of the influxd the run starts when no --influxdb-url is given; 0 picks a free one."
                    + " Default: ${DEFAULT-VALUE}.")
    int influxdbPort;

    @Option(names = "--no-influxdb", description = "Write nothing to InfluxDB.")
    boolean noInfluxdb;

    @Option(names = "--archive-dir", paramLabel = "DIR",
            description = "Archive every Avro topic into this directory, through a local S3 server (s3proxy) and the"
                    + " S3 archive sink; files appear under DIR/" + LocalSinks.ARCHIVE_BUCKET_DEFAULT + "/aima/<topic>/."
                    + " Default: archive in the data dir.")
    Path archiveDir;

    @Option(names = "--archive-s3-endpoint", paramLabel = "URL",
            description = "Archive to this S3 endpoint instead (path-style; credentials from the AWS SDK's default"
                    + " chain, for example AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).")
    URI archiveEndpoint;

    @Option(names = "--archive-bucket", paramLabel = "NAME", defaultValue = LocalSinks.ARCHIVE_BUCKET_DEFAULT,
            description = "Bucket of --archive-s3-endpoint (it must exist). Default: ${DEFAULT-VALUE}.")
    String archiveBucket;

    @Option(names = "--archive-region", paramLabel = "REGION", defaultValue = S3Server.REGION,
            description = "Region --archive-s3-endpoint signs for. Default: ${DEFAULT-VALUE}.")
    String archiveRegion;

    @Option(names = "--archive-format", paramLabel = "FORMAT", defaultValue = "avro",
            description = "Archive file format: avro, jsonl or csv (gzip-compressed). Default: ${DEFAULT-VALUE}.")
    String archiveFormat;

    @Option(names = "--archive-interval", paramLabel = "DURATION", defaultValue = "PT1M",
            converter = DurationConverter.class,
            description = "An archive file is closed and uploaded at the latest this long after it was opened, so that"
                    + " quiet topics are archived too. Default: 1m.")
    Duration archiveInterval;

    @Option(names = "--no-archive", description = "Archive nothing.")
    boolean noArchive;

    @Option(names = "--apicurio-home", paramLabel = "DIR",
            description = "Unpacked Apicurio registry distribution. Default: found next to the build.")
    Path apicurioHome;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    LocalPipeline(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        ApiServer.enableTcpNoDelay(); // before the collector's HTTP server, the first of this JVM
        LocalPipeline pipeline = new LocalPipeline(System.out);
        int exitCode = new CommandLine(pipeline).execute(args);
        System.exit(exitCode);
    }

    @Override
    public Integer call() throws Exception {
        requireValidOptions();
        CountDownLatch stopRequested = StopSignals.install();
        Path data = dataDir.toAbsolutePath().normalize();
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            Path home = apicurioHome != null ? apicurioHome : ApicurioRegistry.locateHome();
            out.println("Starting the AIMA metrics pipeline in " + data + " ...");
            LocalCosts costs = LocalCosts.prepare(priceCatalog, data);
            RegistryProcesses.stopStale(data.resolve("registry"));
            EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), kafkaPort,
                    Map.of("num.partitions", String.valueOf(partitions)));
            running.push(kafka);
            ApicurioRegistry registry = ApicurioRegistry.start(home, registryPort, data.resolve("registry"),
                    data.resolve("logs/registry.log"), REGISTRY_START_TIMEOUT);
            running.push(registry);
            RegistryProcesses.remember(data.resolve("registry"), registry.pid());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, Topics.ALL, partitions, (short) 1);
            }
            // The summary takes JOB and BUDGET records from the cost monitor, budget use from the raw topic.
            CostSummary summary = new CostSummary();
            RawMetricsMonitor monitor = RawMetricsMonitor.start(kafka.bootstrapServers(), registry.confluentApiUrl(),
                    progressInterval, out, summary::add);
            running.push(monitor);
            running.push(CostMonitor.start(kafka.bootstrapServers(), registry.confluentApiUrl(), summary,
                    progressInterval, out));
            running.push(TopicPrinter.rollups(kafka.bootstrapServers(), registry.confluentApiUrl(), out));
            running.push(TopicPrinter.alerts(kafka.bootstrapServers(), registry.confluentApiUrl(), out));
            StreamsApp.Running streamsApp = StreamsApp.start(streamsSettings(data, kafka, registry, costs));
            running.push(streamsApp);
            if (streamsApp.api() != null) {
                apiUrl = "http://127.0.0.1:" + streamsApp.api().port();
            }
            String influxdb = influxdb(data, running);
            URI archive = archive(data, running);
            EmbeddedConnect connect = null;
            if (webhookUrl != null || influxdb != null || archive != null) {
                Files.createDirectories(data.resolve("connect"));
                connect = EmbeddedConnect.start(kafka.bootstrapServers(), data.resolve("connect/offsets.dat"),
                        Map.of());
                running.push(connect);
                startSinks(connect, kafka, registry, influxdb, archive);
            }

            Collector collector = null;
            CollectorConfig collectorConfig = collectorConfig(data, kafka, registry);
            if (!noCollector) {
                KafkaPublisher publisher = CollectorMain.publisher(collectorConfig);
                running.push(publisher);
                collector = Collector.start(collectorConfig, publisher);
                running.push(collector);
                CollectorMain.registerHealth(collector.prometheus(), publisher);
            }

            printBanner(data, kafka, registry, collector, connect, costs, influxdb, archive);
            if (demoJobs) { // after the banner: the first job starts, and prints, at once
                running.push(DemoJobs.start(kafka.bootstrapServers(), registry.confluentApiUrl(), costs.catalog(),
                        demoTiming(), collectorConfig.gpu().simulatedGpus(), collectorConfig.node(), out));
            }
            stopRequested.await();
            out.println("Stopping ...");
            return 0;
        } finally {
            closeAll(running);
            out.println("AIMA local pipeline stopped.");
        }
    }

    /** The collector of this node: real host metrics, NVML if there is a GPU, simulated GPUs otherwise. */
    private CollectorConfig collectorConfig(Path data, EmbeddedKafka kafka, ApicurioRegistry registry) {
        return ConfigLoader.load(null, Map.of(
                "AIMA_COLLECTOR_STATE_DIR", data.resolve("collector").toString(),
                "AIMA_COLLECTOR_KAFKA__BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "AIMA_COLLECTOR_KAFKA__SCHEMA_REGISTRY_URL", registry.confluentApiUrl(),
                "AIMA_COLLECTOR_GPU__SOURCE", "nvml-or-simulator",
                "AIMA_COLLECTOR_KUBERNETES__ENABLED", "off",
                "AIMA_COLLECTOR_HTTP__BIND_ADDRESS", "127.0.0.1",
                "AIMA_COLLECTOR_HTTP__PORT", String.valueOf(collectorPort)));
    }

    private Map<String, Object> streamsSettings(Path data, EmbeddedKafka kafka, ApicurioRegistry registry,
                                                LocalCosts costs) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.confluentApiUrl());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "aima-local");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, data.resolve("streams").toString());
        settings.put(StreamsApp.TOPIC_PARTITIONS_CONFIG, String.valueOf(partitions));
        settings.put(StreamsApp.TOPIC_REPLICATION_CONFIG, "1");
        settings.put(RollupConfig.PUNCTUATE_INTERVAL_CONFIG, "PT1S");
        // A local run's data directory starts empty: the alert engine reads from the start, so that what the
        // first minutes produce is evaluated however fast the engine joins.
        settings.put(AlertConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (alertRules != null) {
            settings.put(AlertConfig.RULES_FILE_CONFIG, alertRules.toAbsolutePath().toString());
        }
        if (demoWindows) {
            settings.putAll(DEMO_WINDOWS);
        }
        settings.putAll(costs.settings(demoWindows));
        if (!noApi) {
            settings.putAll(apiSettings(data));
        }
        return settings;
    }

    /**
     * The REST API on 127.0.0.1 with a development token made for this run (a new one at each start), written with
     * an admin role that may read every metric, alert and cost into {@code <data>/api-security.yaml}.
     */
    private Map<String, String> apiSettings(Path data) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        apiToken = "dev-" + HexFormat.of().formatHex(random);
        Path security = data.resolve("api-security.yaml");
        try {
            Files.writeString(security, "# Written by bin/run-local at each start: a development token of this run.\n"
                    + "roles:\n  admin: [\"metrics:read:*\", \"alerts:read\", \"costs:read:*\"]\n"
                    + "tokens:\n  - name: local-dev\n    token: \"" + apiToken + "\"\n    roles: [admin]\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + security + ": " + e.getMessage(), e);
        }
        return Map.of(ApiConfig.PORT_CONFIG, String.valueOf(apiPort),
                ApiConfig.BIND_ADDRESS_CONFIG, "127.0.0.1",
                ApiConfig.ADVERTISED_HOST_CONFIG, "127.0.0.1",
                ApiConfig.SECURITY_FILE_CONFIG, security.toString());
    }

    /** Settings of --demo-windows. */
    static final Map<String, String> DEMO_WINDOWS = Map.of(
            RollupConfig.windowConfig(Tier.HOUR), "PT1M",
            RollupConfig.windowConfig(Tier.DAY), "PT5M",
            RollupConfig.windowConfig(Tier.MONTH), "PT15M",
            RollupConfig.windowConfig(Tier.YEAR), "PT1H",
            RollupConfig.graceConfig(Tier.HOUR), "PT10S",
            RollupConfig.graceConfig(Tier.DAY), "PT10S",
            RollupConfig.graceConfig(Tier.MONTH), "PT10S",
            RollupConfig.graceConfig(Tier.YEAR), "PT10S",
            RollupConfig.IDLE_TIMEOUT_CONFIG, "PT30S");

    /**
     * The InfluxDB to write to: {@code --influxdb-url}, else an influxd started here when one is on the PATH, else
     * none (null).
     */
    private String influxdb(Path data, Deque<AutoCloseable> running) {
        if (noInfluxdb) {
            return null;
        }
        if (influxdbUrl != null) {
            return influxdbUrl.toString();
        }
        if (InfluxServer.locateBinary().isEmpty()) {
            out.println("No influxd on the PATH: nothing is written to InfluxDB (install Debian's influxdb, or pass"
                    + " --influxdb-url).");
            return null;
        }
        InfluxServer influx = InfluxServer.start(data.resolve("influxdb"), influxdbPort);
        running.push(influx);
        return influx.url();
    }

    /** The S3 endpoint to archive to: {@code --archive-s3-endpoint}, else a local S3 server over the archive dir. */
    private URI archive(Path data, Deque<AutoCloseable> running) {
        if (noArchive) {
            return null;
        }
        if (archiveEndpoint != null) {
            return archiveEndpoint;
        }
        S3Server s3 = S3Server.start(archiveDir != null ? archiveDir.toAbsolutePath().normalize()
                : data.resolve("archive"));
        running.push(s3);
        s3.createBucket(archiveBucket);
        return s3.endpoint();
    }

    private void startSinks(EmbeddedConnect connect, EmbeddedKafka kafka, ApicurioRegistry registry, String influxdb,
                            URI archive) {
        String registryUrl = registry.confluentApiUrl();
        if (influxdb != null) {
            connect.putConnector(LocalSinks.INFLUXDB, LocalSinks.influxdb(influxdb, influxdbUser,
                    influxdbUser != null ? System.getenv(INFLUXDB_PASSWORD_ENV) : null, registryUrl));
        }
        if (archive != null) {
            boolean local = archiveEndpoint == null;
            connect.putConnector(LocalSinks.ARCHIVE, LocalSinks.archive(archive, local ? S3Server.REGION
                            : archiveRegion, archiveBucket, local ? S3Server.ACCESS_KEY : null,
                    local ? S3Server.SECRET_KEY : null, archiveFormat, archiveInterval, registryUrl));
        }
        if (webhookUrl != null) {
            connect.putConnector(LocalSinks.NOTIFICATIONS, LocalSinks.notifications(webhookUrl, webhookSecret,
                    kafka.bootstrapServers(), registryUrl));
        }
    }

    private DemoJobPlan.Timing demoTiming() {
        return demoWindows ? DemoJobPlan.Timing.DEMO_WINDOWS : DemoJobPlan.Timing.DEFAULT;
    }

    private void printBanner(Path data, EmbeddedKafka kafka, ApicurioRegistry registry, Collector collector,
                             EmbeddedConnect connect, LocalCosts costs, String influxdb, URI archive) {
        out.println();
        out.println("AIMA Metrics - local pipeline");
        out.println("  data dir          " + data);
        out.println("  Kafka             " + kafka.bootstrapServers() + "   (embedded KRaft broker)");
        out.println("  Schema Registry   " + registry.confluentApiUrl() + "   (Apicurio, Confluent API)");
        out.println("  topics            " + Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        out.println("  rollups           " + Arrays.stream(Tier.values())
                .map(tier -> tier.label() + " = " + rollupConfig().window(tier))
                .collect(Collectors.joining(", ")) + (demoWindows ? "   (demo windows)" : ""));
        if (collector != null) {
            String url = "http://127.0.0.1:" + collector.httpPort();
            out.println("  collector         " + collector.sourceNames() + "; OTLP " + url + "/v1/metrics, jobs "
                    + url + "/v1/jobs, Prometheus " + url + "/metrics");
        }
        out.println("  alert rules       " + (alertRules != null ? alertRules : "the shipped defaults ("
                + AlertRules.DEFAULTS_RESOURCE + ")") + "; alerts print as [alert FIRING] / [alert RESOLVED]");
        out.println(costs.bannerLine());
        out.println("  demo jobs         " + (demoJobs ? "a simulated job every " + demoTiming().interval().toSeconds()
                + " s, printed as [demo job]; its cost prints " + (demoWindows ? "about 20 s" : "about 5 min")
                + " after it ends" : "off; --demo-jobs simulates a worker so that job costs appear"));
        out.println("  InfluxDB          " + (influxdb != null ? influxdb + "   (database aima: raw, rollups, costs,"
                + " alerts; Grafana dashboards in grafana/)" : "off"));
        out.println("  archive           " + (archive == null ? "off" : archiveEndpoint != null
                ? archiveEndpoint + " bucket " + archiveBucket
                : (archiveDir != null ? archiveDir.toAbsolutePath().normalize() : data.resolve("archive")) + "/"
                        + archiveBucket + "/aima/<topic>/   (local S3 server " + archive + ")")
                + (archive != null ? "; " + archiveFormat + ", closed at the latest every "
                        + archiveInterval.toSeconds() + " s" : ""));
        if (webhookUrl != null) {
            out.println("  notifications     every alert to " + webhookUrl + " (X-Signature: HMAC-SHA256 with"
                    + " --webhook-secret)");
        }
        if (connect != null) {
            out.println("  Kafka Connect     REST " + connect.restUrl());
        }
        if (apiUrl != null) {
            out.println("  REST API          " + apiUrl + "   (token local-dev in " + data.resolve("api-security.yaml")
                    + "; OpenAPI " + apiUrl + "/openapi.json)");
            out.println("                    curl -H 'Authorization: Bearer " + apiToken + "' '" + apiUrl
                    + "/metrics/aggregated/gpu_utilization_percent?interval=1h'");
            out.println("                    curl -H 'Authorization: Bearer " + apiToken + "' '" + apiUrl
                    + "/costs/jobs'   (the jobs charged in the last day)");
        }
        out.println("  running           streams app (rollups, alert engine, cost engine), raw-metrics monitor"
                + " (progress every " + progressInterval.toMillis() + " ms), rollup, alert and cost monitors"
                + (collector != null ? ", collector" : "") + (influxdb != null ? ", InfluxDB sink" : "")
                + (archive != null ? ", S3 archive sink" : "") + (webhookUrl != null ? ", notification sink" : "")
                + (demoJobs ? ", demo jobs" : ""));
        out.println("Ready. Produce MetricEvents (Avro, Confluent wire format) to " + Topics.METRICS_RAW
                + " or send OTLP metrics to the collector to see them here. Ctrl-C stops.");
        out.println();
    }

    private RollupConfig rollupConfig() {
        return new RollupConfig(demoWindows ? DEMO_WINDOWS : Map.of());
    }

    private void requireValidOptions() {
        if (partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--partitions must be at least 1, not " + partitions + ".");
        }
        if (priceCatalog != null) {
            try {
                PriceCatalog.load(priceCatalog);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--price-catalog: " + e.getMessage());
            }
        }
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--progress-interval must be positive, not " + progressInterval + ".");
        }
        requireFreePort("--kafka-port", kafkaPort);
        requireFreePort("--registry-port", registryPort);
        if (!noInfluxdb && influxdbUrl == null && InfluxServer.locateBinary().isPresent()) {
            requireFreePort("--influxdb-port", influxdbPort);
        }
        if (!List.of("avro", "jsonl", "csv").contains(archiveFormat)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--archive-format must be avro, jsonl or csv, not " + archiveFormat + ".");
        }
        if (archiveInterval.isNegative() || archiveInterval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--archive-interval must be positive, not " + archiveInterval + ".");
        }
        if (!noCollector) {
            requireFreePort("--collector-port", collectorPort);
        }
        if (!noApi) {
            requireFreePort("--api-port", apiPort);
        }
    }

    private void requireFreePort(String option, int port) {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be between 0 and 65535, not " + port + ".");
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Port " + port + " (" + option
                    + ") is in use on 127.0.0.1. Stop what uses it, or pass " + option + " 0 for a free port.");
        }
    }

    private static void closeAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            AutoCloseable next = running.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.warn("Failed to stop {} cleanly.", next.getClass().getSimpleName(), e);
            }
        }
    }

    /** Parses ISO-8601 durations and the short forms 500ms, 5s, 2m. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration: use for example 500ms, 5s, 2m or PT5S.");
            }
        }
    }
}
