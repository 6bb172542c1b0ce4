package com.aima.metrics.cost;

/**
 * One sample the cost engine charges by, repartitioned from the raw topic: a device's energy counter
 * ({@code pid} null, value in J) or one process's SM utilization (value in %).
 */
public record DeviceSample(String device, String pid, long timeMs, double value) {

    /** Raw metric of a GPU's energy counter, in joules. */
    public static final String ENERGY_METRIC = "gpu_energy_joules_total";
    /** Raw metric of one process's share of SM time, in percent. */
    public static final String PROCESS_SM_METRIC = "gpu_process_sm_utilization_percent";
}
