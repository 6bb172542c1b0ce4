package com.aima.metrics.collector.host;

import com.aima.metrics.collector.MetricSource;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * The node itself through OSHI (seed 004 section 2.3): CPU utilization and RAM every 10 s, disk use per local file
 * system every 5 min, network throughput per interface every 30 s. CPU and network are rates between two samples, so
 * their first sample yields nothing. Labels: {@code node}, plus {@code mount} or {@code interface}.
 */
public final class HostSource implements MetricSource {

    public static final String CPU = "host_cpu_utilization_percent";
    public static final String MEMORY_USED = "host_memory_used_bytes";
    public static final String MEMORY_TOTAL = "host_memory_total_bytes";
    public static final String DISK_USED = "host_disk_used_bytes";
    public static final String DISK_TOTAL = "host_disk_total_bytes";
    public static final String NETWORK_RX = "host_network_receive_bytes_per_second";
    public static final String NETWORK_TX = "host_network_transmit_bytes_per_second";

    private final HardwareAbstractionLayer hardware;
    private final OperatingSystem os;
    private final Source source;
    private long[] cpuTicks;
    private final Map<String, long[]> networkBytes = new HashMap<>(); // interface -> {rx, tx, millis}
    private List<NetworkIF> interfaces;

    public HostSource(String host, String collectorId) {
        SystemInfo system = new SystemInfo();
        this.hardware = system.getHardware();
        this.os = system.getOperatingSystem();
        this.source = Source.newBuilder().setHost(host).setCollectorId(collectorId).setKind(SourceKind.SYSTEM).build();
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public Map<String, Duration> defaultIntervals() {
        Map<String, Duration> intervals = new LinkedHashMap<>();
        intervals.put(CPU, Duration.ofSeconds(10));
        intervals.put(MEMORY_USED, Duration.ofSeconds(10));
        intervals.put(MEMORY_TOTAL, Duration.ofSeconds(10));
        intervals.put(DISK_USED, Duration.ofMinutes(5));
        intervals.put(DISK_TOTAL, Duration.ofMinutes(5));
        intervals.put(NETWORK_RX, Duration.ofSeconds(30));
        intervals.put(NETWORK_TX, Duration.ofSeconds(30));
        return intervals;
    }

    @Override
    public List<MetricEvent> sample(Set<String> metrics, Instant now) {
        List<MetricEvent> events = new ArrayList<>();
        Map<String, String> node = Map.of("node", source.getHost());
        if (metrics.contains(CPU)) {
            CentralProcessor cpu = hardware.getProcessor();
            long[] ticks = cpu.getSystemCpuLoadTicks();
            if (cpuTicks != null) {
                events.add(event(CPU, "percent", 100 * cpu.getSystemCpuLoadBetweenTicks(cpuTicks), node, now));
            }
            cpuTicks = ticks;
        }
        if (metrics.contains(MEMORY_USED) || metrics.contains(MEMORY_TOTAL)) {
            GlobalMemory memory = hardware.getMemory();
            if (metrics.contains(MEMORY_USED)) {
                events.add(event(MEMORY_USED, "bytes", memory.getTotal() - memory.getAvailable(), node, now));
            }
            if (metrics.contains(MEMORY_TOTAL)) {
                events.add(event(MEMORY_TOTAL, "bytes", memory.getTotal(), node, now));
            }
        }
        if (metrics.contains(DISK_USED) || metrics.contains(DISK_TOTAL)) {
            for (OSFileStore store : os.getFileSystem().getFileStores(true)) {
                if (store.getTotalSpace() <= 0) {
                    continue;
                }
                Map<String, String> labels = Map.of("node", source.getHost(), "mount", store.getMount());
                if (metrics.contains(DISK_USED)) {
                    events.add(event(DISK_USED, "bytes", store.getTotalSpace() - store.getFreeSpace(), labels, now));
                }
                if (metrics.contains(DISK_TOTAL)) {
                    events.add(event(DISK_TOTAL, "bytes", store.getTotalSpace(), labels, now));
                }
            }
        }
        if (metrics.contains(NETWORK_RX) || metrics.contains(NETWORK_TX)) {
            network(metrics, now, events);
        }
        return events;
    }

    private void network(Set<String> metrics, Instant now, List<MetricEvent> events) {
        if (interfaces == null) {
            interfaces = hardware.getNetworkIFs(false);
        }
        for (NetworkIF networkIf : interfaces) {
            if (!networkIf.updateAttributes()) {
                continue;
            }
            long[] current = {networkIf.getBytesRecv(), networkIf.getBytesSent(), networkIf.getTimeStamp()};
            long[] previous = networkBytes.put(networkIf.getName(), current);
            if (previous == null || current[2] <= previous[2] || current[0] < previous[0] || current[1] < previous[1]) {
                continue; // first reading, or the counters were reset
            }
            double seconds = (current[2] - previous[2]) / 1000.0;
            Map<String, String> labels = Map.of("node", source.getHost(), "interface", networkIf.getName());
            if (metrics.contains(NETWORK_RX)) {
                events.add(event(NETWORK_RX, "bytes_per_second", (current[0] - previous[0]) / seconds, labels, now));
            }
            if (metrics.contains(NETWORK_TX)) {
                events.add(event(NETWORK_TX, "bytes_per_second", (current[1] - previous[1]) / seconds, labels, now));
            }
        }
    }

    private MetricEvent event(String name, String unit, double value, Map<String, String> labels, Instant now) {
        return MetricEvent.newBuilder().setName(name).setUnit(unit).setValue(value).setEventTime(now)
                .setLabels(labels).setSource(source).build();
    }
}
