package com.aima.metrics.collector.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The GPM part of the binding against the fake library, and against a driver that has no GPM symbols. */
class NvmlGpmTest extends FakeDriverTest {

    @Test
    void reportsSupportPerGpu() {
        fake.fake_nvml_set_gpm_supported(1, 0);

        assertThat(nvml.gpmSupported(nvml.device(0))).isTrue();
        assertThat(nvml.gpmSupported(nvml.device(1))).isFalse();
    }

    @Test
    void computesTensorActivityBetweenTwoSamples() {
        Nvml.Device gpu = nvml.device(2);
        Nvml.GpmSample earlier = nvml.allocateGpmSample();
        Nvml.GpmSample later = nvml.allocateGpmSample();
        nvml.gpmSample(gpu, earlier);
        fake.fake_nvml_advance_gpm(2, 10_000_000, 4_000_000);
        nvml.gpmSample(gpu, later);

        assertThat(nvml.gpmMetric(gpu, earlier, later, NvmlLibrary.GpmMetricsGet.METRIC_ANY_TENSOR_UTIL))
                .isEqualTo(40.0);
        nvml.freeGpmSample(earlier);
        nvml.freeGpmSample(later);
        assertThat(fake.fake_nvml_gpm_samples_live()).isZero();
    }

    @Test
    void aMetricTheDriverCannotComputeIsAnErrorWithItsOwnCode() {
        Nvml.Device gpu = nvml.device(0);
        Nvml.GpmSample earlier = nvml.allocateGpmSample();
        Nvml.GpmSample later = nvml.allocateGpmSample();
        nvml.gpmSample(gpu, earlier);
        nvml.gpmSample(gpu, later);
        try {
            assertThatThrownBy(() -> nvml.gpmMetric(gpu, earlier, later, 2)) // SM_UTIL: the fake has none
                    .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isNotSupported()).isTrue())
                    .hasMessageContaining("nvmlGpmMetricsGet(metric 2) on GPU 0");
        } finally {
            nvml.freeGpmSample(earlier);
            nvml.freeGpmSample(later);
        }
    }

    @Test
    void aGpuLostWhileSamplingIsAnError() {
        fake.fake_nvml_force("nvmlGpmSampleGet", 1, NvmlReturn.ERROR_GPU_IS_LOST);
        Nvml.GpmSample sample = nvml.allocateGpmSample();
        try {
            assertThatThrownBy(() -> nvml.gpmSample(nvml.device(1), sample))
                    .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isGpuLost()).isTrue());
        } finally {
            nvml.freeGpmSample(sample);
        }
    }

    @Test
    void aDriverWithoutGpmSymbolsSupportsNoGpmAndItsCallsAreNotSupported() throws Exception {
        open(FakeNvml.libraryWithoutGpm());

        assertThat(nvml.gpmSupported(nvml.device(0))).isFalse();
        assertThatThrownBy(nvml::allocateGpmSample)
                .isInstanceOfSatisfying(NvmlException.class, e -> {
                    assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_FUNCTION_NOT_FOUND);
                    assertThat(e.isNotSupported()).isTrue();
                })
                .hasMessageContaining("nvmlGpmSampleAlloc failed with NVML error 13: Function Not Found");
        assertThat(nvml.migDevices(nvml.device(0))).isEmpty(); // the rest of the library works
    }
}
