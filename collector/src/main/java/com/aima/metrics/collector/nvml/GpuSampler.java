package com.aima.metrics.collector.nvml;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns NVML readings into {@link MetricEvent}s, labelled {@code gpu} (index), {@code gpu_uuid}, {@code gpu_model} and
 * {@code node} (plus {@code pid} for per-process memory). A metric a GPU does not support (NOT_SUPPORTED) is skipped
 * for that GPU from then on, logged once; the rest of the sample goes on. A lost GPU (GPU_IS_LOST) yields one
 * {@value GpuMetric#GPU_LOST} event instead of its metrics. Not thread-safe.
 */
public final class GpuSampler {

    private static final Logger log = LoggerFactory.getLogger(GpuSampler.class);

    private final Nvml nvml;
    private final Source source;
    private final Clock clock;
    private final Map<Integer, Set<GpuMetric>> unsupported = new HashMap<>();
    private final Map<Integer, Map<String, String>> labels = new HashMap<>();

    public GpuSampler(Nvml nvml, String host, String collectorId, Clock clock) {
        this.nvml = nvml;
        this.source = Source.newBuilder().setHost(host).setCollectorId(collectorId).setKind(SourceKind.GPU).build();
        this.clock = clock;
    }

    /** Reads {@code due} from every GPU, at one instant. */
    public List<MetricEvent> sample(Set<GpuMetric> due) {
        Instant now = clock.instant();
        List<MetricEvent> events = new ArrayList<>();
        int count = nvml.deviceCount();
        for (int index = 0; index < count; index++) {
            Nvml.Device gpu = nvml.device(index);
            try {
                Map<String, String> gpuLabels = labels.computeIfAbsent(index, i -> describe(gpu));
                Readings readings = new Readings(gpu);
                for (GpuMetric metric : due) {
                    if (!unsupported.getOrDefault(index, Set.of()).contains(metric)) {
                        read(readings, metric, gpuLabels, now, events);
                    }
                }
            } catch (NvmlException e) {
                if (!e.isGpuLost()) {
                    throw e;
                }
                log.error("GPU {} is lost: {}", index, e.getMessage());
                events.add(event(GpuMetric.GPU_LOST, "count", 1,
                        Map.of("gpu", String.valueOf(index), "node", source.getHost()), now));
            }
        }
        return events;
    }

    /** The metrics {@code gpu} reported as not supported so far. */
    public Set<GpuMetric> unsupported(int gpu) {
        return Set.copyOf(unsupported.getOrDefault(gpu, EnumSet.noneOf(GpuMetric.class)));
    }

    private Map<String, String> describe(Nvml.Device gpu) {
        return Map.of("gpu", String.valueOf(gpu.index()), "gpu_uuid", nvml.uuid(gpu), "gpu_model", nvml.name(gpu),
                "node", source.getHost());
    }

    private void read(Readings gpu, GpuMetric metric, Map<String, String> gpuLabels, Instant now,
                      List<MetricEvent> events) {
        try {
            switch (metric) {
                case UTILIZATION -> add(events, metric, gpu.utilization().gpuPercent(), gpuLabels, now);
                case MEMORY_UTILIZATION -> add(events, metric,
                        100.0 * gpu.memory().usedBytes() / gpu.memory().totalBytes(), gpuLabels, now);
                case MEMORY_BANDWIDTH_UTILIZATION ->
                        add(events, metric, gpu.utilization().memoryPercent(), gpuLabels, now);
                case MEMORY_USED -> add(events, metric, gpu.memory().usedBytes(), gpuLabels, now);
                case MEMORY_TOTAL -> add(events, metric, gpu.memory().totalBytes(), gpuLabels, now);
                case ENCODER_UTILIZATION -> add(events, metric, nvml.encoderPercent(gpu.device), gpuLabels, now);
                case DECODER_UTILIZATION -> add(events, metric, nvml.decoderPercent(gpu.device), gpuLabels, now);
                case TEMPERATURE -> add(events, metric, nvml.temperatureCelsius(gpu.device), gpuLabels, now);
                case POWER -> add(events, metric, nvml.powerWatts(gpu.device), gpuLabels, now);
                case ENERGY -> add(events, metric, nvml.totalEnergyJoules(gpu.device), gpuLabels, now);
                case PCIE_TX -> add(events, metric, gpu.pcie()[0], gpuLabels, now);
                case PCIE_RX -> add(events, metric, gpu.pcie()[1], gpuLabels, now);
                case PROCESS_MEMORY_USED -> {
                    for (Nvml.ProcessUsage process : nvml.computeProcesses(gpu.device)) {
                        Map<String, String> processLabels = new HashMap<>(gpuLabels);
                        processLabels.put("pid", String.valueOf(process.pid()));
                        add(events, metric, process.usedGpuMemoryBytes(), processLabels, now);
                    }
                }
            }
        } catch (NvmlException e) {
            if (!e.isNotSupported()) {
                throw e;
            }
            unsupported.computeIfAbsent(gpu.device.index(), i -> EnumSet.noneOf(GpuMetric.class)).add(metric);
            log.info("GPU {} does not support {}; it is not collected for this GPU: {}", gpu.device.index(),
                    metric.metricName(), e.getMessage());
        }
    }

    /** One GPU's readings within one sample: each NVML query that serves several metrics is made once. */
    private final class Readings {
        private final Nvml.Device device;
        private Nvml.Utilization utilization;
        private Nvml.MemoryInfo memory;
        private long[] pcie;

        Readings(Nvml.Device device) {
            this.device = device;
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
    }

    private void add(List<MetricEvent> events, GpuMetric metric, double value, Map<String, String> labels,
                     Instant now) {
        events.add(event(metric.metricName(), metric.unit(), value, labels, now));
    }

    private MetricEvent event(String name, String unit, double value, Map<String, String> labels, Instant now) {
        return MetricEvent.newBuilder().setName(name).setUnit(unit).setValue(value).setEventTime(now)
                .setLabels(labels).setSource(source).build();
    }

}
