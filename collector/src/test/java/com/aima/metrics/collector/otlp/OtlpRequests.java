package com.aima.metrics.collector.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.List;

/** Builders for OTLP export requests in tests, all points at {@link #TIME}. */
final class OtlpRequests {

    /** The data points' time; the nanoseconds below the millisecond are dropped in events. */
    static final Instant TIME = Instant.parse("2026-11-18T10:15:00.123Z");
    static final long TIME_UNIX_NANO = TIME.toEpochMilli() * 1_000_000 + 456_789;

    private OtlpRequests() {
    }

    /** One resource (a media worker on node gpu-node-7) with one scope holding {@code metrics}. */
    static ExportMetricsServiceRequest request(Metric... metrics) {
        Resource resource = Resource.newBuilder()
                .addAttributes(attribute("service.name", "media-worker"))
                .addAttributes(attribute("host.name", "gpu-node-7"))
                .addAttributes(attribute("process.pid", "4242"))
                .build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build();
    }

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static NumberDataPoint.Builder point(double value) {
        return NumberDataPoint.newBuilder().setAsDouble(value).setTimeUnixNano(TIME_UNIX_NANO)
                .addAttributes(attribute("job_id", "job-1"));
    }

    static NumberDataPoint.Builder point(long value) {
        return NumberDataPoint.newBuilder().setAsInt(value).setTimeUnixNano(TIME_UNIX_NANO)
                .addAttributes(attribute("job_id", "job-1"));
    }

    static Metric gauge(String name, String unit, NumberDataPoint.Builder... points) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (NumberDataPoint.Builder point : points) {
            gauge.addDataPoints(point);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setGauge(gauge).build();
    }

    static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality temporality,
                      NumberDataPoint.Builder... points) {
        Sum.Builder sum = Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(temporality);
        for (NumberDataPoint.Builder point : points) {
            sum.addDataPoints(point);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setSum(sum).build();
    }

    /** A delta histogram point with bounds 10, 50 and the given bucket counts, sum, min and max. */
    static HistogramDataPoint.Builder histogramPoint(double sum, double min, double max, long... bucketCounts) {
        HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder().setTimeUnixNano(TIME_UNIX_NANO)
                .addAttributes(attribute("job_id", "job-1"))
                .setSum(sum).setMin(min).setMax(max)
                .addExplicitBounds(10).addExplicitBounds(50);
        long count = 0;
        for (long bucketCount : bucketCounts) {
            point.addBucketCounts(bucketCount);
            count += bucketCount;
        }
        return point.setCount(count);
    }

    static Metric histogram(String name, String unit, HistogramDataPoint.Builder... points) {
        Histogram.Builder histogram = Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        for (HistogramDataPoint.Builder point : points) {
            histogram.addDataPoints(point);
        }
        return Metric.newBuilder().setName(name).setUnit(unit).setHistogram(histogram).build();
    }
}
