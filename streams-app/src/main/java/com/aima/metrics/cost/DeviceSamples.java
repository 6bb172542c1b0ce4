package com.aima.metrics.cost;

import java.util.List;
import java.util.Map;

/**
 * What a device measured around a charged interval: its energy counter, and the SM utilization of each process on it
 * ({@code gpu_process_sm_utilization_percent} by pid), each in time order.
 */
public record DeviceSamples(List<TimedValue> energy, Map<String, List<TimedValue>> processSm) {

    public static final DeviceSamples NONE = new DeviceSamples(List.of(), Map.of());
}
