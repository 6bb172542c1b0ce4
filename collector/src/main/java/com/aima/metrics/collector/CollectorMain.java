package com.aima.metrics.collector;

import com.aima.metrics.StopSignals;
import com.aima.metrics.collector.config.CollectorConfig;
import com.aima.metrics.collector.config.ConfigLoader;
import com.aima.metrics.collector.ops.PrometheusEndpoint;
import com.aima.metrics.collector.publish.KafkaPublisher;
import com.aima.metrics.collector.publish.PublisherConfig;
import com.aima.metrics.collector.publish.PublisherStats;
import com.aima.metrics.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/collector}: runs the collector until SIGINT or SIGTERM, then flushes the spool to Kafka and exits 0. */
@Command(name = "aima-collector", mixinStandardHelpOptions = true, version = "AIMA collector 0.1.0",
        description = {"Collects GPU (NVML), host (OSHI), Kubernetes and job (OTLP/HTTP) metrics on this node and"
                + " publishes them to Kafka as Avro, spooling to disk while Kafka is unreachable.",
                "Every configuration key can be overridden by an environment variable AIMA_COLLECTOR_<KEY>, for"
                        + " example AIMA_COLLECTOR_KAFKA__BOOTSTRAP_SERVERS=kafka:9092 (see collector.example.yaml)."})
public final class CollectorMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(CollectorMain.class);
    private static final Pattern SECRET_KEY = Pattern.compile("password|secret|token|user\\.info|jaas|credentials",
            Pattern.CASE_INSENSITIVE);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The YAML configuration; without one, defaults and environment variables only.")
    Path config;

    @Option(names = "--print-config", description = "Print the effective configuration and exit.")
    boolean printConfig;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectorMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CollectorConfig settings;
        try {
            settings = ConfigLoader.load(config);
        } catch (IllegalArgumentException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return 2;
        }
        if (printConfig) {
            System.out.println(masked(settings));
            return 0;
        }
        var stop = StopSignals.install();
        try (KafkaPublisher publisher = publisher(settings);
             Collector collector = Collector.start(settings, publisher)) {
            registerHealth(collector.prometheus(), publisher);
            stop.await();
            log.info("Stopping: the collector, then the publisher (flushing what Kafka takes in time) ...");
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start the collector: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    /** {@code settings} with the values of Kafka properties that may hold secrets replaced by {@code ***}. */
    static CollectorConfig masked(CollectorConfig settings) {
        Map<String, String> properties = new java.util.TreeMap<>();
        settings.kafka().properties().forEach((key, value) -> properties.put(key,
                SECRET_KEY.matcher(key).find() ? "***" : value));
        return new CollectorConfig(settings.node(), settings.collectorId(), settings.stateDir(),
                new CollectorConfig.Kafka(settings.kafka().bootstrapServers(), settings.kafka().schemaRegistryUrl(),
                        properties), settings.spool(), settings.gpu(), settings.host(), settings.kubernetes(),
                settings.http(), settings.intervals(), settings.labels());
    }

    /** The publisher the configuration describes: its spool under the state directory. */
    public static KafkaPublisher publisher(CollectorConfig settings) {
        return new KafkaPublisher(publisherConfig(settings));
    }

    /**
     * What {@link #publisher} is made of: {@code kafka.properties} go to both the producer and the serde (each ignores
     * the other's keys), the spool to {@code <state-dir>/spool} with the configured sizes.
     */
    static PublisherConfig publisherConfig(CollectorConfig settings) {
        Map<String, Object> serde = new HashMap<>(settings.kafka().properties());
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, settings.kafka().schemaRegistryUrl());
        return PublisherConfig.builder(settings.kafka().bootstrapServers(), serde,
                        settings.stateDir().resolve("spool"))
                .maxSpoolBytes(settings.spool().maxBytes().bytes())
                .segmentBytes(settings.spool().segmentBytes().bytes())
                .producerOverrides(Map.<String, Object>copyOf(settings.kafka().properties()))
                .build();
    }

    /** The publisher's counters on {@code /metrics}. */
    public static void registerHealth(PrometheusEndpoint prometheus, KafkaPublisher publisher) {
        counter(prometheus, publisher, "events_spooled", "Events written to the disk spool.", PublisherStats::spooled);
        counter(prometheus, publisher, "events_sent", "Events Kafka acknowledged.", PublisherStats::sent);
        counter(prometheus, publisher, "events_dropped", "Events dropped unsent because the spool was full.",
                PublisherStats::dropped);
        counter(prometheus, publisher, "events_dead_lettered", "Events the schema registry refused.",
                PublisherStats::deadLettered);
        counter(prometheus, publisher, "events_rejected", "Events Kafka refused for good.", PublisherStats::rejected);
        counter(prometheus, publisher, "send_errors", "Failed send attempts, retried.", PublisherStats::sendErrors);
        prometheus.gauge("spool_records", "Events in the spool not yet acknowledged by Kafka.",
                () -> publisher.stats().spoolRecords());
        prometheus.gauge("spool_bytes", "Bytes of the spool files on disk.", () -> publisher.stats().spoolBytes());
    }

    private static void counter(PrometheusEndpoint prometheus, KafkaPublisher publisher, String name, String help,
                                ToLongFunction<PublisherStats> value) {
        prometheus.counter(name, help, () -> value.applyAsLong(publisher.stats()));
    }
}
