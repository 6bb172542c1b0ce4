package com.aima.metrics.rollup;

import com.aima.metrics.schema.MetricRollup;
import com.datadoghq.sketch.ddsketch.DDSketch;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * The running aggregate of one series in one window: exact count, sum, min and max, and a DDSketch for quantiles.
 * Aggregates merge exactly (counters add, sketches merge bin by bin), which is what lets each tier be built from the
 * tier below. Not thread-safe.
 */
final class Aggregate {

    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final double[] NO_QUANTILES = new double[3];

    private final String name;
    private final String unit;
    private final Map<String, String> labels;
    private long count;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private final DDSketch sketch;
    private int revision;

    private Aggregate(String name, String unit, Map<String, String> labels, DDSketch sketch) {
        this.name = name;
        this.unit = unit;
        this.labels = labels;
        this.sketch = sketch;
    }

    /** An empty aggregate of the series described by {@code name}, {@code unit} and {@code labels}. */
    static Aggregate empty(String name, String unit, Map<String, String> labels, Sketches sketches) {
        return new Aggregate(name, unit, labels, sketches.newSketch());
    }

    /** The aggregate a stored or received rollup describes. */
    static Aggregate of(MetricRollup rollup, Sketches sketches) {
        Aggregate aggregate = new Aggregate(rollup.getName(), rollup.getUnit(), rollup.getLabels(),
                sketches.decode(rollup.getSketch()));
        aggregate.count = rollup.getCount();
        aggregate.sum = rollup.getSum();
        aggregate.min = rollup.getMin();
        aggregate.max = rollup.getMax();
        aggregate.revision = rollup.getRevision();
        return aggregate;
    }

    void add(double value) {
        sketch.accept(value); // first: if it refuses the value, the counters stay consistent with the sketch
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    void merge(Aggregate other) {
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sketch.mergeWith(other.sketch);
    }

    String name() {
        return name;
    }

    String unit() {
        return unit;
    }

    Map<String, String> labels() {
        return labels;
    }

    int revision() {
        return revision;
    }

    void revision(int revision) {
        this.revision = revision;
    }

    /**
     * The rollup of this aggregate for window [{@code startMs}, {@code endMs}) of {@code tier}, with avg and the
     * quantiles computed; for state stores as well as for the output topics.
     */
    MetricRollup toRollup(Tier tier, long startMs, long endMs, boolean isFinal, Sketches sketches) {
        double[] quantiles = count == 0 ? new double[3] : sketch.getValuesAtQuantiles(QUANTILES);
        return build(tier, startMs, endMs, isFinal, quantiles, sketches);
    }

    /** The state-store form: like {@link #toRollup} without computing avg and quantiles, which only outputs need. */
    MetricRollup toState(Tier tier, long startMs, long endMs, Sketches sketches) {
        return build(tier, startMs, endMs, false, NO_QUANTILES, sketches);
    }

    private MetricRollup build(Tier tier, long startMs, long endMs, boolean isFinal, double[] quantiles,
                               Sketches sketches) {
        return MetricRollup.newBuilder()
                .setName(name)
                .setUnit(unit)
                .setLabels(labels)
                .setTier(tier.schemaTier())
                .setWindowStart(Instant.ofEpochMilli(startMs))
                .setWindowEnd(Instant.ofEpochMilli(endMs))
                .setCount(count)
                .setSum(sum)
                .setMin(min)
                .setMax(max)
                .setAvg(count == 0 ? 0 : sum / count)
                .setP50(quantiles[0])
                .setP95(quantiles[1])
                .setP99(quantiles[2])
                .setSketch(ByteBuffer.wrap(sketches.encode(sketch)))
                .setSketchRelativeAccuracy(sketches.relativeAccuracy())
                .setRevision(revision)
                .setFinal$(isFinal)
                .build();
    }
}
