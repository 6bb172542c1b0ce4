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

/** Per-MIG-device metrics: labels, empty slots, unsupported utilization, the cached layout and its refresh. */
class GpuSamplerMigTest extends FakeGpuSamplerTest {

    private static final Set<GpuMetric> MIG = EnumSet.of(GpuMetric.MIG_MEMORY_USED, GpuMetric.MIG_MEMORY_TOTAL,
            GpuMetric.MIG_MEMORY_UTILIZATION, GpuMetric.MIG_UTILIZATION);
    private static final String USED = "gpu_mig_memory_used_bytes";
    private static final String UTILIZATION = "gpu_mig_utilization_percent";
    private static final long GIB = 1L << 30;

    @Test
    void reportsEveryMigDeviceWithItsLabelsAndSkipsEmptySlots() {
        fake.fake_nvml_set_mig(1, 1, 0b100101); // slots 0, 2 and 5: GPU instances 7, 9 and 12
        fake.fake_nvml_set_mig(3, 0, 0); // MIG-capable, off

        List<MetricEvent> events = sampler.sample(MIG);

        assertThat(byLabel(events, USED, "mig_instance")).isEqualTo(Map.of(
                "7", (double) (1L << 28), "9", (double) (3L << 28), "12", (double) (6L << 28)));
        assertThat(byLabel(events, "gpu_mig_memory_total_bytes", "mig_instance")).containsOnlyKeys("7", "9", "12")
                .allSatisfy((instance, total) -> assertThat(total).isEqualTo(10.0 * GIB));
        assertThat(byLabel(events, "gpu_mig_memory_utilization_percent", "mig_instance").get("9"))
                .isEqualTo(100.0 * 3 / 40);
        assertThat(named(events, USED)).filteredOn(e -> e.getLabels().get("mig_instance").equals("12"))
                .singleElement().satisfies(event -> assertThat(event.getLabels()).isEqualTo(Map.of(
                        "gpu", "1", "gpu_uuid", "GPU-00000000-0000-0000-0000-000000000001",
                        "mig_instance", "12", "mig_uuid", "MIG-00000000-0000-0000-0001-000000000005",
                        "gpu_model", "NVIDIA H100 80GB HBM3 (fake)", "node", "gpu-node-1")));
        assertThat(events).allSatisfy(event -> assertThat(event.getLabels()).containsEntry("gpu", "1"));
    }

    @Test
    void utilizationTheMigDeviceDoesNotSupportIsAbsentAndLoggedOncePerDevice() {
        fake.fake_nvml_set_mig(0, 1, 0b11);

        List<MetricEvent> first = sampler.sample(MIG);
        List<MetricEvent> second = sampler.sample(MIG);

        for (List<MetricEvent> sample : List.of(first, second)) {
            assertThat(named(sample, UTILIZATION)).isEmpty();
            assertThat(named(sample, USED)).hasSize(2);
        }
        assertThat(sampler.unsupportedOnMig("MIG-00000000-0000-0000-0000-000000000001"))
                .containsExactly(GpuMetric.MIG_UTILIZATION);
        assertThat(sampler.unsupported(0)).isEmpty();
        assertThat(log.containing("does not support " + UTILIZATION)).hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("MIG-00000000-0000-0000-0000-000000000000"))
                .anySatisfy(line -> assertThat(line).contains("MIG-00000000-0000-0000-0000-000000000001"));
    }

    @Test
    void utilizationIsReportedWhereTheDriverSupportsIt() {
        fake.fake_nvml_set_mig(0, 1, 0b1000);
        fake.fake_nvml_set_mig_utilization_supported(1);

        assertThat(byLabel(sampler.sample(MIG), UTILIZATION, "mig_instance")).isEqualTo(Map.of("10", 23.0));
    }

    @Test
    void theLayoutIsEnumeratedAgainAfterTheRefreshInterval() {
        fake.fake_nvml_set_mig(2, 1, 0b1);
        assertThat(named(sampler.sample(MIG), USED)).hasSize(1);
        fake.fake_nvml_set_mig(2, 1, 0b11); // an instance created: no call fails, so it shows at the refresh

        for (int sample = 2; sample <= MigLayout.REFRESH_SAMPLES; sample++) {
            assertThat(named(sampler.sample(MIG), USED)).as("sample %d", sample).hasSize(1);
        }
        assertThat(named(sampler.sample(MIG), USED)).hasSize(2);
    }

    @Test
    void aDestroyedInstanceIsSkippedAndTheLayoutEnumeratedAgainAtTheNextSample() {
        fake.fake_nvml_set_mig(2, 1, 0b111);
        assertThat(named(sampler.sample(MIG), USED)).hasSize(3);
        fake.fake_nvml_set_mig(2, 1, 0b101); // slot 1 destroyed: its handle fails

        List<MetricEvent> withStaleLayout = sampler.sample(MIG);
        List<MetricEvent> enumeratedAgain = sampler.sample(MIG);

        assertThat(byLabel(withStaleLayout, USED, "mig_instance")).containsOnlyKeys("7", "9");
        assertThat(named(withStaleLayout, GpuMetric.GPU_LOST)).isEmpty();
        assertThat(log.containing("MIG device MIG-00000000-0000-0000-0002-000000000001 of GPU 2 failed")).hasSize(1);
        assertThat(byLabel(enumeratedAgain, USED, "mig_instance")).containsOnlyKeys("7", "9");
        assertThat(log.containing("failed, its instance is likely gone")).hasSize(1);
    }

    @Test
    void aFailedEnumerationLeavesOutThatGpusMigDevicesForTheSampleOnly() {
        fake.fake_nvml_set_mig(1, 1, 0b1);
        fake.fake_nvml_set_mig(2, 1, 0b1);
        fake.fake_nvml_force("nvmlDeviceGetGpuInstanceId", 1, NvmlReturn.ERROR_INVALID_ARGUMENT);

        List<MetricEvent> events = sampler.sample(MIG);

        assertThat(byLabel(events, USED, "gpu")).containsOnlyKeys("2");
        assertThat(log.containing("Enumerating the MIG devices of GPU 1 failed")).hasSize(1);
        sampler.sample(MIG);
        assertThat(log.containing("Enumerating the MIG devices of GPU 1 failed")).hasSize(2); // tried again
    }

    @Test
    void aGpuLostWhileEnumeratingOrReadingMigDevicesIsReported() {
        fake.fake_nvml_set_mig(1, 1, 0b1);
        fake.fake_nvml_set_mig(2, 1, 0b1);
        sampler.sample(MIG); // GPU 2's layout is cached from here on
        fake.fake_nvml_force("nvmlDeviceGetMigMode", 1, NvmlReturn.ERROR_GPU_IS_LOST);
        fake.fake_nvml_force("nvmlDeviceGetMemoryInfo_v2", 2, NvmlReturn.ERROR_GPU_IS_LOST);
        fake.fake_nvml_set_mig(3, 1, 0b1);
        fake.fake_nvml_force("nvmlDeviceGetMigDeviceHandleByIndex", 3, NvmlReturn.ERROR_GPU_IS_LOST);

        // GPU 1's layout is cached: enumerating on it fails only at the refresh
        for (int sample = 2; sample <= MigLayout.REFRESH_SAMPLES; sample++) {
            sampler.sample(MIG);
        }
        List<MetricEvent> events = sampler.sample(MIG);

        assertThat(byLabel(events, GpuMetric.GPU_LOST, "gpu")).containsOnlyKeys("1", "2", "3");
        assertThat(named(events, USED)).isEmpty();
    }
}
