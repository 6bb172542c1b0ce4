package com.aima.metrics.dashboards;

import static com.aima.metrics.dashboards.Records.metric;
import static com.aima.metrics.dashboards.Records.rollup;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.RollupTier;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.schema.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.avro.specific.SpecificRecord;

/**
 * The fleet's records for the data set: what the collectors of three GPU nodes publish (GPU, host and queue metrics,
 * one lost GPU), their rollups in every tier, the job error rate and the alerts that fired. Values are smooth daily
 * curves with deterministic noise, so every run writes the same points relative to {@code now}.
 */
final class FleetDataSet {

    /** One GPU with a collector. */
    record Gpu(String node, int index, String uuid, String model, double memoryBytes, double maxWatts) {
        Map<String, String> labels() {
            return Map.of("node", node, "gpu", Integer.toString(index), "gpu_uuid", uuid, "gpu_model", model);
        }
    }

    static final List<Gpu> GPUS = List.of(
            new Gpu("gpu-node-1", 0, "GPU-5d3a0f2e-h100-0", "NVIDIA H100 80GB HBM3", 80e9, 700),
            new Gpu("gpu-node-1", 1, "GPU-5d3a0f2e-h100-1", "NVIDIA H100 80GB HBM3", 80e9, 700),
            new Gpu("gpu-node-2", 0, "GPU-9b17c4d1-l4-0", "NVIDIA L4", 24e9, 72),
            new Gpu("gpu-node-2", 1, "GPU-9b17c4d1-l4-1", "NVIDIA L4", 24e9, 72),
            new Gpu("gpu-node-3", 0, "GPU-2e8f6a90-4090-0", "NVIDIA GeForce RTX 4090", 24e9, 450));
    static final List<String> NODES = List.of("gpu-node-1", "gpu-node-2", "gpu-node-3");
    static final List<String> QUEUES = List.of("video", "image", "audio");

    private static final Duration RAW_SPAN = Duration.ofHours(6);
    static final Duration SAMPLE = Duration.ofMinutes(1);

    private final Instant now;
    private final List<SpecificRecord> records = new ArrayList<>();

    private FleetDataSet(Instant now) {
        this.now = now;
    }

    static List<SpecificRecord> build(Instant now) {
        FleetDataSet fleet = new FleetDataSet(now);
        fleet.gpus();
        fleet.hosts();
        fleet.queues();
        fleet.alerts();
        return fleet.records;
    }

    private void gpus() {
        for (Gpu gpu : GPUS) {
            Map<String, String> labels = gpu.labels();
            ToDoubleFunction<Instant> utilization = t -> utilization(gpu, t);
            ToDoubleFunction<Instant> temperature = t -> temperature(gpu, t);
            for (Instant t = now.minus(RAW_SPAN); !t.isAfter(now); t = t.plus(SAMPLE)) {
                double used = utilization.applyAsDouble(t);
                records.add(metric("gpu_utilization_percent", "percent", labels, t, used, SourceKind.GPU));
                records.add(metric("gpu_memory_utilization_percent", "percent", labels, t, memoryPercent(gpu, t),
                        SourceKind.GPU));
                records.add(metric("gpu_memory_used_bytes", "bytes", labels, t,
                        Math.rint(gpu.memoryBytes() * memoryPercent(gpu, t) / 100), SourceKind.GPU));
                records.add(metric("gpu_temperature_celsius", "celsius", labels, t, temperature.applyAsDouble(t),
                        SourceKind.GPU));
                records.add(metric("gpu_power_watts", "watts", labels, t, gpu.maxWatts() * (0.15 + 0.8 * used / 100),
                        SourceKind.GPU));
            }
            hourly("gpu_utilization_percent", "percent", labels, utilization, Duration.ofHours(48));
            hourly("gpu_temperature_celsius", "celsius", labels, temperature, Duration.ofHours(48));
            tiers("gpu_utilization_percent", "percent", labels, utilization);
        }
        // GPU 1 of gpu-node-3 fell off the bus 45 minutes ago: NVML answers GPU_IS_LOST instead of its metrics.
        Map<String, String> lost = Map.of("node", "gpu-node-3", "gpu", "1");
        for (Instant t = now.minus(Duration.ofMinutes(45)); !t.isAfter(now); t = t.plus(SAMPLE)) {
            records.add(metric("gpu_lost", "count", lost, t, 1, SourceKind.GPU));
        }
    }

    private void hosts() {
        for (int n = 0; n < NODES.size(); n++) {
            int node = n;
            Map<String, String> labels = Map.of("node", NODES.get(n));
            double totalBytes = 512e9 / (node + 1);
            ToDoubleFunction<Instant> cpu = t -> clamp(25 + 20 * daily(t, node) + 10 * Noise.signed(node, t));
            for (Instant t = now.minus(RAW_SPAN); !t.isAfter(now); t = t.plus(SAMPLE)) {
                records.add(metric("host_cpu_utilization_percent", "percent", labels, t, cpu.applyAsDouble(t),
                        SourceKind.SYSTEM));
                records.add(metric("host_memory_used_bytes", "bytes", labels, t,
                        Math.rint(totalBytes * (0.45 + 0.2 * daily(t, node))), SourceKind.SYSTEM));
                records.add(metric("host_memory_total_bytes", "bytes", labels, t, totalBytes, SourceKind.SYSTEM));
            }
            hourly("host_cpu_utilization_percent", "percent", labels, cpu, Duration.ofHours(48));
        }
    }

    private void queues() {
        for (int n = 0; n < 2; n++) {
            for (int q = 0; q < QUEUES.size(); q++) {
                int key = 10 * n + q;
                Map<String, String> labels = Map.of("node", NODES.get(n), "queue", QUEUES.get(q),
                        "service", "media-worker");
                // The video queue of gpu-node-2 backed up 4 hours ago (the job_queue_long alert below).
                ToDoubleFunction<Instant> length = t -> Math.max(0, Math.rint(
                        (key == 10 && near(t, Duration.ofHours(4), Duration.ofMinutes(40)) ? 23 : 6)
                                + 5 * daily(t, key) + 3 * Noise.signed(key, t)));
                ToDoubleFunction<Instant> wait = t -> 30 + 20 * length.applyAsDouble(t) + 15 * Noise.unit(key, t);
                for (Instant t = now.minus(RAW_SPAN); !t.isAfter(now); t = t.plus(SAMPLE)) {
                    records.add(metric("job_queue_length", "count", labels, t, length.applyAsDouble(t),
                            SourceKind.JOB));
                    records.add(metric("job_wait_time_seconds_avg", "seconds", labels, t, wait.applyAsDouble(t),
                            SourceKind.JOB));
                }
                hourly("job_wait_time_seconds_avg", "seconds", labels, wait, Duration.ofHours(48));
            }
        }
        // Failed ÷ finished jobs of the platform, derived by the alert engine; above 5 % three hours ago.
        ToDoubleFunction<Instant> errorRate = t -> near(t, Duration.ofHours(3), Duration.ofMinutes(20))
                ? 7.1 : 1.5 + 1.5 * Noise.unit(99, t);
        for (Instant t = now.minus(RAW_SPAN); !t.isAfter(now); t = t.plus(SAMPLE)) {
            records.add(metric("job_error_rate_percent", "percent", Map.of(), t, errorRate.applyAsDouble(t),
                    SourceKind.JOB));
        }
        hourly("job_error_rate_percent", "percent", Map.of(), errorRate, Duration.ofHours(48));
    }

    private void alerts() {
        Gpu hot = GPUS.get(4);
        alert("gpu_temperature_high", Severity.CRITICAL, "gpu_temperature_celsius", hot.labels(), 85, 87.2, 83.9,
                Duration.ofMinutes(130), Duration.ofMinutes(110),
                "GPU 0 on gpu-node-3 at 87.2 °C (above 85 °C)");
        alert("gpu_utilization_high", Severity.WARNING, "gpu_utilization_percent", GPUS.get(0).labels(), 95, 97.5,
                0, Duration.ofMinutes(40), null, "GPU 0 on gpu-node-1 above 95 % for 10 min (97.5 %)");
        alert("budget_warning", Severity.WARNING, "budget_used_percent",
                Map.of("project", "archive", "period", "month"), 80, 81.3, 0, Duration.ofHours(5), null,
                "Project archive has used 81.3 % of its month budget");
        alert("job_error_rate_high", Severity.CRITICAL, "job_error_rate_percent", Map.of(), 5, 7.1, 3.2,
                Duration.ofMinutes(180), Duration.ofMinutes(160),
                "7.1 % of the jobs finished in the last 5 min failed (above 5 %)");
        alert("job_queue_long", Severity.WARNING, "job_queue_length",
                Map.of("node", "gpu-node-2", "queue", "video", "service", "media-worker"), 20, 23, 12,
                Duration.ofMinutes(240), Duration.ofMinutes(200), "23 jobs queued in video for more than 30 min");
        alert("gpu_memory_high", Severity.WARNING, "gpu_memory_utilization_percent", GPUS.get(2).labels(), 90, 93.4,
                71, Duration.ofDays(10), Duration.ofDays(10).minusMinutes(20),
                "GPU 0 on gpu-node-2 uses 93.4 % of its memory (above 90 %)");
    }

    /** One alert instance: its FIRING event, and its RESOLVED event when {@code resolvedAgo} is not null. */
    private void alert(String rule, Severity severity, String metric, Map<String, String> labels, double threshold,
                       double firingValue, double resolvedValue, Duration firedAgo, Duration resolvedAgo,
                       String summary) {
        String fingerprint = Long.toHexString(Noise.mix((rule + labels).hashCode()));
        AlertEvent.Builder event = AlertEvent.newBuilder().setFingerprint(fingerprint).setRule(rule)
                .setSeverity(severity).setMetric(metric).setLabels(labels).setCondition("gt").setThreshold(threshold)
                .setStartsAt(now.minus(firedAgo)).setSummary(summary).setChannels(List.of("slack", "email"));
        records.add(event.setState(AlertState.FIRING).setValue(firingValue).setEndsAt(null).build());
        if (resolvedAgo != null) {
            records.add(event.setState(AlertState.RESOLVED).setValue(resolvedValue)
                    .setEndsAt(now.minus(resolvedAgo)).build());
        }
    }

    private void hourly(String name, String unit, Map<String, String> labels, ToDoubleFunction<Instant> series,
                        Duration span) {
        records.addAll(Records.hourly(now, name, unit, labels, series, span));
    }

    /** DAY rollups of the last 7 days, MONTH rollups of this and the last month, YEAR rollups of this and last year. */
    private void tiers(String name, String unit, Map<String, String> labels, ToDoubleFunction<Instant> series) {
        ZonedDateTime today = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        for (int day = 7; day >= 0; day--) {
            window(name, unit, labels, series, RollupTier.DAY, today.minusDays(day), today.minusDays(day - 1),
                    Duration.ofMinutes(10));
        }
        ZonedDateTime month = today.withDayOfMonth(1);
        window(name, unit, labels, series, RollupTier.MONTH, month.minusMonths(1), month, Duration.ofHours(1));
        window(name, unit, labels, series, RollupTier.MONTH, month, month.plusMonths(1), Duration.ofHours(1));
        ZonedDateTime year = today.withDayOfYear(1);
        window(name, unit, labels, series, RollupTier.YEAR, year.minusYears(1), year, Duration.ofHours(6));
        window(name, unit, labels, series, RollupTier.YEAR, year, year.plusYears(1), Duration.ofHours(6));
    }

    private void window(String name, String unit, Map<String, String> labels, ToDoubleFunction<Instant> series,
                        RollupTier tier, ZonedDateTime start, ZonedDateTime end, Duration step) {
        Instant to = end.toInstant().isAfter(now) ? now : end.toInstant();
        records.add(rollup(name, unit, labels, tier, start.toInstant(), end.toInstant(),
                Records.samples(series, start.toInstant(), to, step), !end.toInstant().isAfter(now)));
    }

    private double utilization(Gpu gpu, Instant t) {
        int key = GPUS.indexOf(gpu);
        // GPU 0 of gpu-node-1 has run flat out for the last 50 minutes (the gpu_utilization_high alert).
        if (key == 0 && !t.isBefore(now.minus(Duration.ofMinutes(50)))) {
            return 96 + 3 * Noise.unit(key, t);
        }
        return clamp(55 + 30 * daily(t, key) + 8 * Noise.signed(key, t));
    }

    private double memoryPercent(Gpu gpu, Instant t) {
        int key = GPUS.indexOf(gpu);
        return clamp(40 + 35 * daily(t, key + 3) + 5 * Noise.signed(key + 50, t));
    }

    private double temperature(Gpu gpu, Instant t) {
        int key = GPUS.indexOf(gpu);
        if (key == 4 && near(t, Duration.ofMinutes(120), Duration.ofMinutes(10))) {
            return 87.2;
        }
        return 52 + 0.3 * utilization(gpu, t) + 2 * Noise.signed(key + 100, t);
    }

    /** Whether {@code t} lies within {@code halfWidth} of {@code ago} before now. */
    private boolean near(Instant t, Duration ago, Duration halfWidth) {
        return Duration.between(t, now.minus(ago)).abs().compareTo(halfWidth) <= 0;
    }

    /** A daily wave in -1..1, shifted per series. */
    static double daily(Instant t, int key) {
        double day = (t.getEpochSecond() % 86_400) / 86_400.0;
        return Math.sin(2 * Math.PI * (day + key / 7.0));
    }

    static double clamp(double percent) {
        return Math.max(0, Math.min(100, percent));
    }

    /** Deterministic noise of a series at a time: the same value in every run, without shared state. */
    static final class Noise {
        private Noise() {
        }

        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        /** In 0..1. */
        static double unit(int key, Instant t) {
            return (mix(key * 0x9E3779B97F4A7C15L + t.getEpochSecond()) >>> 11) * 0x1.0p-53;
        }

        /** In -1..1. */
        static double signed(int key, Instant t) {
            return 2 * unit(key, t) - 1;
        }
    }
}
