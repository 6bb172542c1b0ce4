package com.aima.metrics.collector.nvml;

import static com.aima.metrics.collector.nvml.GpuEvents.byLabel;
import static com.aima.metrics.collector.nvml.GpuEvents.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.MetricEvent;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-process utilization: one event per process and metric, only samples newer than the last seen, per GPU. */
class GpuSamplerProcessUtilizationTest extends FakeGpuSamplerTest {

    private static final Set<GpuMetric> PROCESS_UTILIZATION = EnumSet.of(GpuMetric.PROCESS_SM_UTILIZATION,
            GpuMetric.PROCESS_MEMORY_BANDWIDTH_UTILIZATION, GpuMetric.PROCESS_ENCODER_UTILIZATION,
            GpuMetric.PROCESS_DECODER_UTILIZATION);
    private static final String SM = "gpu_process_sm_utilization_percent";

    @Test
    void reportsEachProcessWithItsPidAndGpuLabels() {
        fake.fake_nvml_add_process_sample(1, 2000, 5_000_000L, 60, 30, 0, 0);
        fake.fake_nvml_add_process_sample(1, 2001, 5_000_100L, 20, 10, 5, 7);

        List<MetricEvent> events = sampler.sample(PROCESS_UTILIZATION);

        assertThat(events).hasSize(4 * 2).allSatisfy(event -> assertThat(event.getLabels())
                .containsEntry("gpu", "1").containsEntry("gpu_uuid", "GPU-00000000-0000-0000-0000-000000000001")
                .containsKeys("gpu_model", "node", "pid"));
        assertThat(byLabel(events, SM, "pid")).isEqualTo(Map.of("2000", 60.0, "2001", 20.0));
        assertThat(byLabel(events, "gpu_process_memory_bandwidth_utilization_percent", "pid"))
                .isEqualTo(Map.of("2000", 30.0, "2001", 10.0));
        assertThat(byLabel(events, "gpu_process_encoder_utilization_percent", "pid"))
                .isEqualTo(Map.of("2000", 0.0, "2001", 5.0));
        assertThat(byLabel(events, "gpu_process_decoder_utilization_percent", "pid"))
                .isEqualTo(Map.of("2000", 0.0, "2001", 7.0));
    }

    @Test
    void reportsOnlySamplesNewerThanTheLastSeenOfThatGpu() {
        fake.fake_nvml_add_process_sample(0, 1000, 5_000_000L, 10, 0, 0, 0);
        fake.fake_nvml_add_process_sample(2, 3000, 9_000_000L, 30, 0, 0, 0);
        assertThat(sampler.sample(PROCESS_UTILIZATION)).hasSize(4 * 2);

        fake.fake_nvml_add_process_sample(0, 1000, 6_000_000L, 11, 0, 0, 0);
        fake.fake_nvml_add_process_sample(2, 3001, 8_000_000L, 99, 0, 0, 0); // older than GPU 2's last seen
        List<MetricEvent> second = sampler.sample(EnumSet.of(GpuMetric.PROCESS_SM_UTILIZATION));

        assertThat(named(second, SM)).singleElement().satisfies(event -> {
            assertThat(event.getLabels()).containsEntry("gpu", "0").containsEntry("pid", "1000");
            assertThat(event.getValue()).isEqualTo(11.0);
        });
    }

    @Test
    void noSamplesSinceTheLastSeenYieldNoEventsAndNoError() {
        fake.fake_nvml_add_process_sample(3, 4000, 5_000_000L, 10, 0, 0, 0);
        sampler.sample(PROCESS_UTILIZATION);

        assertThat(sampler.sample(PROCESS_UTILIZATION)).isEmpty(); // NOT_FOUND on every GPU
        assertThat(sampler.unsupported(3)).isEmpty();
    }

    @Test
    void aProcessWithSeveralSamplesIsReportedWithTheirMeanOverTheInterval() {
        fake.fake_nvml_add_process_sample(0, 1000, 5_000_000L, 10, 0, 0, 0);
        fake.fake_nvml_add_process_sample(0, 1000, 5_500_000L, 40, 0, 0, 0);
        fake.fake_nvml_add_process_sample(0, 1000, 5_200_000L, 25, 0, 0, 0);

        assertThat(byLabel(sampler.sample(PROCESS_UTILIZATION), SM, "pid")).isEqualTo(Map.of("1000", 25.0));
    }

    @Test
    void aGpuInMigModeDoesNotSupportItAndThatIsLoggedOnce() {
        fake.fake_nvml_set_mig(2, 1, 0b1);
        fake.fake_nvml_add_process_sample(1, 2000, 5_000_000L, 60, 30, 0, 0);

        sampler.sample(EnumSet.of(GpuMetric.PROCESS_SM_UTILIZATION));
        List<MetricEvent> second = sampler.sample(EnumSet.of(GpuMetric.PROCESS_SM_UTILIZATION));

        assertThat(second).isEmpty(); // GPU 1's sample was reported in the first
        assertThat(sampler.unsupported(2)).containsExactly(GpuMetric.PROCESS_SM_UTILIZATION);
        assertThat(log.containing("GPU 2 does not support " + SM)).hasSize(1);
    }

    @Test
    void aGpuLostWhileReadingProcessUtilizationIsReported() {
        fake.fake_nvml_force("nvmlDeviceGetProcessUtilization", 3, NvmlReturn.ERROR_GPU_IS_LOST);
        fake.fake_nvml_add_process_sample(0, 1000, 5_000_000L, 10, 0, 0, 0);

        List<MetricEvent> events = sampler.sample(PROCESS_UTILIZATION);

        assertThat(named(events, GpuMetric.GPU_LOST)).singleElement()
                .satisfies(lost -> assertThat(lost.getLabels()).containsEntry("gpu", "3"));
        assertThat(named(events, SM)).hasSize(1);
    }
}
