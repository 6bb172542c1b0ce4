package com.aima.metrics.collector.nvml;

import com.aima.metrics.schema.MetricEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Picks events out of a sample, for the sampler tests. */
final class GpuEvents {

    private GpuEvents() {
    }

    static List<MetricEvent> named(List<MetricEvent> events, String name) {
        return events.stream().filter(e -> e.getName().equals(name)).toList();
    }

    /** The one event {@code name} of GPU {@code gpu}. */
    static MetricEvent find(List<MetricEvent> events, String name, String gpu) {
        return events.stream().filter(e -> e.getName().equals(name) && e.getLabels().get("gpu").equals(gpu))
                .findFirst().orElseThrow();
    }

    /** The values of the events {@code name}, by the value of their label {@code label}. */
    static Map<String, Double> byLabel(List<MetricEvent> events, String name, String label) {
        return named(events, name).stream()
                .collect(Collectors.toMap(e -> e.getLabels().get(label), MetricEvent::getValue));
    }

    static Map<String, Double> byGpu(List<MetricEvent> events, String name) {
        return byLabel(events, name, "gpu");
    }
}
