package com.aima.metrics.benchmark;

import com.aima.metrics.Durations;
import com.aima.metrics.Topics;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.alert.AlertSeries;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The alert engine's latency through a real broker and registry in this JVM, against a baseline measured in the same
 * run. Baseline: a producer ({@code acks=all}, {@code linger.ms=0}) sends a record, a {@code read_committed} consumer
 * receives it. Alerts: for each of N series a sample above the threshold at event time T, then, paced, the sample at
 * T + {@code for} that completes the rule's duration; latency is from the call that sends the completing sample to
 * the arrival of its FIRING alert on {@code aima.alerts} (exactly-once: visible after the engine's commit), then the
 * same for a sample below the threshold and its RESOLVED. The production {@link StreamsApp} runs, rollups included.
 * Prints figures and asserts no timing; the exit code is 1 only for a correctness failure: an alert or baseline record
 * missing after {@code --timeout}, one delivered twice, or a failed send.
 */
@Command(name = "alert-latency", mixinStandardHelpOptions = true,
        description = "Benchmarks the alert engine's latency through the broker against a bare broker round trip.")
public final class AlertLatencyBenchmark implements Callable<Integer> {

    private static final String RULE = "benchmark_gpu_utilization_high";
    private static final String METRIC = "gpu_utilization_percent";
    private static final double THRESHOLD = 95;
    private static final String BASELINE_TOPIC = "benchmark.round-trip";
    private static final Duration TARGET_P99 = Duration.ofSeconds(1);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofMinutes(2);
    /** A sample value for which the rule's condition holds, and one for which it does not. */
    private static final double HOLDING = THRESHOLD + 3;
    private static final double BELOW = THRESHOLD - 45;

    @Option(names = "--alerts", defaultValue = "2000",
            description = "Alerts (series) measured. Default: ${DEFAULT-VALUE}.")
    int alerts;

    @Option(names = "--rate", defaultValue = "200",
            description = "Completing samples (and baseline records) sent per second, paced."
                    + " Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of every topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--for", defaultValue = "10s", converter = DurationConverter.class,
            description = "The rule's for (10s, 5m, PT10S). Default: ${DEFAULT-VALUE}.")
    Duration forDuration;

    @Option(names = "--commit-interval-ms", defaultValue = "" + AlertConfig.COMMIT_INTERVAL_DEFAULT,
            description = "The alert engine's commit interval (" + AlertConfig.COMMIT_INTERVAL_CONFIG + ")."
                    + " Default: ${DEFAULT-VALUE}, the application's default.")
    long commitIntervalMs;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long after the last send an alert or record still counts as arriving. Default:"
                    + " ${DEFAULT-VALUE}.")
    Duration timeout;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AlertLatencyBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        requireValidOptions();
        Path stateDir = Files.createTempDirectory("alert-latency-benchmark");
        Path rulesFile = Files.writeString(stateDir.resolve("rules.yaml"), rulesYaml());
        try (KafkaBroker kafka = KafkaBroker.start(); SchemaRegistry registry = SchemaRegistry.start();
             GpuSeries series = new GpuSeries(METRIC, alerts, kafka, registry)) {
            kafka.createTopics(partitions, BASELINE_TOPIC);
            Map<String, Object> settings = new HashMap<>(registry.serdeConfig());
            settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "alert-latency-benchmark");
            settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            settings.put(StreamsApp.TOPIC_PARTITIONS_CONFIG, String.valueOf(partitions));
            settings.put(AlertConfig.RULES_FILE_CONFIG, rulesFile.toString());
            settings.put(AlertConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            settings.put(AlertConfig.COMMIT_INTERVAL_CONFIG, String.valueOf(commitIntervalMs));
            System.out.printf("Alert latency benchmark: %,d alerts at %.0f/s, rule %s > %.0f for %s, %d partitions,"
                            + " alert engine commit interval %d ms (exactly-once); the rollup application runs too"
                            + " (commit interval %s ms)%n", alerts, rate, METRIC, THRESHOLD, text(forDuration),
                    partitions, commitIntervalMs,
                    StreamsApp.streamsProperties(settings).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));

            RoundTrips baseline = new RoundTrips(alerts, 1);
            RoundTrips firing = new RoundTrips(alerts, 1);
            RoundTrips resolved = new RoundTrips(alerts, 1);
            Map<String, Integer> slots = new HashMap<>();
            String[] keys = series.keys();
            for (int slot = 0; slot < keys.length; slot++) {
                slots.put(keys[slot], slot);
                slots.put(AlertSeries.fingerprint(RULE, keys[slot]), slot);
            }
            Deserializer<AlertEvent> alertEvents = SpecificAvroSerde.forValues(AlertEvent.class,
                    registry.serdeConfig()).deserializer();
            long startNanos = System.nanoTime();
            try (StreamsApp.Running app = StreamsApp.start(settings);
                 Arrivals alertArrivals = Arrivals.start(kafka, Topics.ALERTS,
                         (record, nanos) -> alertArrived(record, nanos, slots, alertEvents, firing, resolved));
                 Arrivals baselineArrivals = Arrivals.start(kafka, BASELINE_TOPIC,
                         (record, nanos) -> baseline.arrived(slots.get(record.key()), nanos))) {
                awaitRunning(app.rollups());
                awaitRunning(app.alerts());
                warmUp(series, baseline, firing, resolved);
                System.out.printf("  ready after %.1f s: both applications RUNNING, warm-up alert fired and resolved"
                        + " (not measured)%n", (System.nanoTime() - startNanos) / 1e9);
                measureBaseline(series, baseline);
                long[] completedMs = measureFiring(series, firing);
                measureResolved(series, resolved, completedMs);
                // Time for a duplicate to show: several of the engine's commits.
                Thread.sleep(Math.max(2_000, 5 * commitIntervalMs));
                requireNoFailure(alertArrivals.failure(), baselineArrivals.failure());
            }
            System.out.printf("  holding sample sent %.0f ms before the completing one; baseline and alerts measured"
                    + " one after the other while both applications run%n", leadSteps() * periodNanos() / 1e6);
            return report(baseline, firing, resolved, series.sendFailure());
        }
    }

    /** One alert fired and resolved and one baseline record, end to end, so that nothing is measured cold. */
    private void warmUp(GpuSeries series, RoundTrips baseline, RoundTrips firing, RoundTrips resolved)
            throws InterruptedException {
        int slot = series.warmUp();
        long holdingMs = System.currentTimeMillis() - forDuration.toMillis();
        long completedMs = holdingMs + forDuration.toMillis();
        series.send(Topics.METRICS_RAW, slot, HOLDING, holdingMs);
        firing.sent(slot, series.send(Topics.METRICS_RAW, slot, HOLDING, completedMs));
        requireArrival(firing.await(slot, WARM_UP_TIMEOUT), "warm-up FIRING alert");
        resolved.sent(slot, series.send(Topics.METRICS_RAW, slot, BELOW, completedMs + 1));
        requireArrival(resolved.await(slot, WARM_UP_TIMEOUT), "warm-up RESOLVED alert");
        baseline.sent(slot, series.send(BASELINE_TOPIC, slot, BELOW, completedMs));
        requireArrival(baseline.await(slot, WARM_UP_TIMEOUT), "warm-up baseline record");
    }

    /** One record per series to the baseline topic, paced; waits for their arrival. */
    private void measureBaseline(GpuSeries series, RoundTrips baseline) throws InterruptedException {
        long startNanos = System.nanoTime();
        for (int slot = 0; slot < alerts; slot++) {
            pace(startNanos + slot * periodNanos());
            baseline.sent(slot, series.send(BASELINE_TOPIC, slot, BELOW, System.currentTimeMillis()));
        }
        baseline.awaitMeasured(timeout);
    }

    /**
     * Per series a sample above the threshold at T (wall clock minus for), and {@link #leadSteps()} steps later the
     * one at T + for that completes the rule's duration, each step paced; waits for the FIRING alerts.
     *
     * @return the completing samples' event times, by slot
     */
    private long[] measureFiring(GpuSeries series, RoundTrips firing) throws InterruptedException {
        long forMs = forDuration.toMillis();
        int leadSteps = leadSteps();
        long[] completedMs = new long[alerts];
        long startNanos = System.nanoTime();
        for (int step = 0; step < alerts + leadSteps; step++) {
            pace(startNanos + step * periodNanos());
            if (step < alerts) {
                completedMs[step] = System.currentTimeMillis();
                series.send(Topics.METRICS_RAW, step, HOLDING, completedMs[step] - forMs);
            }
            int completing = step - leadSteps;
            if (completing >= 0) {
                firing.sent(completing, series.send(Topics.METRICS_RAW, completing, HOLDING,
                        completedMs[completing]));
            }
        }
        firing.awaitMeasured(timeout);
        return completedMs;
    }

    /** Per series a sample below the threshold just after the completing one, paced; waits for the RESOLVED alerts. */
    private void measureResolved(GpuSeries series, RoundTrips resolved, long[] completedMs)
            throws InterruptedException {
        long startNanos = System.nanoTime();
        for (int slot = 0; slot < alerts; slot++) {
            pace(startNanos + slot * periodNanos());
            resolved.sent(slot, series.send(Topics.METRICS_RAW, slot, BELOW, completedMs[slot] + 1));
        }
        resolved.awaitMeasured(timeout);
    }

    private long periodNanos() {
        return (long) (1e9 / rate);
    }

    /**
     * Steps between a series' holding and completing sample: about min(1 s, for / 2), at least one. Less than for,
     * so that the engine's wall-clock punctuation, which fires a pending alert once its series has been quiet for the
     * whole for, never fires it before the completing sample is sent.
     */
    private int leadSteps() {
        return (int) Math.max(1, Math.round(Math.min(1e9, forDuration.toNanos() / 2.0) / periodNanos()));
    }

    private void alertArrived(ConsumerRecord<String, byte[]> record, long nanos, Map<String, Integer> slots,
                              Deserializer<AlertEvent> alertEvents, RoundTrips firing, RoundTrips resolved) {
        Integer slot = slots.get(record.key());
        if (slot == null) {
            return; // not one of this run's series
        }
        AlertEvent alert = alertEvents.deserialize(record.topic(), record.headers(), record.value());
        (alert.getState() == AlertState.FIRING ? firing : resolved).arrived(slot, nanos);
    }

    private int report(RoundTrips baseline, RoundTrips firing, RoundTrips resolved, Exception sendFailure) {
        Latencies bare = baseline.latencies();
        Latencies fired = firing.latencies();
        Latencies ended = resolved.latencies();
        System.out.println(Latencies.header());
        System.out.println(bare.row("baseline round trip"));
        System.out.println(fired.row("alert FIRING"));
        System.out.println(ended.row("alert RESOLVED"));
        System.out.printf("  ratio FIRING/baseline  p50 %.1f, p99 %.1f; RESOLVED/baseline p50 %.1f, p99 %.1f%n",
                fired.percentileMs(0.5) / bare.percentileMs(0.5), fired.percentileMs(0.99) / bare.percentileMs(0.99),
                ended.percentileMs(0.5) / bare.percentileMs(0.5), ended.percentileMs(0.99) / bare.percentileMs(0.99));
        System.out.printf("  target: alert p99 <= %d ms (FIRING %s, RESOLVED %s). For comparison, Prometheus"
                        + " evaluates a rule once per evaluation_interval (1 min by default), so its alerts come up"
                        + " to 1 min + the scrape interval after the sample.%n", TARGET_P99.toMillis(),
                fired.percentileMs(0.99) <= TARGET_P99.toMillis() ? "met" : "NOT met",
                ended.percentileMs(0.99) <= TARGET_P99.toMillis() ? "met" : "NOT met");
        int missing = firing.missing() + resolved.missing() + baseline.missing();
        int duplicates = firing.duplicates() + resolved.duplicates() + baseline.duplicates();
        System.out.printf("  missing after %s: %d FIRING, %d RESOLVED, %d baseline; duplicates: %d FIRING,"
                        + " %d RESOLVED, %d baseline; arrived before their sample was sent: %d FIRING, %d RESOLVED%n",
                text(timeout), firing.missing(), resolved.missing(), baseline.missing(),
                firing.duplicates(), resolved.duplicates(), baseline.duplicates(), firing.early(), resolved.early());
        if (sendFailure != null) {
            System.out.println("  FAILED: a send failed: " + sendFailure);
            return 1;
        }
        if (missing > 0 || duplicates > 0) {
            System.out.println("  FAILED: records missing or delivered twice (a correctness failure, not a timing"
                    + " one)");
            return 1;
        }
        return 0;
    }

    private String rulesYaml() {
        return "rules:\n"
                + "  - name: " + RULE + "\n"
                + "    metric: " + METRIC + "\n"
                + "    condition: gt\n"
                + "    threshold: " + THRESHOLD + "\n"
                + "    for: " + forDuration.toMillis() + "ms\n"
                + "    severity: warning\n"
                + "    channels: [slack]\n";
    }

    private void requireValidOptions() {
        if (alerts < 1 || rate <= 0 || partitions < 1 || commitIntervalMs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--alerts, --rate, --partitions and --commit-interval-ms must be positive.");
        }
        if (forDuration.toMillis() < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--for must be at least 1 ms, or the holding sample fires the alert by itself.");
        }
    }

    private static void requireArrival(boolean arrived, String what) {
        if (!arrived) {
            throw new IllegalStateException("The " + what + " did not arrive within " + WARM_UP_TIMEOUT + ".");
        }
    }

    private static void requireNoFailure(Throwable... failures) {
        for (Throwable failure : failures) {
            if (failure != null) {
                throw new IllegalStateException("A consumer of the benchmark failed: " + failure, failure);
            }
        }
    }

    private static void awaitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + WARM_UP_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The streams application is " + streams.state() + " after "
                        + WARM_UP_TIMEOUT + ", not RUNNING.");
            }
            Thread.sleep(10); // a benchmark's progress poll, not a test wait
        }
    }

    /** Parks until {@code deadlineNanos} (System.nanoTime); returns at once when it has passed. */
    private static void pace(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** {@code duration} as 500 ms, 10 s or 5 min. */
    private static String text(Duration duration) {
        long ms = duration.toMillis();
        return ms % 60_000 == 0 ? ms / 60_000 + " min" : ms % 1_000 == 0 ? ms / 1_000 + " s" : ms + " ms";
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
