package com.aima.metrics.benchmark;

import com.aima.metrics.Topics;
import com.aima.metrics.devstack.InfluxServer;
import com.aima.metrics.influx.InfluxPoints;
import com.aima.metrics.influx.InfluxSinkConfig;
import com.aima.metrics.influx.InfluxSinkTask;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.serde.TrustedClasses;
import com.aima.metrics.testing.RecordingSinkTaskContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.sink.SinkRecord;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The InfluxDB sink's write throughput against a real InfluxDB (Debian's influxd, {@link InfluxServer}), next to a
 * baseline measured in the same run. Sink: {@link InfluxSinkTask#put} of N SinkRecords holding real Confluent
 * wire-format Avro {@code MetricEvent}s (the in-memory registry: the task fetches each schema id once, then caches
 * it), in calls of {@code --batch} records, then {@code flush}; timed from the first put to the flush's return, so it
 * includes decoding, mapping and the synchronous writes. Baseline: the same points, built beforehand, written with a
 * bare influxdb-java {@code write(BatchPoints)} of {@code --batch} points each. Every round writes a fresh database,
 * baseline and sink alternating; after each, the database must hold exactly N points (else exit code 1).
 */
@Command(name = "influx-sink", mixinStandardHelpOptions = true,
        description = "Benchmarks the InfluxDB sink task's points/s against a bare influxdb-java batch write.")
public final class InfluxSinkBenchmark implements Callable<Integer> {

    private static final String METRIC = "gpu_utilization_percent";
    /** The in-memory registry's scope, dropped when the benchmark ends. */
    private static final String REGISTRY_SCOPE = "influx-sink-benchmark";

    @Option(names = "--records", defaultValue = "200000", description = "Records (points) per round. Default: ${DEFAULT-VALUE}.")
    int records;

    @Option(names = "--series", defaultValue = "200", description = "Series the points spread over. Default: ${DEFAULT-VALUE}.")
    int series;

    @Option(names = "--batch", defaultValue = "5000",
            description = "Records per put() and points per write (influxdb.batch.size). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds of each, after one warm-up round."
            + " Default: ${DEFAULT-VALUE}.")
    int rounds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InfluxSinkBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (records < 1 || series < 1 || batch < 1 || rounds < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--records, --series, --batch and --rounds"
                    + " must be at least 1.");
        }
        TrustedClasses.trustSchemaPackage();
        String registryUrl = "mock://" + REGISTRY_SCOPE;
        Path dir = Files.createTempDirectory("influx-sink-benchmark");
        try (InfluxServer influx = InfluxServer.start(dir, 0);
             InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            client.setLogLevel(InfluxDB.LogLevel.NONE);
            List<MetricEvent> events = events();
            List<SinkRecord> sinkRecords = sinkRecords(events, registryUrl);
            List<Point> points = events.stream().map(event -> InfluxPoints.metric(event).point()).toList();
            System.out.printf("InfluxDB sink benchmark: %,d raw samples over %d series per round, %,d per put() and"
                    + " per write, InfluxDB %s at %s%n", records, series, batch, "1.x (influxd)", influx.url());

            double[] baseline = new double[rounds];
            double[] sink = new double[rounds];
            for (int round = 0; round <= rounds; round++) {
                double bare = baseline(client, points, "bench_bare_" + round);
                double task = sink(influx.url(), registryUrl, sinkRecords, client, "bench_sink_" + round);
                String label = round == 0 ? "warm-up" : "round " + round;
                System.out.printf("  %-8s bare influxdb-java %,10.0f points/s   sink put+flush %,10.0f points/s"
                        + "   sink/bare %.2f%n", label, bare, task, task / bare);
                if (round > 0) {
                    baseline[round - 1] = bare;
                    sink[round - 1] = task;
                }
            }
            double bareMedian = median(baseline);
            double sinkMedian = median(sink);
            System.out.printf("  median   bare influxdb-java %,10.0f points/s   sink put+flush %,10.0f points/s"
                    + "   sink/bare %.2f%n", bareMedian, sinkMedian, sinkMedian / bareMedian);
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("FAILED: " + e.getMessage());
            return 1;
        } finally {
            MockSchemaRegistry.dropScope(REGISTRY_SCOPE);
        }
    }

    private List<MetricEvent> events() {
        Source source = Source.newBuilder().setHost("gpu-node-1").setCollectorId("benchmark").setKind(SourceKind.GPU)
                .build();
        int perSeries = (records + series - 1) / series;
        // Within the raw policy's 24 h: one sample a second per series, ending a minute ago.
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(perSeries + 60L);
        List<MetricEvent> events = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            int s = i % series;
            events.add(MetricEvent.newBuilder().setName(METRIC).setUnit("percent").setValue(i % 100 + 0.5)
                    .setEventTime(start.plusSeconds(i / series))
                    .setLabels(Map.of("gpu", Integer.toString(s % 8), "node", "gpu-node-" + s / 8,
                            "project", "newsroom"))
                    .setSource(source).build());
        }
        return events;
    }

    private static List<SinkRecord> sinkRecords(List<MetricEvent> events, String registryUrl) {
        List<SinkRecord> sinkRecords = new ArrayList<>(events.size());
        try (SpecificAvroSerializer<MetricEvent> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", registryUrl), false);
            for (int i = 0; i < events.size(); i++) {
                sinkRecords.add(new SinkRecord(Topics.METRICS_RAW, 0, null, null, null,
                        serializer.serialize(Topics.METRICS_RAW, events.get(i)), i));
            }
        }
        return sinkRecords;
    }

    /** Points/s of bare batch writes into a fresh database with the sink's raw policy. */
    private double baseline(InfluxDB client, List<Point> points, String database) {
        client.query(new Query("CREATE DATABASE " + database + " WITH DURATION 24h REPLICATION 1 NAME raw", null,
                true));
        long start = System.nanoTime();
        for (int from = 0; from < points.size(); from += batch) {
            client.write(BatchPoints.database(database).retentionPolicy("raw").precision(TimeUnit.MILLISECONDS)
                    .points(points.subList(from, Math.min(from + batch, points.size()))).build());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        requireCount(client, database);
        return points.size() / seconds;
    }

    /** Points/s of the task's put and flush into a fresh database it creates. */
    private double sink(String url, String registryUrl, List<SinkRecord> sinkRecords, InfluxDB client,
                        String database) {
        Map<String, String> props = new HashMap<>();
        props.put(InfluxSinkConfig.URL_CONFIG, url);
        props.put(InfluxSinkConfig.DATABASE_CONFIG, database);
        props.put(InfluxSinkConfig.BATCH_SIZE_CONFIG, Integer.toString(batch));
        props.put("schema.registry.url", registryUrl);
        InfluxSinkTask task = new InfluxSinkTask();
        // No errant record reporter: a bad record fails the benchmark.
        task.initialize(new RecordingSinkTaskContext(false));
        task.start(props);
        try {
            // The first put creates the database and policies: not what is measured.
            task.put(sinkRecords.subList(0, 1));
            long start = System.nanoTime();
            for (int from = 1; from < sinkRecords.size(); from += batch) {
                task.put(sinkRecords.subList(from, Math.min(from + batch, sinkRecords.size())));
            }
            task.flush(Map.of());
            double seconds = (System.nanoTime() - start) / 1e9;
            requireCount(client, database);
            return (sinkRecords.size() - 1) / seconds;
        } finally {
            task.stop();
        }
    }

    private void requireCount(InfluxDB client, String database) {
        QueryResult result = client.query(new Query("SELECT count(value) FROM raw." + METRIC, database));
        double count = ((Number) result.getResults().get(0).getSeries().get(0).getValues().get(0).get(1))
                .doubleValue();
        if (count != records) {
            throw new IllegalStateException(database + " holds " + (long) count + " points, not " + records + ".");
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
