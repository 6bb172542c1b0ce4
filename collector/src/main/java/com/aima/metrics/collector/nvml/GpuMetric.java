package com.aima.metrics.collector.nvml;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The GPU metrics the collector reads through NVML, with their names, units and the default collection intervals of
 * seed 004 section 2.1 (10 s for utilization and memory, 30 s for temperature, power and PCIe). Most are per GPU;
 * {@code PROCESS_*} are per process on a GPU (label {@code pid}) and {@code MIG_*} per MIG device (labels
 * {@code mig_instance} and {@code mig_uuid}).
 */
public enum GpuMetric {
    UTILIZATION("gpu_utilization_percent", "percent", Duration.ofSeconds(10)),
    /** Used frame-buffer memory as percent of the total (the spec's "GPU-Speicherauslastung"). */
    MEMORY_UTILIZATION("gpu_memory_utilization_percent", "percent", Duration.ofSeconds(10)),
    /** Percent of time the memory was read or written (NVML's utilization.memory), a bandwidth measure. */
    MEMORY_BANDWIDTH_UTILIZATION("gpu_memory_bandwidth_utilization_percent", "percent", Duration.ofSeconds(10)),
    MEMORY_USED("gpu_memory_used_bytes", "bytes", Duration.ofSeconds(10)),
    MEMORY_TOTAL("gpu_memory_total_bytes", "bytes", Duration.ofSeconds(10)),
    ENCODER_UTILIZATION("gpu_encoder_utilization_percent", "percent", Duration.ofSeconds(10)),
    DECODER_UTILIZATION("gpu_decoder_utilization_percent", "percent", Duration.ofSeconds(10)),
    PROCESS_MEMORY_USED("gpu_process_memory_used_bytes", "bytes", Duration.ofSeconds(10)),
    /** A process's share of the time the SMs were busy, from the driver's per-process samples (for per-job cost). */
    PROCESS_SM_UTILIZATION("gpu_process_sm_utilization_percent", "percent", Duration.ofSeconds(10)),
    PROCESS_MEMORY_BANDWIDTH_UTILIZATION("gpu_process_memory_bandwidth_utilization_percent", "percent",
            Duration.ofSeconds(10)),
    PROCESS_ENCODER_UTILIZATION("gpu_process_encoder_utilization_percent", "percent", Duration.ofSeconds(10)),
    PROCESS_DECODER_UTILIZATION("gpu_process_decoder_utilization_percent", "percent", Duration.ofSeconds(10)),
    /** Percent of time the SMs ran any tensor-core operation, averaged since the previous sample (GPM, Hopper+). */
    TENSOR_ACTIVE("gpu_tensor_active_percent", "percent", Duration.ofSeconds(10)),
    MIG_MEMORY_USED("gpu_mig_memory_used_bytes", "bytes", Duration.ofSeconds(10)),
    MIG_MEMORY_TOTAL("gpu_mig_memory_total_bytes", "bytes", Duration.ofSeconds(10)),
    MIG_MEMORY_UTILIZATION("gpu_mig_memory_utilization_percent", "percent", Duration.ofSeconds(10)),
    /** Only where the driver reports utilization on MIG devices; drivers so far do not. */
    MIG_UTILIZATION("gpu_mig_utilization_percent", "percent", Duration.ofSeconds(10)),
    TEMPERATURE("gpu_temperature_celsius", "celsius", Duration.ofSeconds(30)),
    POWER("gpu_power_watts", "watts", Duration.ofSeconds(30)),
    ENERGY("gpu_energy_joules_total", "joules", Duration.ofSeconds(30)),
    PCIE_TX("gpu_pcie_tx_bytes_per_second", "bytes_per_second", Duration.ofSeconds(30)),
    PCIE_RX("gpu_pcie_rx_bytes_per_second", "bytes_per_second", Duration.ofSeconds(30));

    /** Reported with value 1 when NVML says a GPU is lost (GPU_IS_LOST): the GPU needs attention. */
    public static final String GPU_LOST = "gpu_lost";

    private final String metricName;
    private final String unit;
    private final Duration defaultInterval;

    GpuMetric(String metricName, String unit, Duration defaultInterval) {
        this.metricName = metricName;
        this.unit = unit;
        this.defaultInterval = defaultInterval;
    }

    public String metricName() {
        return metricName;
    }

    public String unit() {
        return unit;
    }

    public Duration defaultInterval() {
        return defaultInterval;
    }

    /** The metric names of the metrics {@code included}, with their default intervals, in declaration order. */
    public static Map<String, Duration> defaultIntervals(Predicate<GpuMetric> included) {
        Map<String, Duration> intervals = new LinkedHashMap<>();
        for (GpuMetric metric : values()) {
            if (included.test(metric)) {
                intervals.put(metric.metricName(), metric.defaultInterval());
            }
        }
        return intervals;
    }

    /** The metrics among {@code names}; names of other metrics are left out. */
    public static Set<GpuMetric> named(Set<String> names) {
        Set<GpuMetric> metrics = EnumSet.noneOf(GpuMetric.class);
        for (GpuMetric metric : values()) {
            if (names.contains(metric.metricName())) {
                metrics.add(metric);
            }
        }
        return metrics;
    }
}
