package com.aima.metrics.collector.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JNA structs against the C compiler's layout of the structs in fake_nvml.c (sizes and offsets), which are copied
 * from nvml.h (CUDA 12.2, NVIDIA/go-nvml) by hand: the test catches a JNA mapping that drifts from those copies, not a
 * copy that drifts from NVIDIA's header. Values round-tripped through the fake's functions, and the version checks of
 * the versioned structs.
 */
class NvmlLayoutTest extends FakeDriverTest {

    private NvmlLibrary library;

    @BeforeEach
    void loadTheLibrary() throws Exception {
        library = Native.load(FakeNvml.library().toString(), NvmlLibrary.class); // the same, initialised library
    }

    @Test
    void structSizesMatchTheCompilersLayoutOfNvmlH() {
        assertSize(new NvmlLibrary.ProcessUtilizationSample(), "nvmlProcessUtilizationSample_t", 32);
        assertSize(new NvmlLibrary.GpmMetric(), "nvmlGpmMetric_t", 40);
        assertSize(new NvmlLibrary.GpmMetricsGet(), "nvmlGpmMetricsGet_t", 24 + 98 * 40);
        assertSize(new NvmlLibrary.GpmSupport(), "nvmlGpmSupport_t", 8);
        assertSize(new NvmlLibrary.MemoryV2(), "nvmlMemory_v2_t", 40);
        assertSize(new NvmlLibrary.ProcessInfo(), "nvmlProcessInfo_t", 24);
    }

    @Test
    void fieldOffsetsMatch() {
        NvmlLibrary.ProcessUtilizationSample sample = new NvmlLibrary.ProcessUtilizationSample();
        sample.timeStamp = 0x1122334455667788L;
        sample.decUtil = 0x0badcafe;
        sample.write();
        assertThat(sample.getPointer().getLong(offset("nvmlProcessUtilizationSample_t.timeStamp")))
                .isEqualTo(0x1122334455667788L);
        assertThat(sample.getPointer().getInt(offset("nvmlProcessUtilizationSample_t.decUtil"))).isEqualTo(0x0badcafe);

        NvmlLibrary.GpmMetricsGet get = new NvmlLibrary.GpmMetricsGet();
        get.sample2 = new Pointer(0x5a5a5a5a5aL);
        get.metrics[0].value = 12.5;
        get.write();
        assertThat(Pointer.nativeValue(get.getPointer().getPointer(offset("nvmlGpmMetricsGet_t.sample2"))))
                .isEqualTo(0x5a5a5a5a5aL);
        assertThat(addressOf(get.metrics[0]) - addressOf(get)).isEqualTo(offset("nvmlGpmMetricsGet_t.metrics"));
        assertThat(get.metrics[0].getPointer().getDouble(offset("nvmlGpmMetric_t.value"))).isEqualTo(12.5);
        assertThat(addressOf(get.metrics[0].metricInfo) - addressOf(get.metrics[0]))
                .isEqualTo(offset("nvmlGpmMetric_t.metricInfo"));
    }

    @Test
    void processUtilizationSamplesRoundTripInAnArray() {
        long past32Bits = 1_700_000_000_000_000L; // a CPU timestamp in microseconds: needs all 64 bits
        fake.fake_nvml_add_process_sample(0, 41, past32Bits, 1, 2, 3, 4);
        fake.fake_nvml_add_process_sample(0, 42, past32Bits + 1, 5, 6, 7, 8);

        NvmlLibrary.ProcessUtilizationSample first = new NvmlLibrary.ProcessUtilizationSample();
        NvmlLibrary.ProcessUtilizationSample[] samples = (NvmlLibrary.ProcessUtilizationSample[]) first.toArray(3);
        IntByReference count = new IntByReference(3);
        assertThat(library.nvmlDeviceGetProcessUtilization(nvml.device(0).handle(), first, count, 0L))
                .isEqualTo(NvmlReturn.SUCCESS);

        assertThat(count.getValue()).isEqualTo(2);
        samples[1].read();
        assertThat(samples[1].pid).isEqualTo(42);
        assertThat(samples[1].timeStamp).isEqualTo(past32Bits + 1);
        assertThat(new int[] {samples[1].smUtil, samples[1].memUtil, samples[1].encUtil, samples[1].decUtil})
                .containsExactly(5, 6, 7, 8);
    }

    @Test
    void gpmMetricsRoundTripWithTheirReturnCodesAndNames() {
        PointerByReference earlier = new PointerByReference();
        PointerByReference later = new PointerByReference();
        Pointer gpu = nvml.device(0).handle();
        library.nvmlGpmSampleAlloc(earlier);
        library.nvmlGpmSampleAlloc(later);
        library.nvmlGpmSampleGet(gpu, earlier.getValue());
        fake.fake_nvml_advance_gpm(0, 2_000_000, 500_000);
        library.nvmlGpmSampleGet(gpu, later.getValue());

        NvmlLibrary.GpmMetricsGet get = new NvmlLibrary.GpmMetricsGet();
        get.numMetrics = 2;
        get.sample1 = earlier.getValue();
        get.sample2 = later.getValue();
        get.metrics[0].metricId = 2; // NVML_GPM_METRIC_SM_UTIL: the fake computes only tensor activity
        get.metrics[1].metricId = NvmlLibrary.GpmMetricsGet.METRIC_ANY_TENSOR_UTIL;
        assertThat(library.nvmlGpmMetricsGet(get)).isEqualTo(NvmlReturn.SUCCESS);

        assertThat(get.metrics[0].nvmlReturn).isEqualTo(NvmlReturn.ERROR_NOT_SUPPORTED);
        assertThat(get.metrics[1].nvmlReturn).isEqualTo(NvmlReturn.SUCCESS);
        assertThat(get.metrics[1].value).isEqualTo(25.0);
        assertThat(get.metrics[1].metricInfo.shortName).isEqualTo("any_tensor_util");
        assertThat(get.metrics[1].metricInfo.unit).isEqualTo("%");
        assertThat(library.nvmlGpmSampleFree(earlier.getValue())).isEqualTo(NvmlReturn.SUCCESS);
        assertThat(library.nvmlGpmSampleFree(later.getValue())).isEqualTo(NvmlReturn.SUCCESS);
        assertThat(fake.fake_nvml_gpm_samples_live()).isZero();
    }

    @Test
    void aWrongStructVersionIsAnArgumentVersionMismatch() {
        NvmlLibrary.GpmSupport support = new NvmlLibrary.GpmSupport();
        support.version = 2;
        assertThat(library.nvmlGpmQueryDeviceSupport(nvml.device(0).handle(), support))
                .isEqualTo(NvmlReturn.ERROR_ARGUMENT_VERSION_MISMATCH);

        NvmlLibrary.GpmMetricsGet get = new NvmlLibrary.GpmMetricsGet();
        get.version = 0;
        assertThat(library.nvmlGpmMetricsGet(get)).isEqualTo(NvmlReturn.ERROR_ARGUMENT_VERSION_MISMATCH);

        assertThat(nvml.gpmSupported(nvml.device(0))).isTrue(); // the binding sends the versions nvml.h defines
    }

    private void assertSize(Structure struct, String cType, int expectedBytes) {
        assertThat(struct.size()).as(cType).isEqualTo(fake.fake_nvml_sizeof(cType)).isEqualTo(expectedBytes);
    }

    private int offset(String typeDotField) {
        int offset = fake.fake_nvml_offsetof(typeDotField);
        assertThat(offset).as(typeDotField).isNotNegative();
        return offset;
    }

    private static long addressOf(Structure struct) {
        return Pointer.nativeValue(struct.getPointer());
    }
}
