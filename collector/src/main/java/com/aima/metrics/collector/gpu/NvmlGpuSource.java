package com.aima.metrics.collector.gpu;

import com.aima.metrics.collector.MetricSource;
import com.aima.metrics.collector.nvml.GpuMetric;
import com.aima.metrics.collector.nvml.GpuSampler;
import com.aima.metrics.collector.nvml.Nvml;
import com.aima.metrics.schema.MetricEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        return GpuMetric.defaultIntervals(metric -> true);
    }

    @Override
    public List<MetricEvent> sample(Set<String> metrics, Instant now) {
        return sampler.sample(GpuMetric.named(metrics), now);
    }

    @Override
    public void close() {
        try {
            sampler.close();
        } finally {
            nvml.close();
        }
    }
}
