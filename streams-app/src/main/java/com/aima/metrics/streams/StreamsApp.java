package com.aima.metrics.streams;

import com.aima.metrics.StopSignals;
import com.aima.metrics.TopicProvisioner;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.api.ApiConfig;
import com.aima.metrics.api.ApiServer;
import com.aima.metrics.alert.AlertTopology;
import com.aima.metrics.alert.RuleSource;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.cost.CostTopology;
import com.aima.metrics.cost.PriceCatalog;
import com.aima.metrics.Topics;
import com.aima.metrics.rollup.RollupConfig;
import com.aima.metrics.rollup.RollupTopology;
import com.aima.metrics.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The streams application's entry point: reads the configuration, creates missing topics, runs the rollup topology,
 * the alert engine and the cost engine (three Kafka Streams applications in one process, see {@link Running}) until
 * SIGINT or SIGTERM, then closes cleanly (exit code 0).
 */
@Command(name = "aima-streams", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the AIMA metrics streams application (rollups, alerts and costs).")
public final class StreamsApp implements Callable<Integer> {

    public static final String DEFAULT_APPLICATION_ID = "aima-streams";
    /** Partitions of the topics the application creates when they are missing. */
    public static final String TOPIC_PARTITIONS_CONFIG = "aima.topic.partitions";
    public static final String TOPIC_PARTITIONS_DEFAULT = "6";
    /** Replication factor of the topics the application creates; -1 takes the broker's default. */
    public static final String TOPIC_REPLICATION_CONFIG = "aima.topic.replication.factor";
    public static final String TOPIC_REPLICATION_DEFAULT = "-1";
    /**
     * Port of the health endpoints ({@link HealthServer}: {@code /health/live}, {@code /health/ready}) on every
     * interface; unset: no endpoints. Read by {@code main} only, so that embedding {@link #start} binds no port.
     */
    public static final String HEALTH_PORT_CONFIG = "aima.health.port";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: Kafka Streams keys, schema.registry.url, rollup.*, alerts.*, costs.* and"
                    + " aima.* keys.")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "A setting; overrides the file.")
    Map<String, String> overrides = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamsApp()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> settings = new HashMap<>();
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new ConfigException("Cannot read the configuration file " + configFile + ": " + e);
            }
            file.forEach((key, value) -> settings.put((String) key, value));
        }
        settings.putAll(overrides);
        Integer healthPort = healthPort(settings);
        CountDownLatch stop = StopSignals.install();
        try (Running running = start(settings);
             HealthServer health = healthPort == null ? null : health(healthPort, running)) {
            stop.await();
            log.info("Stopping the streams application.");
        }
        return 0;
    }

    /** {@value #HEALTH_PORT_CONFIG}, or null when unset. */
    static Integer healthPort(Map<String, Object> settings) {
        Object port = settings.get(HEALTH_PORT_CONFIG);
        if (port == null || String.valueOf(port).isBlank()) {
            return null;
        }
        try {
            int number = Integer.parseInt(String.valueOf(port).trim());
            if (number >= 0 && number <= 65_535) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(HEALTH_PORT_CONFIG, port, "The health port must be a number from 0 to 65535.");
    }

    /** The health endpoints of {@code running}'s applications on {@code port}. */
    private static HealthServer health(int port, Running running) throws IOException {
        Map<String, Supplier<KafkaStreams.State>> states = new LinkedHashMap<>();
        states.put("rollups", running.rollups()::state);
        if (running.alerts() != null) {
            states.put("alerts", running.alerts()::state);
        }
        if (running.costs() != null) {
            states.put("costs", running.costs()::state);
        }
        HealthServer server = HealthServer.start(port, states);
        log.info("Health endpoints on port {}: {} and {}.", server.port(), HealthServer.LIVE_PATH,
                HealthServer.READY_PATH);
        return server;
    }

    /**
     * The running applications: the rollups, the alert engine unless {@code alerts.enabled=false}, the cost
     * engine unless {@code costs.enabled=false} (both null when disabled), and the REST API when {@code api.port} is
     * set (else null). The alert engine is an application of its own (id {@code alerts.application.id}) so that it commits every
     * {@code alerts.commit.interval.ms} (an exactly-once alert is visible only after its commit) while the rollups
     * commit less often, and so that a rollup backlog never delays an alert.
     */
    public record Running(KafkaStreams rollups, KafkaStreams alerts, RuleSource rules, KafkaStreams costs,
                          ApiServer api) implements AutoCloseable {

        @Override
        public void close() {
            if (api != null) {
                api.close();
            }
            if (costs != null && !costs.close(CLOSE_TIMEOUT)) {
                log.warn("The cost engine did not stop within {}.", CLOSE_TIMEOUT);
            }
            if (alerts != null && !alerts.close(CLOSE_TIMEOUT)) {
                log.warn("The alert engine did not stop within {}.", CLOSE_TIMEOUT);
            }
            if (rules != null) {
                rules.close();
            }
            if (!rollups.close(CLOSE_TIMEOUT)) {
                log.warn("The rollup application did not stop within {}.", CLOSE_TIMEOUT);
            }
        }
    }

    /** Creates missing topics and starts the applications; the caller closes them. */
    public static Running start(Map<String, Object> settings) throws InterruptedException {
        Properties properties = streamsProperties(settings);
        RollupConfig rollup = new RollupConfig(settings);
        AlertConfig alertConfig = new AlertConfig(settings);
        CostConfig costConfig = new CostConfig(settings);
        PriceCatalog catalog = costConfig.enabled() ? costConfig.catalog() : null;
        RuleSource rules = alertConfig.enabled() ? RuleSource.of(alertConfig) : null;
        ApiConfig apiConfig = new ApiConfig(settings);
        ApiServer api = apiConfig.enabled() ? bindApi(apiConfig, rollup) : null;
        if (api != null) {
            // Every application of this process answers interactive queries through this one server.
            properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, api.hostInfo().host() + ":" + api.port());
        }
        int rawPartitions = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                properties.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)))) {
            TopicProvisioner.ensure(admin, Topics.ALL,
                    Integer.parseInt(String.valueOf(settings.getOrDefault(TOPIC_PARTITIONS_CONFIG,
                            TOPIC_PARTITIONS_DEFAULT))),
                    Short.parseShort(String.valueOf(settings.getOrDefault(TOPIC_REPLICATION_CONFIG,
                            TOPIC_REPLICATION_DEFAULT))));
            if (api != null) {
                rawPartitions = TopicProvisioner.partitions(admin, Topics.METRICS_RAW);
            }
        }
        Map<String, Object> serde = serdeConfig(settings);
        String rollupId = properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        KafkaStreams rollups = started(new KafkaStreams(RollupTopology.build(rollup, serde), properties));
        KafkaStreams alerts = null;
        if (rules != null) {
            Properties alertProperties = companion(properties, alertConfig.applicationId(rollupId));
            alertProperties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, alertConfig.commitIntervalMs());
            alerts = started(new KafkaStreams(AlertTopology.build(alertConfig, rules, serde), alertProperties));
            log.info("Alert engine {} started with {} rules.", alertConfig.applicationId(rollupId),
                    rules.get().rules().size());
        }
        KafkaStreams costs = null;
        if (catalog != null) {
            costs = started(new KafkaStreams(CostTopology.build(costConfig, () -> catalog, serde),
                    companion(properties, costConfig.applicationId(rollupId))));
            log.info("Cost engine {} started with {} prices and {} budgets from {}.",
                    costConfig.applicationId(rollupId), catalog.keys().size(), catalog.budgets().size(),
                    costConfig.catalogFile() == null ? "no catalog (everything unpriced)" : costConfig.catalogFile());
        }
        if (api != null) {
            api.start(serde, String.valueOf(properties.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)), rollups, rollup, alerts,
                    rules, costs, rawPartitions);
            log.info("REST API on {}://{}:{} ({} partitions of {}).", api.tls() ? "https" : "http",
                    api.hostInfo().host(), api.port(), rawPartitions, Topics.METRICS_RAW);
        }
        return new Running(rollups, alerts, rules, costs, api);
    }

    private static ApiServer bindApi(ApiConfig config, RollupConfig rollup) {
        try {
            return ApiServer.bind(config, rollup);
        } catch (IOException e) {
            throw new ConfigException(ApiConfig.PORT_CONFIG, config.port(), "The REST API cannot listen on "
                    + config.bindAddress() + ":" + config.port() + ": " + e.getMessage());
        }
    }

    /** The rollups' properties for a companion application (alerts, costs) of its own id, with one stream thread. */
    private static Properties companion(Properties rollups, String applicationId) {
        Properties companion = new Properties();
        companion.putAll(rollups);
        companion.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        companion.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        return companion;
    }

    private static KafkaStreams started(KafkaStreams streams) {
        streams.setUncaughtExceptionHandler(e -> {
            log.error("A stream thread failed; replacing it.", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return streams;
    }

    /**
     * Kafka Streams settings: {@code settings} over the application's defaults (application id
     * {@value #DEFAULT_APPLICATION_ID}, exactly-once v2, 1 s commits).
     */
    public static Properties streamsProperties(Map<String, Object> settings) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        properties.put("processing.exception.handler.global.enabled", "true");
        properties.putAll(settings);
        if (!properties.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, null,
                    "The Kafka bootstrap servers must be set.");
        }
        return properties;
    }

    /** The serde settings among {@code settings}: every key, as the serde ignores keys it does not know. */
    public static Map<String, Object> serdeConfig(Map<String, Object> settings) {
        if (!settings.containsKey(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG)) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, null,
                    "The schema registry URL must be set.");
        }
        return Map.copyOf(settings);
    }
}
