package com.aima.metrics.collector.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.SourceKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatedGpuSourceTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void everySimulatedSampleIsLabelledAsSuch() {
        SimulatedGpuSource source = new SimulatedGpuSource(8, "demo-node", "c1");

        List<MetricEvent> events = source.sample(source.defaultIntervals().keySet(), T0);

        assertThat(events).hasSize(8 * source.defaultIntervals().size());
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getLabels()).containsEntry("source", "simulator").containsEntry("node", "demo-node")
                    .containsKeys("gpu", "gpu_uuid", "gpu_model");
            assertThat(event.getSource().getKind()).isEqualTo(SourceKind.GPU);
            assertThat(event.getEventTime()).isEqualTo(T0);
            assertThat(event.getValue()).isFinite().isNotNegative();
        });
        assertThat(events.stream().map(e -> e.getLabels().get("gpu")).distinct()).hasSize(8);
        assertThat(source.defaultIntervals()).doesNotContainKey("gpu_process_memory_used_bytes");
    }

    @Test
    void valuesStayInRangeAndEnergyOnlyGrows() {
        SimulatedGpuSource source = new SimulatedGpuSource(2, "n", "c");
        double lastEnergy = -1;
        for (int step = 0; step < 100; step++) {
            Instant now = T0.plusSeconds(30L * step);
            Map<String, Double> gpu0 = source.sample(source.defaultIntervals().keySet(), now).stream()
                    .filter(e -> e.getLabels().get("gpu").equals("0"))
                    .collect(Collectors.toMap(MetricEvent::getName, MetricEvent::getValue));
            assertThat(gpu0.get("gpu_utilization_percent")).isBetween(0.0, 100.0);
            assertThat(gpu0.get("gpu_memory_used_bytes")).isLessThanOrEqualTo(gpu0.get("gpu_memory_total_bytes"));
            assertThat(gpu0.get("gpu_energy_joules_total")).isGreaterThanOrEqualTo(lastEnergy);
            lastEnergy = gpu0.get("gpu_energy_joules_total");
        }
        assertThat(lastEnergy).isGreaterThan(30 * 99 * 20.0 - 1); // at least the idle power over the time
    }

    @Test
    void refusesNoGpus() {
        assertThatThrownBy(() -> new SimulatedGpuSource(0, "n", "c")).hasMessageContaining("gpu.simulated-gpus");
    }
}
