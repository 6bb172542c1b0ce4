package com.aima.metrics.serde;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Instant;
import java.util.Map;

/** Sample records for serde tests, with fixed times. */
final class TestEvents {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private TestEvents() {
    }

    static MetricEvent gpuUtilization(int gpu, double percent, long offsetMs) {
        return MetricEvent.newBuilder()
                .setName("gpu_utilization_percent")
                .setValue(percent)
                .setUnit("percent")
                .setEventTime(T0.plusMillis(offsetMs))
                .setLabels(Map.of("gpu", String.valueOf(gpu), "node", "gpu-node-1"))
                .setSource(Source.newBuilder().setHost("gpu-node-1").setCollectorId("collector-1")
                        .setKind(SourceKind.GPU).build())
                .build();
    }
}
