package com.aima.metrics.collector.nvml;

import static com.aima.metrics.collector.nvml.GpuEvents.byGpu;
import static com.aima.metrics.collector.nvml.GpuEvents.find;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.SourceKind;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NVML readings to MetricEvents, against the fake library: labels, values, NOT_SUPPORTED and lost GPUs. */
class GpuSamplerTest extends FakeGpuSamplerTest {


    @Test
    void samplesEveryMetricOfEveryGpuWithItsLabels() {
        List<MetricEvent> events = sampler.sample(EnumSet.allOf(GpuMetric.class));

        // 12 device metrics on 4 GPUs, plus one per process: the fake runs 0, 1, 2 and 3 processes on GPUs 0-3. None
        // of the rest: no GPU has MIG on or process utilization samples, and tensor activity needs a second sample.
        assertThat(events).hasSize(12 * 4 + 6);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getEventTime()).isEqualTo(NOW);
            assertThat(event.getSource().getKind()).isEqualTo(SourceKind.GPU);
            assertThat(event.getLabels()).containsKeys("gpu", "gpu_uuid", "gpu_model", "node");
        });
        MetricEvent memory = find(events, "gpu_memory_used_bytes", "2");
        assertThat(memory.getValue()).isEqualTo(3.0 * (1L << 30));
        assertThat(memory.getUnit()).isEqualTo("bytes");
        assertThat(memory.getLabels()).containsEntry("gpu_uuid", "GPU-00000000-0000-0000-0000-000000000002")
                .containsEntry("node", "gpu-node-1");
        assertThat(find(events, "gpu_power_watts", "1").getValue()).isEqualTo(101.0);
        assertThat(find(events, "gpu_memory_utilization_percent", "0").getValue()).isEqualTo(100.0 / 80);
        assertThat(find(events, "gpu_memory_bandwidth_utilization_percent", "0").getValue()).isEqualTo(5.0);
        assertThat(events.stream().filter(e -> e.getName().equals("gpu_process_memory_used_bytes")))
                .extracting(e -> e.getLabels().get("pid"))
                .containsExactlyInAnyOrder("2000", "3000", "3001", "4000", "4001", "4002");
    }

    @Test
    void anUnsupportedMetricIsSkippedForThatGpuAndTheRestIsCollected() {
        fake.fake_nvml_force("nvmlDeviceGetEncoderUtilization", 1, NvmlReturn.ERROR_NOT_SUPPORTED);

        List<MetricEvent> first = sampler.sample(EnumSet.of(GpuMetric.ENCODER_UTILIZATION, GpuMetric.TEMPERATURE));
        List<MetricEvent> second = sampler.sample(EnumSet.of(GpuMetric.ENCODER_UTILIZATION, GpuMetric.TEMPERATURE));

        for (List<MetricEvent> sample : List.of(first, second)) {
            assertThat(byGpu(sample, "gpu_encoder_utilization_percent")).containsOnlyKeys("0", "2", "3");
            assertThat(byGpu(sample, "gpu_temperature_celsius")).containsOnlyKeys("0", "1", "2", "3");
        }
        assertThat(sampler.unsupported(1)).containsExactly(GpuMetric.ENCODER_UTILIZATION);
        assertThat(sampler.unsupported(0)).isEmpty();
    }

    @Test
    void aLostGpuIsReportedAndTheOtherGpusAreSampled() {
        fake.fake_nvml_force("nvmlDeviceGetTemperature", 2, NvmlReturn.ERROR_GPU_IS_LOST);

        List<MetricEvent> events = sampler.sample(EnumSet.of(GpuMetric.TEMPERATURE));

        assertThat(byGpu(events, "gpu_temperature_celsius")).containsOnlyKeys("0", "1", "3");
        assertThat(events).filteredOn(e -> e.getName().equals(GpuMetric.GPU_LOST)).singleElement()
                .satisfies(lost -> {
                    assertThat(lost.getLabels()).containsEntry("gpu", "2");
                    assertThat(lost.getValue()).isEqualTo(1.0);
                });
    }

    @Test
    void anotherErrorSkipsThatMetricOfThatSampleOnlyAndIsCounted() {
        fake.fake_nvml_force("nvmlDeviceGetComputeRunningProcesses_v3", 3, NvmlReturn.ERROR_NO_PERMISSION);

        List<MetricEvent> events = sampler.sample(EnumSet.of(GpuMetric.PROCESS_MEMORY_USED, GpuMetric.TEMPERATURE));

        assertThat(byGpu(events, "gpu_temperature_celsius")).containsOnlyKeys("0", "1", "2", "3");
        assertThat(events).filteredOn(e -> e.getName().equals("gpu_process_memory_used_bytes"))
                .extracting(e -> e.getLabels().get("gpu")).containsOnly("1", "2");
        assertThat(sampler.failedReads()).isEqualTo(1);
        assertThat(sampler.unsupported(3)).as("not taken for NOT_SUPPORTED: tried again next time").isEmpty();
    }

    @Test
    void processMemoryTheDriverCannotTellIsNotReported() {
        fake.fake_nvml_set_process_memory_unavailable(3);

        List<MetricEvent> events = sampler.sample(EnumSet.of(GpuMetric.PROCESS_MEMORY_USED));

        assertThat(events).extracting(e -> e.getLabels().get("gpu")).containsOnly("1", "2").hasSize(3);
        assertThat(events).allSatisfy(e -> assertThat(e.getValue()).isPositive());
    }

    @Test
    void aGpuWhoseHandleCannotBeReadIsSkippedAndTheOthersAreSampled() {
        fake.fake_nvml_force("nvmlDeviceGetHandleByIndex_v2", 1, NvmlReturn.ERROR_NO_PERMISSION);

        List<MetricEvent> events = sampler.sample(EnumSet.of(GpuMetric.TEMPERATURE));

        assertThat(byGpu(events, "gpu_temperature_celsius")).containsOnlyKeys("0", "2", "3");
        assertThat(sampler.failedReads()).isEqualTo(1);
    }

    @Test
    void aLostGpuIsReportedAtEverySampleUntilItAnswers() {
        fake.fake_nvml_force("nvmlDeviceGetTemperature", 0, NvmlReturn.ERROR_GPU_IS_LOST);

        sampler.sample(EnumSet.of(GpuMetric.TEMPERATURE));
        List<MetricEvent> second = sampler.sample(EnumSet.of(GpuMetric.TEMPERATURE));
        fake.fake_nvml_clear_forced();
        List<MetricEvent> third = sampler.sample(EnumSet.of(GpuMetric.TEMPERATURE));

        assertThat(second).filteredOn(e -> e.getName().equals(GpuMetric.GPU_LOST)).hasSize(1);
        assertThat(third).noneMatch(e -> e.getName().equals(GpuMetric.GPU_LOST));
        assertThat(byGpu(third, "gpu_temperature_celsius")).containsOnlyKeys("0", "1", "2", "3");
    }
}
