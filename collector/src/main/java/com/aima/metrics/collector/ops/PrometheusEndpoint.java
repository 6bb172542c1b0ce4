package com.aima.metrics.collector.ops;

import com.aima.metrics.collector.EventSink;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.SourceKind;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The collector's Prometheus {@code /metrics}: the latest GPU readings under the names and labels of NVIDIA's
 * dcgm-exporter ({@code DCGM_FI_DEV_GPU_UTIL}, {@code DCGM_FI_DEV_FB_USED} in MiB, ...), so that dashboards built for
 * dcgm-exporter work unchanged, and the collector's own health ({@code aima_collector_*}). GPU values arrive through
 * {@link #observe(EventSink)}, a sink that records what passes on its way to the publisher.
 */
public final class PrometheusEndpoint {

    /** dcgm-exporter's label names, in the order the values are taken from our labels. */
    private static final String[] LABELS = {"gpu", "UUID", "device", "modelName", "Hostname", "GPU_I_ID"};

    /** How one of our GPU metrics is shown by dcgm-exporter: its field name and the factor from our unit to its. */
    private record Field(String name, double factor, String help) {
    }

    private static final Field GPU_UTIL = new Field("DCGM_FI_DEV_GPU_UTIL", 1, "GPU utilization (in %).");
    private static final Field FB_USED =
            new Field("DCGM_FI_DEV_FB_USED", 1.0 / (1 << 20), "Framebuffer memory used (in MiB).");
    private static final Field FB_TOTAL =
            new Field("DCGM_FI_DEV_FB_TOTAL", 1.0 / (1 << 20), "Framebuffer memory total (in MiB).");

    /** By our metric name. MIG instances show under the GPU's fields, told apart by GPU_I_ID as in dcgm-exporter. */
    private static final Map<String, Field> FIELDS = Map.ofEntries(
            Map.entry("gpu_utilization_percent", GPU_UTIL),
            Map.entry("gpu_mig_utilization_percent", GPU_UTIL),
            Map.entry("gpu_memory_used_bytes", FB_USED),
            Map.entry("gpu_mig_memory_used_bytes", FB_USED),
            Map.entry("gpu_memory_total_bytes", FB_TOTAL),
            Map.entry("gpu_mig_memory_total_bytes", FB_TOTAL),
            Map.entry("gpu_memory_bandwidth_utilization_percent",
                    new Field("DCGM_FI_DEV_MEM_COPY_UTIL", 1, "Memory utilization (in %).")),
            Map.entry("gpu_encoder_utilization_percent",
                    new Field("DCGM_FI_DEV_ENC_UTIL", 1, "Encoder utilization (in %).")),
            Map.entry("gpu_decoder_utilization_percent",
                    new Field("DCGM_FI_DEV_DEC_UTIL", 1, "Decoder utilization (in %).")),
            Map.entry("gpu_temperature_celsius", new Field("DCGM_FI_DEV_GPU_TEMP", 1, "GPU temperature (in C).")),
            Map.entry("gpu_power_watts", new Field("DCGM_FI_DEV_POWER_USAGE", 1, "Power draw (in W).")),
            Map.entry("gpu_energy_joules_total", new Field("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", 1000,
                    "Total energy consumption since boot (in mJ).")),
            Map.entry("gpu_pcie_tx_bytes_per_second",
                    new Field("DCGM_FI_PROF_PCIE_TX_BYTES", 1, "The rate of data transmitted over the PCIe bus.")),
            Map.entry("gpu_pcie_rx_bytes_per_second",
                    new Field("DCGM_FI_PROF_PCIE_RX_BYTES", 1, "The rate of data received over the PCIe bus.")),
            Map.entry("gpu_tensor_active_percent", new Field("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", 0.01,
                    "Ratio of cycles the tensor (HMMA) pipe is active.")));

    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** By our metric name; metrics shown under the same field share its gauge. */
    private final Map<String, Gauge> gauges = new HashMap<>();

    public PrometheusEndpoint() {
        Map<String, Gauge> byField = new HashMap<>();
        FIELDS.forEach((metric, field) -> gauges.put(metric, byField.computeIfAbsent(field.name(),
                name -> Gauge.builder().name(name).help(field.help()).labelNames(LABELS).register(registry))));
    }

    /** The handler to register at {@code /metrics}. */
    public HttpHandler handler() {
        return new MetricsHandler(registry);
    }

    /** A sink that records GPU readings here and passes everything on to {@code next}. */
    public EventSink observe(EventSink next) {
        return new EventSink() {
            @Override
            public void publishMetrics(List<MetricEvent> events) {
                record(events);
                next.publishMetrics(events);
            }

            @Override
            public void publishJob(JobEvent event) {
                next.publishJob(event);
            }
        };
    }

    /**
     * Sets the dcgm-exporter gauge of every GPU reading in {@code events}; other events (a worker's OTLP metric of
     * the same name included) are ignored.
     */
    public void record(List<MetricEvent> events) {
        for (MetricEvent event : events) {
            Gauge gauge = gauges.get(event.getName());
            if (gauge != null && event.getSource().getKind() == SourceKind.GPU && !event.getLabels().containsKey("pid")) {
                Map<String, String> labels = event.getLabels();
                String gpu = labels.getOrDefault("gpu", "");
                gauge.labelValues(gpu, labels.getOrDefault("gpu_uuid", ""), "nvidia" + gpu,
                                labels.getOrDefault("gpu_model", ""), labels.getOrDefault("node", ""),
                                labels.getOrDefault("mig_instance", ""))
                        .set(event.getValue() * FIELDS.get(event.getName()).factor());
            }
        }
    }

    /** Registers {@code aima_collector_<name>_total}, a counter read from {@code value} at each scrape. */
    public void counter(String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name("aima_collector_" + name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    /** Registers {@code aima_collector_<name>}, a counter per source read at each scrape. */
    public void counterPerSource(String name, String help, Map<String, DoubleSupplier> bySource) {
        CounterWithCallback.builder().name("aima_collector_" + name).help(help).labelNames("source")
                .callback(callback -> bySource.forEach((source, value) -> callback.call(value.getAsDouble(), source)))
                .register(registry);
    }

    /** Registers {@code aima_collector_<name>}, a gauge read from {@code value} at each scrape. */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name("aima_collector_" + name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }
}
