package com.aima.metrics.cost;

/**
 * A price in force, in millionths of the catalog's currency (micro-euros for EUR).
 *
 * @param microsPerGpuHour         cloud: the price of one GPU-hour; local: the amortised hardware cost of one hour
 * @param electricityMicrosPerKwh  local: the electricity price per kWh, applied to the energy the GPU measured
 *                                 (NVML's energy counter); null for cloud GPUs, whose price includes power
 */
public record Rate(long microsPerGpuHour, Long electricityMicrosPerKwh) {

    public Rate {
        if (microsPerGpuHour < 0) {
            throw new IllegalArgumentException("microsPerGpuHour must not be negative: " + microsPerGpuHour);
        }
        if (electricityMicrosPerKwh != null && electricityMicrosPerKwh < 0) {
            throw new IllegalArgumentException("electricityMicrosPerKwh must not be negative: "
                    + electricityMicrosPerKwh);
        }
    }
}
