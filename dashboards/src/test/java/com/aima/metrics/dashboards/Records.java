package com.aima.metrics.dashboards;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.schema.RollupTier;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Builders of the pipeline's metric records for the data set, with the fields the collector and rollups set. */
final class Records {

    private Records() {
    }

    static MetricEvent metric(String name, String unit, Map<String, String> labels, Instant time, double value,
                              SourceKind kind) {
        String host = labels.getOrDefault("node", "streams-app");
        return MetricEvent.newBuilder().setName(name).setUnit(unit).setLabels(labels).setEventTime(time)
                .setValue(value)
                .setSource(Source.newBuilder().setHost(host).setCollectorId(host + "-collector").setKind(kind).build())
                .build();
    }

    /**
     * The rollup of {@code samples} over one window, with exact percentiles (the pipeline's come from a DDSketch
     * within 1 %; the sketch itself is not stored in InfluxDB, so it is left empty here).
     */
    static MetricRollup rollup(String name, String unit, Map<String, String> labels, RollupTier tier,
                               Instant windowStart, Instant windowEnd, double[] samples, boolean isFinal) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("A rollup of " + name + " needs at least one sample.");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        double sum = Arrays.stream(sorted).sum();
        return MetricRollup.newBuilder().setName(name).setUnit(unit).setLabels(labels).setTier(tier)
                .setWindowStart(windowStart).setWindowEnd(windowEnd).setCount(sorted.length).setSum(sum)
                .setMin(sorted[0]).setMax(sorted[sorted.length - 1]).setAvg(sum / sorted.length)
                .setP50(quantile(sorted, 0.50)).setP95(quantile(sorted, 0.95)).setP99(quantile(sorted, 0.99))
                .setSketch(ByteBuffer.allocate(0)).setRevision(0).setFinal$(isFinal).build();
    }

    /**
     * HOUR rollups of a series over the last {@code span}, from one sample a minute; the window holding
     * {@code now} covers the samples so far and is not final.
     */
    static List<MetricRollup> hourly(Instant now, String name, String unit, Map<String, String> labels,
                                     ToDoubleFunction<Instant> series, Duration span) {
        List<MetricRollup> rollups = new ArrayList<>();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        for (Instant start = hour.minus(span); !start.isAfter(hour); start = start.plus(Duration.ofHours(1))) {
            Instant end = start.plus(Duration.ofHours(1));
            rollups.add(rollup(name, unit, labels, RollupTier.HOUR, start, end,
                    samples(series, start, end.isAfter(now) ? now : end, Duration.ofMinutes(1)), !end.isAfter(now)));
        }
        return rollups;
    }

    /** The series at {@code from}, {@code from + step}, ... before {@code to}; at least the sample at {@code from}. */
    static double[] samples(ToDoubleFunction<Instant> series, Instant from, Instant to, Duration step) {
        int count = (int) Math.max(1, Duration.between(from, to).dividedBy(step));
        double[] samples = new double[count];
        for (int i = 0; i < count; i++) {
            samples[i] = series.applyAsDouble(from.plus(step.multipliedBy(i)));
        }
        return samples;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
