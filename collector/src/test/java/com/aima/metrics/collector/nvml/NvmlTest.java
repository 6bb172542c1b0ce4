package com.aima.metrics.collector.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The NVML binding against the fake library built from C: symbols, struct layouts, the resize loop, error paths. */
class NvmlTest extends FakeDriverTest {

    private static final long GIB = 1L << 30;

    @Test
    void readsEveryMetricOfEveryGpu() {
        assertThat(nvml.deviceCount()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            Nvml.Device gpu = nvml.device(i);
            assertThat(nvml.name(gpu)).isEqualTo("NVIDIA H100 80GB HBM3 (fake)");
            assertThat(nvml.uuid(gpu)).isEqualTo(String.format("GPU-00000000-0000-0000-0000-%012d", i));
            assertThat(nvml.utilization(gpu)).isEqualTo(new Nvml.Utilization(10 * (i + 1), 5 * (i + 1)));
            // the v2 struct with its version field: a wrong layout or version gets ARGUMENT_VERSION_MISMATCH
            assertThat(nvml.memory(gpu)).isEqualTo(new Nvml.MemoryInfo(80 * GIB, 512L << 20,
                    80 * GIB - (512L << 20) - (i + 1) * GIB, (i + 1) * GIB));
            assertThat(nvml.temperatureCelsius(gpu)).isEqualTo(40 + i);
            assertThat(nvml.powerWatts(gpu)).isEqualTo(100.0 + i);
            assertThat(nvml.totalEnergyJoules(gpu)).isEqualTo(1000.0 * (i + 1));
            assertThat(nvml.pcieBytesPerSecond(gpu)).containsExactly(1000L * 1024 * (i + 1), 2000L * 1024 * (i + 1));
            assertThat(nvml.encoderPercent(gpu)).isEqualTo(7);
            assertThat(nvml.decoderPercent(gpu)).isEqualTo(9);
        }
    }

    @Test
    void readsManyGpus() {
        fake.fake_nvml_set_device_count(8);
        assertThat(nvml.deviceCount()).isEqualTo(8);
        assertThat(nvml.temperatureCelsius(nvml.device(7))).isEqualTo(47);
    }

    @Test
    void listsProcessesThroughTheInsufficientSizeLoopEvenWhenTheListGrows() {
        fake.fake_nvml_set_processes(1, 3);
        List<Nvml.ProcessUsage> processes = nvml.computeProcesses(nvml.device(1));
        assertThat(processes).containsExactly(
                new Nvml.ProcessUsage(2000, 1L << 20, -1, -1),
                new Nvml.ProcessUsage(2001, 2L << 20, -1, -1),
                new Nvml.ProcessUsage(2002, 3L << 20, -1, -1));

        fake.fake_nvml_set_processes(2, 5);
        fake.fake_nvml_set_process_growth(1); // a process starts each time NVML says the room was too small
        assertThat(nvml.computeProcesses(nvml.device(2))).hasSize(6)
                .allSatisfy(p -> assertThat(p.pid()).isBetween(3000, 3099));
        assertThat(nvml.computeProcesses(nvml.device(0))).isEmpty();
    }

    @Test
    void readsTheProcessListOfR535DriversWhoseEntriesAre32BytesApart() {
        fake.fake_nvml_set_process_info_stride(32);
        fake.fake_nvml_set_processes(1, 4);

        assertThat(nvml.computeProcesses(nvml.device(1))).containsExactly(
                new Nvml.ProcessUsage(2000, 1L << 20, -1, -1),
                new Nvml.ProcessUsage(2001, 2L << 20, -1, -1),
                new Nvml.ProcessUsage(2002, 3L << 20, -1, -1),
                new Nvml.ProcessUsage(2003, 4L << 20, -1, -1));
        assertThat(nvml.computeProcesses(nvml.device(0))).isEmpty();
    }

    @Test
    void aProcessListThatOutgrowsEveryRetryIsAnErrorNotAnEndlessLoop() {
        fake.fake_nvml_set_processes(3, 1);
        fake.fake_nvml_set_process_growth(100);

        assertThatThrownBy(() -> nvml.computeProcesses(nvml.device(3)))
                .isInstanceOfSatisfying(NvmlException.class,
                        e -> assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_INSUFFICIENT_SIZE))
                .hasMessageContaining("nvmlDeviceGetComputeRunningProcesses_v3 on GPU 3");
    }

    @Test
    void readsProcessUtilizationSamplesNewerThanTheLastSeenTimestamp() {
        fake.fake_nvml_add_process_sample(1, 2000, 5_000_000L, 60, 30, 0, 0);
        fake.fake_nvml_add_process_sample(1, 2001, 6_000_000L, 20, 10, 5, 7);
        Nvml.Device gpu = nvml.device(1);

        assertThat(nvml.processUtilization(gpu, 0)).containsExactly(
                new Nvml.ProcessUtilization(2000, 5_000_000L, 60, 30, 0, 0),
                new Nvml.ProcessUtilization(2001, 6_000_000L, 20, 10, 5, 7));
        assertThat(nvml.processUtilization(gpu, 5_000_000L))
                .containsExactly(new Nvml.ProcessUtilization(2001, 6_000_000L, 20, 10, 5, 7));
    }

    @Test
    void noProcessUtilizationSamplesSinceTheLastSeenTimestampIsAnEmptyListNotAnError() {
        fake.fake_nvml_add_process_sample(0, 1000, 5_000_000L, 60, 30, 0, 0);

        assertThat(nvml.processUtilization(nvml.device(0), 5_000_000L)).isEmpty(); // NVML: NOT_FOUND
        assertThat(nvml.processUtilization(nvml.device(1), 0)).isEmpty();
    }

    @Test
    void processUtilizationOnAMigGpuIsNotSupportedAndOnALostGpuAnError() {
        fake.fake_nvml_set_mig(0, 1, 0b1);
        fake.fake_nvml_force("nvmlDeviceGetProcessUtilization", 1, NvmlReturn.ERROR_GPU_IS_LOST);

        assertThatThrownBy(() -> nvml.processUtilization(nvml.device(0), 0))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isNotSupported()).isTrue())
                .hasMessageContaining("nvmlDeviceGetProcessUtilization on GPU 0");
        assertThatThrownBy(() -> nvml.processUtilization(nvml.device(1), 0))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isGpuLost()).isTrue());
    }

    @Test
    void aNotSupportedCallIsReportedAsSuchAndOtherCallsStillWork() {
        fake.fake_nvml_force("nvmlDeviceGetEncoderUtilization", -1, NvmlReturn.ERROR_NOT_SUPPORTED);
        Nvml.Device gpu = nvml.device(0);

        assertThatThrownBy(() -> nvml.encoderPercent(gpu))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isNotSupported()).isTrue())
                .hasMessageContaining("nvmlDeviceGetEncoderUtilization on GPU 0")
                .hasMessageContaining("Not Supported");
        assertThat(nvml.decoderPercent(gpu)).isEqualTo(9);
    }

    @Test
    void aLostGpuIsReportedForThatGpuOnly() {
        fake.fake_nvml_force("nvmlDeviceGetMemoryInfo_v2", 2, NvmlReturn.ERROR_GPU_IS_LOST);

        assertThatThrownBy(() -> nvml.memory(nvml.device(2)))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isGpuLost()).isTrue())
                .hasMessageContaining("GPU 2")
                .hasMessageContaining("GPU is lost");
        assertThat(nvml.memory(nvml.device(1)).totalBytes()).isEqualTo(80 * GIB);
    }

    @Test
    void aFailingInitNamesTheCallAndShutdownUninitialises() throws Exception {
        nvml.close();
        assertThat(fake.fake_nvml_is_initialized()).isZero();
        fake.fake_nvml_force("nvmlInit_v2", -1, NvmlReturn.ERROR_DRIVER_NOT_LOADED);

        assertThatThrownBy(() -> Nvml.open(FakeNvml.library().toString()))
                .isInstanceOf(NvmlException.class)
                .hasMessageContaining("nvmlInit_v2 failed with NVML error 9: Driver Not Loaded");
        fake.fake_nvml_reset();
        nvml = Nvml.open(FakeNvml.library().toString());
    }

    @Test
    void aMissingLibraryIsALinkError() {
        assertThatThrownBy(() -> Nvml.open("/nonexistent/libnvidia-ml.so.1"))
                .isInstanceOf(UnsatisfiedLinkError.class);
    }
}
