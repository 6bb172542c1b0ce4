package com.aima.metrics.collector.otlp;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an OTLP metrics export into {@code MetricEvent}s of kind {@link SourceKind#JOB}, one per value, and counts and
 * names the data points it rejects. Names and units follow {@link OtlpNames}: {@code job.inference.time} in {@code ms}
 * becomes {@code job_inference_time_ms}.
 *
 * <ul>
 * <li><b>Gauge</b> and <b>sum</b>: one event per data point, the int or double value. A monotonic cumulative sum (a
 * running total) gets the suffix {@code _total}; delta sums (the increase in the export interval) and non-monotonic
 * sums keep the name.</li>
 * <li><b>Histogram</b> (explicit buckets): per data point {@code <name>_count} (unit {@code count}), and with the
 * point's sum {@code <name>_sum} and {@code <name>_avg} (sum / count, when count &gt; 0), {@code <name>_min} and
 * {@code <name>_max} where the point has them, and Prometheus-style cumulative buckets {@code <name>_bucket} with a
 * label {@code le} per upper bound, {@code +Inf} last. With delta temporality, which workers should use, each event
 * covers one export interval, so the rollups' sums over a window are the window's count, sum and buckets; with
 * cumulative temporality the values are running totals since the point's start time.</li>
 * <li><b>Exponential histograms and summaries</b> are not mapped: their points are rejected with a message.</li>
 * <li>A metric without data of a known type is skipped with a warning in the error message (no points rejected).</li>
 * </ul>
 *
 * <p>Labels: the resource attributes in {@link #RESOURCE_LABELS}, then the data point's attributes (they win on a
 * clash), keys made label names by {@link OtlpNames#labelName}. The event time is the point's {@code time_unix_nano}
 * truncated to milliseconds. A point is rejected, never published, when a value is NaN or infinite, the value or time
 * is missing, the metric name is invalid, an attribute key is empty, or two keys become the same label. Points flagged
 * {@code NO_RECORDED_VALUE} carry no value and are skipped without counting. Exemplars are ignored. Thread-safe.
 */
public final class OtlpMetricsMapper {

    /** The resource attributes kept as labels, and the label each becomes. */
    public static final Map<String, String> RESOURCE_LABELS = Map.of(
            "service.name", "service",
            "service.version", "service_version",
            "host.name", "node");
    /** How many different problems the error message names; the rest are counted. */
    public static final int MAX_PROBLEMS_NAMED = 10;

    private final Source source;

    /**
     * @param host        host name of the collector's node, for {@code source.host}
     * @param collectorId the collector instance's id, for {@code source.collectorId}
     */
    public OtlpMetricsMapper(String host, String collectorId) {
        this.source = Source.newBuilder()
                .setHost(Objects.requireNonNull(host, "host"))
                .setCollectorId(Objects.requireNonNull(collectorId, "collectorId"))
                .setKind(SourceKind.JOB)
                .build();
    }

    /** The events of every valid data point in {@code request}, and what was rejected. */
    public Result map(ExportMetricsServiceRequest request) {
        MappingBatch batch = new MappingBatch();
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Map<String, String> resourceLabels = new HashMap<>();
            for (KeyValue attribute : resourceMetrics.getResource().getAttributesList()) {
                String label = RESOURCE_LABELS.get(attribute.getKey());
                if (label != null) {
                    resourceLabels.put(label, OtlpNames.labelValue(attribute.getValue()));
                }
            }
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    mapMetric(metric, resourceLabels, batch);
                }
            }
        }
        return batch.result();
    }

    private void mapMetric(Metric metric, Map<String, String> resourceLabels, MappingBatch batch) {
        String name = OtlpNames.metricName(metric.getName(), metric.getUnit());
        if (name == null) {
            batch.reject(metric, pointCount(metric), "invalid metric name");
            return;
        }
        String unit = OtlpNames.unit(metric.getUnit());
        switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsList()
                    .forEach(point -> mapNumber(metric, name, unit, point, resourceLabels, batch));
            case SUM -> {
                Sum sum = metric.getSum();
                boolean runningTotal = sum.getIsMonotonic()
                        && sum.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
                String sumName = runningTotal && !name.endsWith("_total") ? name + "_total" : name;
                sum.getDataPointsList().forEach(point -> mapNumber(metric, sumName, unit, point, resourceLabels, batch));
            }
            case HISTOGRAM -> metric.getHistogram().getDataPointsList()
                    .forEach(point -> mapHistogram(metric, name, unit, point, resourceLabels, batch));
            case EXPONENTIAL_HISTOGRAM -> batch.reject(metric, pointCount(metric),
                    "exponential histograms are not supported; export explicit-bucket histograms");
            case SUMMARY -> batch.reject(metric, pointCount(metric),
                    "summaries are not supported; export histograms or gauges");
            default -> batch.warn(metric, "no gauge, sum or histogram data (an unknown or unset type); skipped");
        }
    }

    private void mapNumber(Metric metric, String name, String unit, NumberDataPoint point,
                           Map<String, String> resourceLabels, MappingBatch batch) {
        if (noRecordedValue(point.getFlags())) {
            return;
        }
        try {
            double value = switch (point.getValueCase()) {
                case AS_DOUBLE -> requireFinite(point.getAsDouble(), "value");
                case AS_INT -> point.getAsInt();
                default -> throw new RejectedPoint("missing value");
            };
            Instant time = eventTime(point.getTimeUnixNano());
            Map<String, String> labels = labels(resourceLabels, point.getAttributesList());
            batch.accept(List.of(event(name, value, unit, time, labels)));
        } catch (RejectedPoint e) {
            batch.reject(metric, 1, e.getMessage());
        }
    }

    private void mapHistogram(Metric metric, String name, String unit, HistogramDataPoint point,
                              Map<String, String> resourceLabels, MappingBatch batch) {
        if (noRecordedValue(point.getFlags())) {
            return;
        }
        try {
            Instant time = eventTime(point.getTimeUnixNano());
            Map<String, String> labels = labels(resourceLabels, point.getAttributesList());
            double count = unsigned(point.getCount());
            List<MetricEvent> events = new ArrayList<>();
            events.add(event(name + "_count", count, OtlpNames.COUNT_UNIT, time, labels));
            if (point.hasSum()) {
                double sum = requireFinite(point.getSum(), "sum");
                events.add(event(name + "_sum", sum, unit, time, labels));
                if (count > 0) {
                    events.add(event(name + "_avg", sum / count, unit, time, labels));
                }
            }
            if (point.hasMin()) {
                events.add(event(name + "_min", requireFinite(point.getMin(), "min"), unit, time, labels));
            }
            if (point.hasMax()) {
                events.add(event(name + "_max", requireFinite(point.getMax(), "max"), unit, time, labels));
            }
            addBuckets(name + "_bucket", point, time, labels, events);
            batch.accept(events);
        } catch (RejectedPoint e) {
            batch.reject(metric, 1, e.getMessage());
        }
    }

    private void addBuckets(String name, HistogramDataPoint point, Instant time, Map<String, String> labels,
                            List<MetricEvent> events) throws RejectedPoint {
        int buckets = point.getBucketCountsCount();
        if (buckets == 0) {
            return;
        }
        if (buckets != point.getExplicitBoundsCount() + 1) {
            throw new RejectedPoint(buckets + " bucket counts for " + point.getExplicitBoundsCount()
                    + " explicit bounds (must be one more)");
        }
        double cumulative = 0;
        double previousBound = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < buckets; i++) {
            String le = "+Inf";
            if (i < buckets - 1) {
                double bound = requireFinite(point.getExplicitBounds(i), "explicit bound");
                if (bound <= previousBound) {
                    throw new RejectedPoint("explicit bounds not increasing");
                }
                previousBound = bound;
                le = boundLabel(bound);
            }
            cumulative += unsigned(point.getBucketCounts(i));
            Map<String, String> bucketLabels = new HashMap<>(labels);
            bucketLabels.put("le", le);
            events.add(event(name, cumulative, OtlpNames.COUNT_UNIT, time, Map.copyOf(bucketLabels)));
        }
    }

    private MetricEvent event(String name, double value, String unit, Instant time, Map<String, String> labels) {
        return MetricEvent.newBuilder()
                .setName(name)
                .setValue(value)
                .setUnit(unit)
                .setEventTime(time)
                .setLabels(labels)
                .setSource(source)
                .build();
    }

    private static Map<String, String> labels(Map<String, String> resourceLabels, List<KeyValue> attributes)
            throws RejectedPoint {
        Map<String, String> labels = new HashMap<>(resourceLabels);
        Map<String, String> keyOfLabel = new HashMap<>();
        for (KeyValue attribute : attributes) {
            String label = OtlpNames.labelName(attribute.getKey());
            if (label == null) {
                throw new RejectedPoint("empty attribute key");
            }
            String clash = keyOfLabel.put(label, attribute.getKey());
            if (clash != null) {
                throw new RejectedPoint("attributes '" + clash + "' and '" + attribute.getKey()
                        + "' both become label " + label);
            }
            labels.put(label, OtlpNames.labelValue(attribute.getValue()));
        }
        return Map.copyOf(labels);
    }

    private static Instant eventTime(long timeUnixNano) throws RejectedPoint {
        // fixed64 in the proto: a negative long is a time after 2262, as wrong as a missing one.
        if (timeUnixNano <= 0) {
            throw new RejectedPoint("missing time_unix_nano");
        }
        return Instant.ofEpochMilli(timeUnixNano / 1_000_000);
    }

    private static double requireFinite(double value, String what) throws RejectedPoint {
        if (Double.isNaN(value)) {
            throw new RejectedPoint(what + " is NaN");
        }
        if (Double.isInfinite(value)) {
            throw new RejectedPoint(what + " is infinite");
        }
        return value;
    }

    private static double unsigned(long fixed64) {
        return fixed64 >= 0 ? fixed64 : Double.parseDouble(Long.toUnsignedString(fixed64));
    }

    private static boolean noRecordedValue(int flags) {
        return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
    }

    private static String boundLabel(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound)
                : Double.toString(bound);
    }

    private static int pointCount(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case SUM -> metric.getSum().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            default -> 0;
        };
    }

    /**
     * The outcome of one export.
     *
     * @param events             the events of the accepted points, in request order
     * @param acceptedDataPoints data points mapped to events (a histogram point gives several events)
     * @param rejectedDataPoints data points rejected
     * @param errorMessage       what was rejected or skipped and why, per metric; empty when nothing was
     */
    public record Result(List<MetricEvent> events, long acceptedDataPoints, long rejectedDataPoints,
                         String errorMessage) {
    }

    /** Why one data point is rejected; control flow only, so without a stack trace. */
    private static final class RejectedPoint extends Exception {
        RejectedPoint(String message) {
            super(message, null, false, false);
        }
    }
}
