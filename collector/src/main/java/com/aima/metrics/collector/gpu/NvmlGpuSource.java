package com.aima.metrics.collector.gpu;

import com.aima.metrics.collector.MetricSource;
import com.aima.metrics.collector.nvml.GpuMetric;
import com.aima.metrics.collector.nvml.GpuSampler;
import com.aima.metrics.collector.nvml.Nvml;
import com.aima.metrics.schema.MetricEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The node's NVIDIA GPUs through NVML, as a {@link MetricSource} named {@code gpu}. */
public final class NvmlGpuSource implements MetricSource {

    private final Nvml nvml;
    private final GpuSampler sampler;

    public NvmlGpuSource(Nvml nvml, String host, String collectorId) {
        this.nvml = nvml;
        this.sampler = new GpuSampler(nvml, host, collectorId, Clock.systemUTC());
    }

    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public Map<String, Duration> defaultIntervals() {
        return GpuMetrics.defaultIntervals(metric -> true);
    }

    @Override
    public List<MetricEvent> sample(Set<String> metrics, Instant now) {
        return sampler.sample(GpuMetrics.byName(metrics), now);
    }

    @Override
    public void close() {
        try {
            sampler.close();
        } finally {
            nvml.close();
        }
    }

    /** Metric names to {@link GpuMetric}s and back. */
    static final class GpuMetrics {
        private GpuMetrics() {
        }

        /** The metric names of the metrics {@code included}, with their default intervals. */
        static Map<String, Duration> defaultIntervals(Predicate<GpuMetric> included) {
            Map<String, Duration> intervals = new LinkedHashMap<>();
            for (GpuMetric metric : GpuMetric.values()) {
                if (included.test(metric)) {
                    intervals.put(metric.metricName(), metric.defaultInterval());
                }
            }
            return intervals;
        }

        static Set<GpuMetric> byName(Set<String> names) {
            Set<GpuMetric> metrics = EnumSet.noneOf(GpuMetric.class);
            for (GpuMetric metric : GpuMetric.values()) {
                if (names.contains(metric.metricName())) {
                    metrics.add(metric);
                }
            }
            return metrics;
        }
    }
}
