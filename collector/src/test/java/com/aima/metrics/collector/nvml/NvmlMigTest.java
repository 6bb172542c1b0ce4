package com.aima.metrics.collector.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The MIG part of the binding against the fake library: mode, enumeration with empty slots, MIG handles. */
class NvmlMigTest extends FakeDriverTest {

    private static final long GIB = 1L << 30;

    @Test
    void aGpuWithoutMigOrWithMigDisabledHasNoMigDevices() {
        fake.fake_nvml_set_mig(1, 0, 0b1); // MIG-capable, disabled

        assertThat(nvml.migEnabled(nvml.device(0))).isFalse(); // nvmlDeviceGetMigMode: NOT_SUPPORTED
        assertThat(nvml.migDevices(nvml.device(0))).isEmpty();
        assertThat(nvml.migEnabled(nvml.device(1))).isFalse();
        assertThat(nvml.migDevices(nvml.device(1))).isEmpty();
    }

    @Test
    void enumeratesMigDevicesSkippingEmptySlots() {
        fake.fake_nvml_set_mig(2, 1, 0b1010001); // slots 0, 4 and 6 of 7
        Nvml.Device gpu = nvml.device(2);

        assertThat(nvml.migEnabled(gpu)).isTrue();
        List<Nvml.MigDevice> migs = nvml.migDevices(gpu);

        assertThat(migs).extracting(Nvml.MigDevice::slot).containsExactly(0, 4, 6);
        assertThat(migs).extracting(Nvml.MigDevice::gpuInstanceId).containsExactly(7, 11, 13);
        assertThat(migs).extracting(Nvml.MigDevice::computeInstanceId).containsOnly(0);
        assertThat(migs).extracting(Nvml.MigDevice::uuid).containsExactly(
                "MIG-00000000-0000-0000-0002-000000000000",
                "MIG-00000000-0000-0000-0002-000000000004",
                "MIG-00000000-0000-0000-0002-000000000006");
        assertThat(migs).allSatisfy(mig -> assertThat(mig.parent()).isEqualTo(gpu));
    }

    @Test
    void migHandlesServeMemoryButNotUtilization() {
        fake.fake_nvml_set_mig(0, 1, 0b110);
        Nvml.MigDevice mig = nvml.migDevices(nvml.device(0)).get(1); // slot 2

        assertThat(nvml.memory(mig)).isEqualTo(new Nvml.MemoryInfo(10 * GIB, 0, 10 * GIB - (3L << 28), 3L << 28));
        assertThatThrownBy(() -> nvml.utilization(mig))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isNotSupported()).isTrue())
                .hasMessageContaining("on GPU 0 MIG device MIG-00000000-0000-0000-0000-000000000002");
        // the parent GPU in MIG mode has no utilization either
        assertThatThrownBy(() -> nvml.utilization(nvml.device(0)))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isNotSupported()).isTrue());
    }

    @Test
    void theHandleOfADestroyedInstanceFails() {
        fake.fake_nvml_set_mig(0, 1, 0b11);
        Nvml.MigDevice slot1 = nvml.migDevices(nvml.device(0)).get(1);
        fake.fake_nvml_set_mig(0, 1, 0b01);

        assertThatThrownBy(() -> nvml.memory(slot1))
                .isInstanceOfSatisfying(NvmlException.class,
                        e -> assertThat(e.code()).isEqualTo(NvmlReturn.ERROR_INVALID_ARGUMENT));
        assertThat(nvml.migDevices(nvml.device(0))).hasSize(1);
    }

    @Test
    void aGpuLostWhileEnumeratingIsAnError() {
        fake.fake_nvml_set_mig(3, 1, 0b1);
        fake.fake_nvml_force("nvmlDeviceGetMigDeviceHandleByIndex", 3, NvmlReturn.ERROR_GPU_IS_LOST);

        assertThatThrownBy(() -> nvml.migDevices(nvml.device(3)))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.isGpuLost()).isTrue())
                .hasMessageContaining("nvmlDeviceGetMigDeviceHandleByIndex on GPU 3 MIG slot 0");
    }
}
