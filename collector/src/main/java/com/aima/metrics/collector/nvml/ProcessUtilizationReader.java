package com.aima.metrics.collector.nvml;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-process utilization of each GPU since the previous read of that GPU: keeps, per GPU, the newest driver timestamp
 * seen and asks NVML only for samples after it, so that no sample is counted twice. The first read of a GPU asks for
 * every sample the driver still holds. Not thread-safe.
 */
final class ProcessUtilizationReader {

    private final Nvml nvml;
    private final Map<Integer, Long> lastSeenTimestampUs = new HashMap<>();

    ProcessUtilizationReader(Nvml nvml) {
        this.nvml = nvml;
    }

    /**
     * The newest sample of each process since the previous call for {@code gpu}; empty when the driver took none
     * (NOT_FOUND), in which case the last seen timestamp stays.
     *
     * @throws NvmlException as {@link Nvml#processUtilization}
     */
    Collection<Nvml.ProcessUtilization> readSincePrevious(Nvml.Device gpu) {
        long lastSeen = lastSeenTimestampUs.getOrDefault(gpu.index(), 0L);
        List<Nvml.ProcessUtilization> samples = nvml.processUtilization(gpu, lastSeen);
        Map<Integer, Nvml.ProcessUtilization> newestPerProcess = new LinkedHashMap<>();
        long newest = lastSeen;
        for (Nvml.ProcessUtilization sample : samples) {
            newestPerProcess.merge(sample.pid(), sample, ProcessUtilizationReader::newer);
            if (Long.compareUnsigned(sample.timestampUs(), newest) > 0) {
                newest = sample.timestampUs();
            }
        }
        lastSeenTimestampUs.put(gpu.index(), newest);
        return newestPerProcess.values();
    }

    private static Nvml.ProcessUtilization newer(Nvml.ProcessUtilization a, Nvml.ProcessUtilization b) {
        return Long.compareUnsigned(b.timestampUs(), a.timestampUs()) > 0 ? b : a;
    }
}
