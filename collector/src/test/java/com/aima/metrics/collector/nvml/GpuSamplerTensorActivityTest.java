package com.aima.metrics.collector.nvml;

import static com.aima.metrics.collector.nvml.GpuEvents.byGpu;
import static com.aima.metrics.collector.nvml.GpuEvents.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.MetricEvent;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tensor activity through GPM: the delta between two samples, absent (not zero) where GPM is not supported. */
class GpuSamplerTensorActivityTest extends FakeGpuSamplerTest {

    private static final Set<GpuMetric> TENSOR = EnumSet.of(GpuMetric.TENSOR_ACTIVE);
    private static final String TENSOR_ACTIVE = "gpu_tensor_active_percent";
    private static final long SECOND_US = 1_000_000;

    @Test
    void reportsTheActivityBetweenThePreviousAndTheCurrentSample() throws Exception {
        fake.fake_nvml_set_device_count(2);

        assertThat(sampler.sample(TENSOR)).isEmpty(); // the first sample of each GPU
        fake.fake_nvml_advance_gpm(0, 10 * SECOND_US, 2_500_000);
        fake.fake_nvml_advance_gpm(1, 10 * SECOND_US, 9 * SECOND_US);
        List<MetricEvent> second = sampler.sample(TENSOR);
        fake.fake_nvml_advance_gpm(0, 10 * SECOND_US, 7_500_000);
        fake.fake_nvml_advance_gpm(1, 10 * SECOND_US, 0);
        List<MetricEvent> third = sampler.sample(TENSOR);

        assertThat(byGpu(second, TENSOR_ACTIVE)).isEqualTo(Map.of("0", 25.0, "1", 90.0));
        // since the second sample, not since the first (which would give 50 and 45)
        assertThat(byGpu(third, TENSOR_ACTIVE)).isEqualTo(Map.of("0", 75.0, "1", 0.0));
        assertThat(third).allSatisfy(event -> {
            assertThat(event.getUnit()).isEqualTo("percent");
            assertThat(event.getLabels()).containsKeys("gpu", "gpu_uuid", "gpu_model", "node");
        });
    }

    @Test
    void aGpuWithoutGpmHasNoTensorActivityNotZeroAndThatIsLoggedOnce() throws Exception {
        fake.fake_nvml_set_gpm_supported(2, 0);

        sampler.sample(TENSOR);
        for (int gpu = 0; gpu < 4; gpu++) {
            fake.fake_nvml_advance_gpm(gpu, SECOND_US, SECOND_US / 2);
        }
        List<MetricEvent> second = sampler.sample(TENSOR);
        List<MetricEvent> third = sampler.sample(TENSOR);

        assertThat(byGpu(second, TENSOR_ACTIVE)).containsOnlyKeys("0", "1", "3");
        assertThat(byGpu(third, TENSOR_ACTIVE)).containsOnlyKeys("0", "1", "3");
        assertThat(sampler.unsupported(2)).containsExactly(GpuMetric.TENSOR_ACTIVE);
        assertThat(log.containing("does not support " + TENSOR_ACTIVE)).singleElement()
                .satisfies(line -> assertThat(line).startsWith("GPU 2 "));
    }

    @Test
    void aDriverWithoutGpmHasNoTensorActivityAndTheRestIsCollected() throws Exception {
        open(FakeNvml.libraryWithoutGpm());

        sampler.sample(EnumSet.of(GpuMetric.TENSOR_ACTIVE, GpuMetric.TEMPERATURE));
        List<MetricEvent> second = sampler.sample(EnumSet.of(GpuMetric.TENSOR_ACTIVE, GpuMetric.TEMPERATURE));

        assertThat(named(second, TENSOR_ACTIVE)).isEmpty();
        assertThat(named(second, "gpu_temperature_celsius")).hasSize(4);
        assertThat(log.containing("does not support " + TENSOR_ACTIVE)).hasSize(4);
    }

    @Test
    void aMetricTheDriverCannotComputeIsUnsupportedFromThenOn() throws Exception {
        fake.fake_nvml_force("nvmlGpmMetricsGet.metric", 1, NvmlReturn.ERROR_NOT_SUPPORTED);

        sampler.sample(TENSOR);
        List<MetricEvent> second = sampler.sample(TENSOR);

        assertThat(byGpu(second, TENSOR_ACTIVE)).containsOnlyKeys("0", "2", "3");
        assertThat(sampler.unsupported(1)).containsExactly(GpuMetric.TENSOR_ACTIVE);
    }

    @Test
    void aGpuLostWhileSamplingGpmIsReported() throws Exception {
        sampler.sample(TENSOR);
        fake.fake_nvml_force("nvmlGpmSampleGet", 0, NvmlReturn.ERROR_GPU_IS_LOST);
        fake.fake_nvml_force("nvmlGpmMetricsGet", 3, NvmlReturn.ERROR_GPU_IS_LOST);

        List<MetricEvent> events = sampler.sample(TENSOR);

        assertThat(byGpu(events, GpuMetric.GPU_LOST)).containsOnlyKeys("0", "3");
        assertThat(byGpu(events, TENSOR_ACTIVE)).containsOnlyKeys("1", "2");
    }

    @Test
    void closeFreesTheTwoSampleBuffersOfEachGpu() throws Exception {
        fake.fake_nvml_set_gpm_supported(3, 0);
        int before = fake.fake_nvml_gpm_samples_live();

        sampler.sample(TENSOR);
        sampler.sample(TENSOR);
        assertThat(fake.fake_nvml_gpm_samples_live() - before).isEqualTo(2 * 3);
        sampler.close();

        assertThat(fake.fake_nvml_gpm_samples_live()).isEqualTo(before);
    }
}
