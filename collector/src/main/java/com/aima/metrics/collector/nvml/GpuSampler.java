package com.aima.metrics.collector.nvml;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns NVML readings into {@link MetricEvent}s, labelled {@code gpu} (index), {@code gpu_uuid}, {@code gpu_model} and
 * {@code node}, plus {@code pid} for per-process metrics and {@code mig_instance} (GPU instance id) and
 * {@code mig_uuid} for per-MIG-device metrics. A metric a GPU or MIG device does not support (NOT_SUPPORTED, or a
 * driver without the call) is skipped for it from then on, logged once; the rest of the sample goes on. A lost GPU
 * (GPU_IS_LOST) yields one {@value GpuMetric#GPU_LOST} event instead of its metrics. Per-process utilization and
 * tensor activity cover the time since the previous sample of the GPU, so each GPU's state is kept between samples;
 * {@link #close()} frees the GPM buffers that takes. Not thread-safe.
 */
public final class GpuSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GpuSampler.class);

    private final Nvml nvml;
    private final Source source;
    private final Clock clock;
    private final Set<Integer> lost = new HashSet<>();
    private final Failures failures = new Failures();
    private final Map<Integer, Set<GpuMetric>> unsupported = new HashMap<>();
    private final Map<String, Set<GpuMetric>> unsupportedOnMig = new HashMap<>();
    private final Map<Integer, Map<String, String>> labels = new HashMap<>();
    private final ProcessUtilizationReader processUtilization;
    private final MigLayout migLayout;
    private final TensorActivity tensorActivity;

    public GpuSampler(Nvml nvml, String host, String collectorId, Clock clock) {
        this.nvml = nvml;
        this.source = Source.newBuilder().setHost(host).setCollectorId(collectorId).setKind(SourceKind.GPU).build();
        this.clock = clock;
        this.processUtilization = new ProcessUtilizationReader(nvml);
        this.migLayout = new MigLayout(nvml);
        this.tensorActivity = new TensorActivity(nvml);
    }

    /** Reads {@code due} from every GPU, at one instant: now by the sampler's clock. */
    public List<MetricEvent> sample(Set<GpuMetric> due) {
        return sample(due, clock.instant());
    }

    /** Reads {@code due} from every GPU, the events stamped {@code now} (the instant they were scheduled for). */
    public List<MetricEvent> sample(Set<GpuMetric> due, Instant now) {
        List<MetricEvent> events = new ArrayList<>();
        int count = nvml.deviceCount();
        for (int index = 0; index < count; index++) {
            try {
                Nvml.Device gpu = nvml.device(index);
                Map<String, String> gpuLabels = labels.computeIfAbsent(index, i -> describe(gpu));
                GpuReadings readings = new GpuReadings(nvml, gpu, processUtilization, migLayout);
                for (GpuMetric metric : due) {
                    if (!unsupported.getOrDefault(index, Set.of()).contains(metric)) {
                        read(readings, metric, gpuLabels, now, events);
                    }
                }
                if (lost.remove(index)) {
                    log.warn("GPU {} answers again.", index);
                }
            } catch (NvmlException e) {
                if (!e.isGpuLost()) {
                    // this GPU's handle or labels could not be read: the other GPUs are still sampled
                    failures.report("GPU " + index, e);
                    continue;
                }
                if (lost.add(index)) {
                    log.error("GPU {} is lost: {} It is reported as {} until it answers again.", index,
                            e.getMessage(), GpuMetric.GPU_LOST);
                }
                events.add(event(GpuMetric.GPU_LOST, "count", 1,
                        Map.of("gpu", String.valueOf(index), "node", source.getHost()), now));
            }
        }
        return events;
    }

    /** Failed reads so far: errors other than NOT_SUPPORTED and GPU_IS_LOST, which skip one metric of one sample. */
    public long failedReads() {
        return failures.count();
    }

    /** The metrics {@code gpu} reported as not supported so far. */
    public Set<GpuMetric> unsupported(int gpu) {
        return Set.copyOf(unsupported.getOrDefault(gpu, EnumSet.noneOf(GpuMetric.class)));
    }

    /** The metrics the MIG device {@code migUuid} reported as not supported so far. */
    public Set<GpuMetric> unsupportedOnMig(String migUuid) {
        return Set.copyOf(unsupportedOnMig.getOrDefault(migUuid, EnumSet.noneOf(GpuMetric.class)));
    }

    /**
     * Frees the GPM sample buffers. Call before closing the {@link Nvml}.
     *
     * @throws NvmlException if NVML could not free a buffer
     */
    @Override
    public void close() {
        tensorActivity.close();
    }

    private Map<String, String> describe(Nvml.Device gpu) {
        return Map.of("gpu", String.valueOf(gpu.index()), "gpu_uuid", nvml.uuid(gpu), "gpu_model", nvml.name(gpu),
                "node", source.getHost());
    }

    private void read(GpuReadings gpu, GpuMetric metric, Map<String, String> gpuLabels, Instant now,
                      List<MetricEvent> events) {
        Nvml.Device device = gpu.device();
        try {
            switch (metric) {
                case UTILIZATION -> add(events, metric, gpu.utilization().gpuPercent(), gpuLabels, now);
                case MEMORY_UTILIZATION -> add(events, metric,
                        100.0 * gpu.memory().usedBytes() / gpu.memory().totalBytes(), gpuLabels, now);
                case MEMORY_BANDWIDTH_UTILIZATION ->
                        add(events, metric, gpu.utilization().memoryPercent(), gpuLabels, now);
                case MEMORY_USED -> add(events, metric, gpu.memory().usedBytes(), gpuLabels, now);
                case MEMORY_TOTAL -> add(events, metric, gpu.memory().totalBytes(), gpuLabels, now);
                case ENCODER_UTILIZATION -> add(events, metric, nvml.encoderPercent(device), gpuLabels, now);
                case DECODER_UTILIZATION -> add(events, metric, nvml.decoderPercent(device), gpuLabels, now);
                case TEMPERATURE -> add(events, metric, nvml.temperatureCelsius(device), gpuLabels, now);
                case POWER -> add(events, metric, nvml.powerWatts(device), gpuLabels, now);
                case ENERGY -> add(events, metric, nvml.totalEnergyJoules(device), gpuLabels, now);
                case PCIE_TX -> add(events, metric, gpu.pcie()[0], gpuLabels, now);
                case PCIE_RX -> add(events, metric, gpu.pcie()[1], gpuLabels, now);
                case PROCESS_MEMORY_USED -> {
                    for (Nvml.ProcessUsage process : nvml.computeProcesses(device)) {
                        if (process.usedGpuMemoryBytes() >= 0) { // NVML_VALUE_NOT_AVAILABLE (all ones) is no value
                            add(events, metric, process.usedGpuMemoryBytes(), withPid(gpuLabels, process.pid()),
                                    now);
                        }
                    }
                }
                case PROCESS_SM_UTILIZATION, PROCESS_MEMORY_BANDWIDTH_UTILIZATION, PROCESS_ENCODER_UTILIZATION,
                     PROCESS_DECODER_UTILIZATION -> {
                    for (Nvml.ProcessUtilization process : gpu.processUtilization()) {
                        add(events, metric, processValue(metric, process), withPid(gpuLabels, process.pid()), now);
                    }
                }
                case TENSOR_ACTIVE -> tensorActivity.percentSincePrevious(device)
                        .ifPresent(percent -> add(events, metric, percent, gpuLabels, now));
                case MIG_MEMORY_USED, MIG_MEMORY_TOTAL, MIG_MEMORY_UTILIZATION, MIG_UTILIZATION ->
                        readMig(gpu, metric, gpuLabels, now, events);
            }
        } catch (NvmlException e) {
            if (e.isGpuLost()) {
                throw e;
            }
            if (!e.isNotSupported()) {
                // NO_PERMISSION, UNKNOWN, a timeout ...: this metric is missing from this sample, nothing else
                failures.report("GPU " + device.index() + " " + metric.metricName(), e);
                return;
            }
            markUnsupported(device, metric, e.getMessage());
        } catch (UnsatisfiedLinkError e) {
            // a driver too old to export the function: as good as NOT_SUPPORTED
            markUnsupported(device, metric, "the driver's library lacks the function (" + e.getMessage() + ")");
        }
    }

    private void markUnsupported(Nvml.Device device, GpuMetric metric, String why) {
        unsupported.computeIfAbsent(device.index(), i -> EnumSet.noneOf(GpuMetric.class)).add(metric);
        log.info("GPU {} does not support {}; it is not collected for this GPU: {}", device.index(),
                metric.metricName(), why);
    }

    /** Counts failed reads and logs each distinct failure (where and NVML code) once. */
    private static final class Failures {
        private final Set<String> logged = new HashSet<>();
        private long count;

        void report(String where, NvmlException e) {
            count++;
            if (logged.add(where + " " + e.code())) {
                log.warn("Reading {} failed; it is skipped while the failure lasts (logged once): {}", where,
                        e.getMessage());
            }
        }

        long count() {
            return count;
        }
    }

    /**
     * {@code metric} of every MIG device of the GPU. A MIG device that does not support it is skipped from then on,
     * logged once. Any other failure on a MIG device, bar a lost GPU, means that its instance is likely gone: it is
     * skipped for the rest of the sample, and the GPU's MIG layout is enumerated again at the next sample. So is a
     * layout whose enumeration failed, as it does when an instance is destroyed meanwhile.
     */
    private void readMig(GpuReadings gpu, GpuMetric metric, Map<String, String> gpuLabels, Instant now,
                         List<MetricEvent> events) {
        List<Nvml.MigDevice> migs;
        try {
            migs = gpu.migDevices();
        } catch (NvmlException e) {
            if (e.isGpuLost() || e.isNotSupported()) {
                throw e;
            }
            gpu.migEnumerationFailed();
            log.warn("Enumerating the MIG devices of GPU {} failed; it is tried again at the next sample",
                    gpu.device().index(), e);
            return;
        }
        for (Nvml.MigDevice mig : migs) {
            if (unsupportedOnMig.getOrDefault(mig.uuid(), Set.of()).contains(metric)) {
                continue;
            }
            Map<String, String> migLabels = new HashMap<>(gpuLabels);
            migLabels.put("mig_instance", String.valueOf(mig.gpuInstanceId()));
            migLabels.put("mig_uuid", mig.uuid());
            try {
                double value = switch (metric) {
                    case MIG_MEMORY_USED -> gpu.memory(mig).usedBytes();
                    case MIG_MEMORY_TOTAL -> gpu.memory(mig).totalBytes();
                    case MIG_MEMORY_UTILIZATION -> 100.0 * gpu.memory(mig).usedBytes() / gpu.memory(mig).totalBytes();
                    case MIG_UTILIZATION -> nvml.utilization(mig).gpuPercent();
                    default -> throw new IllegalArgumentException(metric + " is not a MIG metric.");
                };
                add(events, metric, value, migLabels, now);
            } catch (NvmlException e) {
                if (e.isGpuLost()) {
                    throw e;
                }
                if (e.isNotSupported()) {
                    unsupportedOnMig.computeIfAbsent(mig.uuid(), u -> EnumSet.noneOf(GpuMetric.class)).add(metric);
                    log.info("MIG device {} of GPU {} does not support {}; it is not collected for this MIG device: {}",
                            mig.uuid(), mig.parent().index(), metric.metricName(), e.getMessage());
                } else {
                    gpu.migDeviceFailed(mig);
                    log.warn("MIG device {} of GPU {} failed, its instance is likely gone; the GPU's MIG devices are "
                            + "enumerated again at the next sample", mig.uuid(), mig.parent().index(), e);
                }
            }
        }
    }

    private static double processValue(GpuMetric metric, Nvml.ProcessUtilization process) {
        return switch (metric) {
            case PROCESS_SM_UTILIZATION -> process.smPercent();
            case PROCESS_MEMORY_BANDWIDTH_UTILIZATION -> process.memoryPercent();
            case PROCESS_ENCODER_UTILIZATION -> process.encoderPercent();
            case PROCESS_DECODER_UTILIZATION -> process.decoderPercent();
            default -> throw new IllegalArgumentException(metric + " is not a per-process utilization metric.");
        };
    }

    private static Map<String, String> withPid(Map<String, String> gpuLabels, int pid) {
        Map<String, String> processLabels = new HashMap<>(gpuLabels);
        processLabels.put("pid", String.valueOf(pid));
        return processLabels;
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
