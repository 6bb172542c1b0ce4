package com.aima.metrics.collector.nvml;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One GPU's readings within one sample: each NVML query that serves several metrics is made once, and so is each read
 * that moves state on (the per-process utilization cursor) or costs many calls (the MIG layout).
 */
final class GpuReadings {

    private final Nvml nvml;
    private final Nvml.Device device;
    private final ProcessUtilizationReader processUtilizationReader;
    private final MigLayout migLayout;
    private Nvml.Utilization utilization;
    private Nvml.MemoryInfo memory;
    private long[] pcie;
    private Collection<Nvml.ProcessUtilization> processUtilization;
    private List<Nvml.MigDevice> migDevices;
    private final Map<String, Nvml.MemoryInfo> migMemory = new HashMap<>();
    private final Set<String> failedMigDevices = new HashSet<>();

    GpuReadings(Nvml nvml, Nvml.Device device, ProcessUtilizationReader processUtilizationReader,
                MigLayout migLayout) {
        this.nvml = nvml;
        this.device = device;
        this.processUtilizationReader = processUtilizationReader;
        this.migLayout = migLayout;
    }

    Nvml.Device device() {
        return device;
    }

    Nvml.Utilization utilization() {
        if (utilization == null) {
            utilization = nvml.utilization(device);
        }
        return utilization;
    }

    Nvml.MemoryInfo memory() {
        if (memory == null) {
            memory = nvml.memory(device);
        }
        return memory;
    }

    long[] pcie() {
        if (pcie == null) {
            pcie = nvml.pcieBytesPerSecond(device);
        }
        return pcie;
    }

    /** The newest sample of each process since the previous sample of this GPU. */
    Collection<Nvml.ProcessUtilization> processUtilization() {
        if (processUtilization == null) {
            processUtilization = processUtilizationReader.readSincePrevious(device);
        }
        return processUtilization;
    }

    /** The GPU's MIG devices, but those that failed in this sample. */
    List<Nvml.MigDevice> migDevices() {
        if (migDevices == null) {
            migDevices = migLayout.devices(device);
        }
        return failedMigDevices.isEmpty() ? migDevices
                : migDevices.stream().filter(mig -> !failedMigDevices.contains(mig.uuid())).toList();
    }

    /** Leaves this sample without MIG devices: enumerating them failed, and is tried again at the next sample. */
    void migEnumerationFailed() {
        migDevices = List.of();
    }

    Nvml.MemoryInfo memory(Nvml.MigDevice mig) {
        Nvml.MemoryInfo info = migMemory.get(mig.uuid());
        if (info == null) {
            info = nvml.memory(mig);
            migMemory.put(mig.uuid(), info);
        }
        return info;
    }

    /**
     * Notes that a call on {@code mig} failed, so that its instance is likely gone: drops the GPU's MIG layout, so
     * that the next sample enumerates it again, and skips {@code mig} for the rest of this sample.
     */
    void migDeviceFailed(Nvml.MigDevice mig) {
        migLayout.invalidate(device.index());
        failedMigDevices.add(mig.uuid());
    }
}
