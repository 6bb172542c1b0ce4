package com.aima.metrics.benchmark;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.TopicProvisioner;
import com.aima.metrics.Topics;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.api.ApiConfig;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.rollup.RollupConfig;
import com.aima.metrics.rollup.RollupQueries;
import com.aima.metrics.rollup.RollupTopology;
import com.aima.metrics.rollup.Tier;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.SchemaRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Latency of the REST API's aggregated queries over one week of 1h rollups, on two streams-app instances sharing a
 * real broker and registry in this JVM: (1) one series ({@code match=exact}, answered through the owner of its key)
 * and (2) every series of the metric with a label filter (every instance asked, parts merged). The baseline, measured
 * in the same run, is the same reads straight from the stores (interactive queries on every partition, no HTTP, no
 * token, no JSON): the ratio is what the API adds. Requests go to one instance; they are sequential.
 */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Benchmarks aggregated REST API queries against direct store reads.")
public final class ApiBenchmark implements Callable<Integer> {

    private static final String METRIC = "gpu_utilization_percent";
    private static final String TOKEN = "benchmark-token";

    @Option(names = "--nodes", defaultValue = "25", description = "Nodes, each with --gpus series. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--gpus", defaultValue = "4", description = "GPUs per node. Default: ${DEFAULT-VALUE}.")
    int gpus;

    @Option(names = "--interval", defaultValue = "PT10M",
            description = "Time between two samples of one series over the week, ISO-8601. Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--requests", defaultValue = "300", description = "Measured requests per query. Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--warmup", defaultValue = "50", description = "Unmeasured requests first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ApiBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant weekStart = end.minus(Duration.ofDays(7));
        // A day before the week, so that the week's first windows are as complete as its last.
        Instant first = weekStart.minus(Duration.ofDays(1));
        int series = nodes * gpus;
        long samples = Duration.between(first, end).dividedBy(interval);
        System.out.printf("API benchmark: %d series of %s (%d nodes x %d GPUs), a sample every %s for 8 days"
                + " (%,d events), 2 instances, 4 partitions%n", series, METRIC, nodes, gpus, interval, samples * series);
        Path dir = Files.createTempDirectory("api-benchmark");
        Files.writeString(dir.resolve("security.yaml"), """
                roles:
                  reader: ["metrics:read:*"]
                tokens:
                  - name: benchmark
                    token: "%s"
                    roles: [reader]
                rate_limit:
                  requests_per_second: 1000000
                """.formatted(TOKEN));
        try (KafkaBroker kafka = KafkaBroker.start(); SchemaRegistry registry = SchemaRegistry.start()) {
            try (var admin = kafka.admin()) {
                TopicProvisioner.ensure(admin, Topics.ALL, 4, (short) 1);
            }
            produce(kafka, registry, first, end, samples);
            try (StreamsApp.Running a = StreamsApp.start(settings(kafka, registry, dir, "a"));
                 StreamsApp.Running b = StreamsApp.start(settings(kafka, registry, dir, "b"))) {
                String base = "http://127.0.0.1:" + a.api().port() + "/metrics/aggregated/" + METRIC
                        + "?interval=1h&limit=10000&start_time=" + weekStart + "&end_time=" + end;
                String oneSeries = base + "&match=exact&labels=gpu=0,node=n0";
                String filtered = base + "&labels=gpu=0";
                HttpClient http = HttpClient.newHttpClient();
                long started = System.nanoTime();
                while (rows(http, oneSeries) < 168 || rows(http, filtered) < 168L * nodes) {
                    if (System.nanoTime() - started > Duration.ofMinutes(5).toNanos()) {
                        throw new IllegalStateException("The week's rollups did not close within 5 minutes: "
                                + rows(http, oneSeries) + " rows of one series (168 expected), "
                                + rows(http, filtered) + " with gpu=0 (" + 168L * nodes + " expected).");
                    }
                    Thread.sleep(500); // a benchmark's wait for the data, not a measurement
                }
                System.out.printf("  rollups ready after %.1f s%n", (System.nanoTime() - started) / 1e9);
                RollupConfig rollup = new RollupConfig(Map.of());
                List<Store> stores = List.of(new Store(a.rollups(), new RollupQueries(a.rollups(), rollup)),
                        new Store(b.rollups(), new RollupQueries(b.rollups(), rollup)));
                String exact = SeriesKey.of(METRIC, Map.of("gpu", "0", "node", "n0"));
                long from = weekStart.toEpochMilli();
                long to = end.toEpochMilli();

                System.out.println(Latencies.header());
                Latencies apiOne = measure(() -> rows(http, oneSeries));
                int owner = a.rollups().queryMetadataForKey(RollupTopology.METRIC_NAMES_STORE, exact,
                        Serdes.String().serializer()).partition();
                Latencies storeOne = measure(() -> read(stores, exact, owner, key -> true, from, to));
                Latencies apiFiltered = measure(() -> rows(http, filtered));
                Latencies storeFiltered = measure(() -> read(stores, null, -1,
                        key -> "0".equals(SeriesKey.parse(key).labels().get("gpu")), from, to));
                System.out.println(apiOne.row("(1) API, one series"));
                System.out.println(storeOne.row("    stores, one series"));
                System.out.println(apiFiltered.row("(2) API, gpu=0 (" + nodes + ")"));
                System.out.println(storeFiltered.row("    stores, gpu=0"));
                System.out.printf("  ratio API/stores p50: one series %.1f, filtered %.1f; p99: %.1f, %.1f%n",
                        apiOne.percentileMs(0.5) / storeOne.percentileMs(0.5),
                        apiFiltered.percentileMs(0.5) / storeFiltered.percentileMs(0.5),
                        apiOne.percentileMs(0.99) / storeOne.percentileMs(0.99),
                        apiFiltered.percentileMs(0.99) / storeFiltered.percentileMs(0.99));
            }
        }
        return 0;
    }

    /** A request or read that returns its row count. */
    private interface Query {
        long run() throws Exception;
    }

    private record Store(KafkaStreams streams, RollupQueries queries) {
    }

    private Latencies measure(Query query) throws Exception {
        long expected = -1;
        for (int i = 0; i < warmup; i++) {
            expected = query.run();
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            long rows = query.run();
            nanos[i] = System.nanoTime() - start;
            if (rows != expected) {
                throw new IllegalStateException("A query returned " + rows + " rows, before " + expected + ".");
            }
        }
        return new Latencies(nanos);
    }

    private static long rows(HttpClient http, String uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return -1;
        }
        // rows are objects in a flat array: count their start_time fields
        String body = response.body();
        long rows = 0;
        for (int i = body.indexOf("\"start_time\""); i >= 0; i = body.indexOf("\"start_time\"", i + 1)) {
            rows++;
        }
        return rows;
    }

    /**
     * The same windows read from the stores, as the API's local parts read them: {@code partition} (the owner of an
     * exact series), or every active partition of both instances when it is -1.
     */
    private static long read(List<Store> stores, String exactSeries, int partition, Predicate<String> filter,
                             long fromMs, long toMs) throws Exception {
        long[] rows = {0};
        for (Store store : stores) {
            for (int active : RollupQueries.activePartitions(store.streams())) {
                if (partition >= 0 && active != partition) {
                    continue;
                }
                store.queries().rollups(active, Tier.HOUR, METRIC, exactSeries, filter, fromMs, toMs, true,
                        (series, rollup) -> rows[0]++);
            }
        }
        return rows[0];
    }

    private void produce(KafkaBroker kafka, SchemaRegistry registry, Instant first, Instant end, long samples)
            throws Exception {
        Serializer<MetricEvent> events = SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig())
                .serializer();
        List<Map<String, String>> labels = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            for (int gpu = 0; gpu < gpus; gpu++) {
                labels.add(Map.of("node", "n" + node, "gpu", Integer.toString(gpu)));
            }
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (long step = 0; step < samples; step++) {
                Instant time = first.plus(interval.multipliedBy(step));
                for (int s = 0; s < labels.size(); s++) {
                    MetricEvent event = MetricEvent.newBuilder().setName(METRIC).setUnit("percent")
                            .setValue((step * 7 + s * 13) % 100).setEventTime(time).setLabels(labels.get(s))
                            .setSource(Source.newBuilder().setHost("bench").setCollectorId("bench")
                                    .setKind(SourceKind.GPU).build())
                            .build();
                    producer.send(new ProducerRecord<>(Topics.METRICS_RAW, SeriesKey.of(METRIC, labels.get(s)),
                            events.serialize(Topics.METRICS_RAW, event)));
                }
            }
            // One sample past the end in every partition's series closes the week's last hour everywhere.
            for (Map<String, String> series : labels) {
                MetricEvent event = MetricEvent.newBuilder().setName(METRIC).setUnit("percent").setValue(0)
                        .setEventTime(end.plus(Duration.ofMinutes(15))).setLabels(series)
                        .setSource(Source.newBuilder().setHost("bench").setCollectorId("bench")
                                .setKind(SourceKind.GPU).build())
                        .build();
                producer.send(new ProducerRecord<>(Topics.METRICS_RAW, SeriesKey.of(METRIC, series),
                        events.serialize(Topics.METRICS_RAW, event)));
            }
            producer.flush();
        }
    }

    private static Map<String, Object> settings(KafkaBroker kafka, SchemaRegistry registry, Path dir,
                                                String instance) {
        Map<String, Object> settings = new HashMap<>(registry.serdeConfig());
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "api-benchmark");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(instance).toString());
        settings.put(AlertConfig.ENABLED_CONFIG, "false");
        settings.put(CostConfig.ENABLED_CONFIG, "false");
        settings.put(ApiConfig.PORT_CONFIG, "0");
        settings.put(ApiConfig.BIND_ADDRESS_CONFIG, "127.0.0.1");
        settings.put(ApiConfig.ADVERTISED_HOST_CONFIG, "127.0.0.1");
        settings.put(ApiConfig.SECURITY_FILE_CONFIG, dir.resolve("security.yaml").toString());
        return settings;
    }
}
