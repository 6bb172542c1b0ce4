package com.aima.metrics.influx;

import static com.aima.metrics.influx.InfluxSchema.*;

import com.aima.metrics.influx.InfluxSchema.RetentionPolicy;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * Maps the pipeline's records to InfluxDB points, each with the retention policy it belongs to: the schema of
 * {@code docs/influxdb-sink.md}, shared by the sink and by any code that fills or queries InfluxDB the same way.
 * Times have millisecond precision. A series (measurement + tags) and a time identify a point, so writing the same
 * record twice leaves one point. Escaping is the client's ({@link Point#lineProtocol}). Stateless and thread-safe.
 *
 * <p>Label hygiene: a label with an empty value is dropped (InfluxDB rejects empty tag values); a label named
 * {@value InfluxSchema#TIME}, or named like a field or fixed tag of its measurement, is written as
 * {@value InfluxSchema#LABEL_PREFIX}{@code <name>}.
 */
public final class InfluxPoints {

    /** A point and the retention policy it is written to. */
    public record Routed(RetentionPolicy policy, Point point) {
    }

    private static final Set<String> RAW_FIELDS = Set.of(VALUE);
    private static final Set<String> ROLLUP_FIELDS = Set.of(COUNT, SUM, MIN, MAX, AVG, P50, P95, P99, REVISION, FINAL);
    /** Cost labels whose values are numbers by design: written as float fields, not tags. */
    static final Set<String> NUMERIC_COST_LABELS = Set.of("bias", "jobs", "budget_micros", "units_per_gpu_hour");
    private static final Set<String> COST_RESERVED = Set.of(PROJECT, PROVIDER, GPU_TYPE, ANALYSIS_TYPE, JOB_ID,
            CURRENCY, PRICED, AMOUNT, AMOUNT_MICROS, GPU_SECONDS, RATIO, ESTIMATE, ESTIMATE_MICROS, ENERGY_JOULES);
    private static final Set<String> ALERT_RESERVED = Set.of(RULE, SEVERITY, STATE, METRIC, FINGERPRINT, VALUE,
            THRESHOLD, SUMMARY, FIRING);
    private static final double MICROS_PER_UNIT = 1_000_000.0;

    private InfluxPoints() {
    }

    /**
     * The point of a {@link MetricEvent}, {@link MetricRollup}, {@link CostRecord} or {@link AlertEvent}.
     *
     * @throws IllegalArgumentException for any other type, and for a record the schema cannot hold (see the
     *                                  type's method)
     */
    public static Routed of(Object record) {
        if (record instanceof MetricEvent event) {
            return metric(event);
        }
        if (record instanceof MetricRollup rollup) {
            return rollup(rollup);
        }
        if (record instanceof CostRecord cost) {
            return cost(cost);
        }
        if (record instanceof AlertEvent alert) {
            return alert(alert);
        }
        throw new IllegalArgumentException("A " + (record == null ? "null" : record.getClass().getName())
                + " is not written to InfluxDB; only MetricEvent, MetricRollup, CostRecord and AlertEvent are.");
    }

    /**
     * Policy {@code raw}, measurement = metric name, tags = labels, field {@code value} (float), time = eventTime.
     *
     * @throws IllegalArgumentException if the value is NaN or infinite, or the name is empty
     */
    public static Routed metric(MetricEvent event) {
        Point.Builder point = measurement(event.getName(), event.getEventTime());
        labels(point, event.getLabels(), RAW_FIELDS);
        point.addField(VALUE, finite(VALUE, event.getValue()));
        return new Routed(RetentionPolicy.RAW, point.build());
    }

    /**
     * Policy of the tier, measurement = metric name, tags = labels, fields count (integer), sum, min, max, avg, p50,
     * p95, p99 (float), revision (integer), final (boolean); time = windowStart.
     *
     * @throws IllegalArgumentException if a float is NaN or infinite, or the name is empty
     */
    public static Routed rollup(MetricRollup rollup) {
        Point.Builder point = measurement(rollup.getName(), rollup.getWindowStart());
        labels(point, rollup.getLabels(), ROLLUP_FIELDS);
        point.addField(COUNT, rollup.getCount())
                .addField(SUM, finite(SUM, rollup.getSum()))
                .addField(MIN, finite(MIN, rollup.getMin()))
                .addField(MAX, finite(MAX, rollup.getMax()))
                .addField(AVG, finite(AVG, rollup.getAvg()))
                .addField(P50, finite(P50, rollup.getP50()))
                .addField(P95, finite(P95, rollup.getP95()))
                .addField(P99, finite(P99, rollup.getP99()))
                .addField(REVISION, (long) rollup.getRevision())
                .addField(FINAL, rollup.getFinal$());
        return new Routed(RetentionPolicy.of(rollup.getTier()), point.build());
    }

    /**
     * Policy {@code costs}, measurement {@code cost_<kind>}, time = windowStart. Tags: project, provider, gpu_type,
     * analysis_type, job_id, currency, priced where present, and the labels; fields amount (units), amount_micros
     * (integer), gpu_seconds, and where present ratio, estimate (units), estimate_micros (integer), energy_joules, plus
     * the {@link #NUMERIC_COST_LABELS} as floats (left out when not a finite number, for example
     * {@code budget_micros=none}).
     *
     * @throws IllegalArgumentException if a float is NaN or infinite
     */
    public static Routed cost(CostRecord cost) {
        Point.Builder point = measurement(costMeasurement(cost.getKind()), cost.getWindowStart());
        tag(point, PROJECT, cost.getProject());
        tag(point, PROVIDER, cost.getProvider());
        tag(point, GPU_TYPE, cost.getGpuType());
        tag(point, ANALYSIS_TYPE, cost.getAnalysisType() == null ? null : cost.getAnalysisType().name());
        tag(point, JOB_ID, cost.getJobId());
        tag(point, CURRENCY, cost.getCurrency());
        tag(point, PRICED, Boolean.toString(cost.getPriced()));
        for (Map.Entry<String, String> label : cost.getLabels().entrySet()) {
            if (NUMERIC_COST_LABELS.contains(label.getKey())) {
                Double number = number(label.getValue());
                if (number != null) {
                    point.addField(label.getKey(), number);
                }
            } else {
                label(point, label.getKey(), label.getValue(), COST_RESERVED);
            }
        }
        point.addField(AMOUNT, cost.getAmountMicros() / MICROS_PER_UNIT)
                .addField(AMOUNT_MICROS, cost.getAmountMicros())
                .addField(GPU_SECONDS, finite(GPU_SECONDS, cost.getGpuSeconds()));
        if (cost.getRatio() != null) {
            point.addField(RATIO, finite(RATIO, cost.getRatio()));
        }
        if (cost.getEstimateMicros() != null) {
            point.addField(ESTIMATE, cost.getEstimateMicros() / MICROS_PER_UNIT)
                    .addField(ESTIMATE_MICROS, cost.getEstimateMicros().longValue());
        }
        if (cost.getEnergyJoules() != null) {
            point.addField(ENERGY_JOULES, finite(ENERGY_JOULES, cost.getEnergyJoules()));
        }
        return new Routed(RetentionPolicy.COSTS, point.build());
    }

    /**
     * Policy {@code alerts}, measurement {@code alerts}, tags rule, severity, state, metric, fingerprint and the
     * labels; fields value, threshold (float), summary (string), firing (integer 1 or 0); time = startsAt when FIRING,
     * endsAt when RESOLVED.
     *
     * @throws IllegalArgumentException for a RESOLVED alert without endsAt, or a value or threshold that is NaN or
     *                                  infinite
     */
    public static Routed alert(AlertEvent alert) {
        boolean firing = alert.getState() == AlertState.FIRING;
        Instant time = firing ? alert.getStartsAt() : alert.getEndsAt();
        if (time == null) {
            throw new IllegalArgumentException("RESOLVED alert '" + alert.getFingerprint() + "' of rule '"
                    + alert.getRule() + "' has no endsAt, the time of its point.");
        }
        Point.Builder point = measurement(ALERTS_MEASUREMENT, time);
        tag(point, RULE, alert.getRule());
        tag(point, SEVERITY, alert.getSeverity().name());
        tag(point, STATE, alert.getState().name());
        tag(point, METRIC, alert.getMetric());
        tag(point, FINGERPRINT, alert.getFingerprint());
        labels(point, alert.getLabels(), ALERT_RESERVED);
        point.addField(VALUE, finite(VALUE, alert.getValue()))
                .addField(THRESHOLD, finite(THRESHOLD, alert.getThreshold()))
                .addField(SUMMARY, alert.getSummary())
                .addField(FIRING, firing ? 1L : 0L);
        return new Routed(RetentionPolicy.ALERTS, point.build());
    }

    /**
     * The name a label is written under: {@code label_<name>} for {@value InfluxSchema#TIME} and for a name in
     * {@code reserved} (the measurement's fields and fixed tags), else the name itself.
     */
    public static String labelKey(String name, Set<String> reserved) {
        return TIME.equals(name) || reserved.contains(name) ? LABEL_PREFIX + name : name;
    }

    private static Point.Builder measurement(String name, Instant time) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A point needs a measurement; the metric name is empty.");
        }
        return Point.measurement(name).time(time.toEpochMilli(), TimeUnit.MILLISECONDS);
    }

    private static void labels(Point.Builder point, Map<String, String> labels, Set<String> reserved) {
        labels.forEach((name, value) -> label(point, name, value, reserved));
    }

    private static void label(Point.Builder point, String name, String value, Set<String> reserved) {
        if (name != null && !name.isEmpty()) {
            tag(point, labelKey(name, reserved), value);
        }
    }

    /** Empty and null values are left out: InfluxDB has no empty tag value. */
    private static void tag(Point.Builder point, String name, String value) {
        if (value != null && !value.isEmpty()) {
            point.tag(name, value);
        }
    }

    /** Line protocol has no NaN or infinity; the client would drop the field without a word. */
    private static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Field '" + field + "' is " + value + "; InfluxDB only stores finite"
                    + " numbers.");
        }
        return value;
    }

    private static Double number(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }
}
