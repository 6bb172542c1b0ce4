package com.aima.metrics.collector.gpu;

import com.aima.metrics.collector.MetricSource;
import com.aima.metrics.collector.nvml.GpuMetric;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Made-up GPUs for demos and the local run on machines without one: the metrics and labels of {@link NvmlGpuSource},
 * every event labelled {@code source=simulator} so that nobody takes them for a real GPU. Each GPU follows its own
 * slow load curve (a 10-minute cycle, shifted per GPU) with a little deterministic jitter; memory, temperature and
 * power follow the load, and energy is the integral of power. Per-process metrics are not simulated.
 */
public final class SimulatedGpuSource implements MetricSource {

    /** The label and value that mark simulated samples. */
    public static final String LABEL = "source";
    public static final String VALUE = "simulator";
    static final String MODEL = "Simulated NVIDIA L4";
    private static final double MEMORY_TOTAL_BYTES = 24.0 * (1L << 30);
    private static final double CYCLE_SECONDS = 600;
    /** Every simulated metric but the energy counter, as a function of the load (0 to 1). */
    private static final Map<GpuMetric, DoubleUnaryOperator> BY_LOAD = new EnumMap<>(Map.ofEntries(
            Map.entry(GpuMetric.UTILIZATION, load -> Math.rint(100 * load)),
            Map.entry(GpuMetric.MEMORY_USED, SimulatedGpuSource::memoryUsedBytes),
            Map.entry(GpuMetric.MEMORY_TOTAL, load -> MEMORY_TOTAL_BYTES),
            Map.entry(GpuMetric.MEMORY_UTILIZATION, load -> 100 * memoryUsedBytes(load) / MEMORY_TOTAL_BYTES),
            Map.entry(GpuMetric.MEMORY_BANDWIDTH_UTILIZATION, load -> Math.rint(60 * load)),
            Map.entry(GpuMetric.ENCODER_UTILIZATION, load -> Math.rint(20 * load)),
            Map.entry(GpuMetric.DECODER_UTILIZATION, load -> Math.rint(35 * load)),
            Map.entry(GpuMetric.TEMPERATURE, load -> Math.rint(34 + 40 * load)),
            Map.entry(GpuMetric.POWER, load -> Math.rint(powerWatts(load) * 10) / 10),
            Map.entry(GpuMetric.PCIE_TX, load -> Math.rint(2.0e9 * load)),
            Map.entry(GpuMetric.PCIE_RX, load -> Math.rint(4.0e9 * load)),
            Map.entry(GpuMetric.TENSOR_ACTIVE, load -> Math.rint(80 * load * load))));

    private final int gpus;
    private final Source source;
    private final double[] energyJoules;
    private final Instant[] lastEnergyAt;

    public SimulatedGpuSource(int gpus, String host, String collectorId) {
        if (gpus < 1) {
            throw new IllegalArgumentException("gpu.simulated-gpus: " + gpus + " is not a positive GPU count.");
        }
        this.gpus = gpus;
        this.source = Source.newBuilder().setHost(host).setCollectorId(collectorId).setKind(SourceKind.GPU).build();
        this.energyJoules = new double[gpus];
        this.lastEnergyAt = new Instant[gpus];
    }

    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public Map<String, Duration> defaultIntervals() {
        return GpuMetric.defaultIntervals(SimulatedGpuSource::simulated);
    }

    @Override
    public List<MetricEvent> sample(Set<String> metrics, Instant now) {
        List<MetricEvent> events = new ArrayList<>();
        for (int gpu = 0; gpu < gpus; gpu++) {
            Map<String, String> labels = Map.of("gpu", String.valueOf(gpu),
                    "gpu_uuid", String.format("GPU-51m0000-0000-0000-0000-%012d", gpu), "gpu_model", MODEL,
                    "node", source.getHost(), LABEL, VALUE);
            double load = load(gpu, now);
            for (GpuMetric metric : GpuMetric.named(metrics)) {
                if (simulated(metric)) {
                    double value = metric == GpuMetric.ENERGY ? energy(gpu, powerWatts(load), now)
                            : BY_LOAD.get(metric).applyAsDouble(load);
                    events.add(MetricEvent.newBuilder().setName(metric.metricName()).setUnit(metric.unit())
                            .setValue(value).setEventTime(now).setLabels(labels).setSource(source).build());
                }
            }
        }
        return events;
    }

    /** Load between 0 and 1 for {@code gpu} at {@code now}. */
    private double load(int gpu, Instant now) {
        double seconds = now.toEpochMilli() / 1000.0;
        double phase = 2 * Math.PI * (seconds / CYCLE_SECONDS + (double) gpu / gpus);
        double jitter = 0.05 * Math.sin(seconds * 0.7 + gpu * 1.3);
        return Math.min(1, Math.max(0, 0.55 + 0.4 * Math.sin(phase) + jitter));
    }

    private static double memoryUsedBytes(double load) {
        return Math.rint(MEMORY_TOTAL_BYTES * (0.1 + 0.7 * load));
    }

    private static double powerWatts(double load) {
        return 20 + 52 * load;
    }

    private double energy(int gpu, double watts, Instant now) {
        if (lastEnergyAt[gpu] != null && now.isAfter(lastEnergyAt[gpu])) {
            energyJoules[gpu] += watts * Duration.between(lastEnergyAt[gpu], now).toMillis() / 1000.0;
        }
        lastEnergyAt[gpu] = now;
        return Math.rint(energyJoules[gpu]);
    }

    private static boolean simulated(GpuMetric metric) {
        return metric == GpuMetric.ENERGY || BY_LOAD.containsKey(metric);
    }
}
