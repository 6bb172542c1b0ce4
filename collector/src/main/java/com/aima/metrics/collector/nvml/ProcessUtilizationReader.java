package com.aima.metrics.collector.nvml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-process utilization of each GPU since the previous read of that GPU, averaged per process: keeps, per GPU, the newest driver timestamp
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
     * Per process, the mean of its samples since the previous call for {@code gpu} (the driver takes one every sample
     * period, so the mean covers the collection interval, not one instant), stamped with the newest sample's time;
     * empty when the driver took none (NOT_FOUND), in which case the last seen timestamp stays.
     *
     * @throws NvmlException as {@link Nvml#processUtilization}
     */
    Collection<Nvml.ProcessUtilization> readSincePrevious(Nvml.Device gpu) {
        long lastSeen = lastSeenTimestampUs.getOrDefault(gpu.index(), 0L);
        List<Nvml.ProcessUtilization> samples = nvml.processUtilization(gpu, lastSeen);
        Map<Integer, List<Nvml.ProcessUtilization>> perProcess = new LinkedHashMap<>();
        long newest = lastSeen;
        for (Nvml.ProcessUtilization sample : samples) {
            perProcess.computeIfAbsent(sample.pid(), pid -> new ArrayList<>()).add(sample);
            if (Long.compareUnsigned(sample.timestampUs(), newest) > 0) {
                newest = sample.timestampUs();
            }
        }
        lastSeenTimestampUs.put(gpu.index(), newest);
        List<Nvml.ProcessUtilization> means = new ArrayList<>(perProcess.size());
        perProcess.forEach((pid, ofProcess) -> means.add(mean(pid, ofProcess)));
        return means;
    }

    private static Nvml.ProcessUtilization mean(int pid, List<Nvml.ProcessUtilization> samples) {
        long newest = samples.get(0).timestampUs();
        double sm = 0;
        double memory = 0;
        double encoder = 0;
        double decoder = 0;
        for (Nvml.ProcessUtilization sample : samples) {
            if (Long.compareUnsigned(sample.timestampUs(), newest) > 0) {
                newest = sample.timestampUs();
            }
            sm += sample.smPercent();
            memory += sample.memoryPercent();
            encoder += sample.encoderPercent();
            decoder += sample.decoderPercent();
        }
        int n = samples.size();
        return new Nvml.ProcessUtilization(pid, newest, (int) Math.round(sm / n), (int) Math.round(memory / n),
                (int) Math.round(encoder / n), (int) Math.round(decoder / n));
    }
}
