package com.aima.metrics.collector.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.SourceKind;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reads this machine through OSHI: the values are real, so only their plausibility is checked. */
class HostSourceTest {

    @Test
    void readsCpuMemoryAndDisksOfThisMachine() throws Exception {
        HostSource host = new HostSource("this-node", "c1");
        Instant now = Instant.now();

        List<MetricEvent> first = host.sample(host.defaultIntervals().keySet(), now);
        burnCpu();
        List<MetricEvent> second = host.sample(Set.of(HostSource.CPU, HostSource.MEMORY_USED), now.plusSeconds(10));

        assertThat(first).noneMatch(e -> e.getName().equals(HostSource.CPU)); // a rate needs two samples
        assertThat(value(first, HostSource.MEMORY_TOTAL)).isGreaterThan(value(first, HostSource.MEMORY_USED))
                .isEqualTo(memTotalFromProc());
        assertThat(value(first, HostSource.MEMORY_USED)).isPositive();
        assertThat(first).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo(HostSource.DISK_USED);
            assertThat(e.getLabels()).containsKey("mount");
            assertThat(e.getValue()).isPositive();
        });
        assertThat(first).allSatisfy(e -> {
            assertThat(e.getSource().getKind()).isEqualTo(SourceKind.SYSTEM);
            assertThat(e.getLabels()).containsEntry("node", "this-node");
        });
        assertThat(value(second, HostSource.CPU)).isBetween(0.0, 100.0);
        assertThat(second).extracting(MetricEvent::getName).containsOnly(HostSource.CPU, HostSource.MEMORY_USED);
    }

    private static double value(List<MetricEvent> events, String name) {
        return events.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    /** MemTotal of /proc/meminfo in bytes: what the kernel says, read without OSHI. */
    private static double memTotalFromProc() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
            }
        }
        throw new AssertionError("no MemTotal in /proc/meminfo");
    }

    /** Some CPU ticks between the two samples, so the rate has a denominator. */
    private static void burnCpu() {
        long end = System.nanoTime() + 50_000_000;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        assertThat(x).isPositive();
    }
}
