package com.aima.metrics.benchmark;

import com.aima.metrics.Topics;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.SchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Resident memory and CPU of the collector at its default intervals with simulated GPUs, publishing to a real broker
 * and registry, over a few minutes; against an idle JVM with the same options (collector/jvm.options), measured in
 * the same run. Figures come from /proc: VmRSS and VmHWM, utime + stime.
 */
@Command(name = "collector-footprint", mixinStandardHelpOptions = true,
        description = "RSS and CPU of the collector with simulated GPUs, against an idle JVM with the same options.")
public final class CollectorFootprintBenchmark implements Callable<Integer> {

    @Option(names = "--gpus", defaultValue = "8", description = "Simulated GPUs. Default: ${DEFAULT-VALUE}.")
    int gpus;

    @Option(names = "--duration", defaultValue = "PT3M", description = "Measured time. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "PT30S",
            description = "Time before measuring (start-up, JIT). Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(names = "--jvm-options", defaultValue = "collector/jvm.options",
            description = "The collector's JVM options file. Default: ${DEFAULT-VALUE}.")
    Path jvmOptions;

    @Option(names = "--collector-jar", defaultValue = "collector/target/aima-collector.jar",
            description = "The collector as built, its dependencies in lib/ beside it. Default: ${DEFAULT-VALUE}.")
    Path collectorJar;

    @Option(names = "--native-memory",
            description = "Also print the collector's JVM native memory summary (NMT) at the end.")
    boolean nativeMemory;

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)
    private static final double MIB_IN_MB = 1.048576;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectorFootprintBenchmark()).execute(args));
    }

    /** The baseline: a JVM that does nothing until it is killed. */
    public static final class IdleJvm {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> options = Files.readAllLines(jvmOptions).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        Path state = Files.createTempDirectory("aima-collector-footprint");
        try (KafkaBroker kafka = KafkaBroker.start(); SchemaRegistry registry = SchemaRegistry.start()) {
            kafka.createTopics(1, Topics.METRICS_RAW, Topics.JOBS);
            String collectorClasspath = collectorJar + java.io.File.pathSeparator
                    + collectorJar.resolveSibling("lib").resolve("*"); // as bin/collector runs it
            Process collector = java(options, collectorClasspath, "com.aima.metrics.collector.CollectorMain", Map.of(
                    "AIMA_COLLECTOR_KAFKA__BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "AIMA_COLLECTOR_KAFKA__SCHEMA_REGISTRY_URL", registry.url(),
                    "AIMA_COLLECTOR_GPU__SOURCE", "simulator",
                    "AIMA_COLLECTOR_GPU__SIMULATED_GPUS", String.valueOf(gpus),
                    "AIMA_COLLECTOR_HTTP__PORT", "0",
                    "AIMA_COLLECTOR_STATE_DIR", state.toString()), state.resolve("collector.log"));
            Process idle = java(options, System.getProperty("java.class.path"), IdleJvm.class.getName(), Map.of(),
                    state.resolve("idle.log"));
            try {
                System.out.printf("Collector with %d simulated GPUs at default intervals; warm-up %s, measuring %s%n",
                        gpus, warmup, duration);
                Thread.sleep(warmup.toMillis());
                requireAlive(collector, state.resolve("collector.log"));
                long eventsBefore = endOffset(kafka);
                Usage collectorStart = Usage.of(collector.pid());
                Usage idleStart = Usage.of(idle.pid());
                long startNanos = System.nanoTime();
                Thread.sleep(duration.toMillis());
                requireAlive(collector, state.resolve("collector.log"));
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                Usage collectorEnd = Usage.of(collector.pid());
                Usage idleEnd = Usage.of(idle.pid());
                long events = endOffset(kafka) - eventsBefore;

                double collectorCpu = collectorEnd.cpuPercentSince(collectorStart, seconds);
                double idleCpu = idleEnd.cpuPercentSince(idleStart, seconds);
                System.out.printf("collector: RSS %.1f MiB = %.1f MB (peak %.1f MiB), CPU %.2f %% of one core, %d"
                                + " events published (%.1f/s)%n", collectorEnd.rssMib(), collectorEnd.rssMib() * MIB_IN_MB,
                        collectorEnd.peakRssMib(), collectorCpu, events, events / seconds);
                System.out.printf("idle JVM:  RSS %.1f MiB (peak %.1f MiB), CPU %.2f %% of one core%n",
                        idleEnd.rssMib(), idleEnd.peakRssMib(), idleCpu);
                System.out.printf("collector / idle JVM: RSS %.2fx, CPU above idle %.2f %% of one core%n",
                        collectorEnd.rssMib() / idleEnd.rssMib(), collectorCpu - idleCpu);
                System.out.printf("targets: peak RSS <= 100 MiB %s, <= 100 MB %s; CPU <= 1 %% %s%n",
                        met(collectorEnd.peakRssMib() <= 100), met(collectorEnd.peakRssMib() * MIB_IN_MB <= 100),
                        met(collectorCpu <= 1));
                if (nativeMemory) {
                    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                            .toString(), String.valueOf(collector.pid()), "VM.native_memory", "summary")
                            .redirectErrorStream(true).start();
                    System.out.println(new String(jcmd.getInputStream().readAllBytes()));
                }
            } finally {
                collector.destroy();
                idle.destroyForcibly();
                collector.waitFor(30, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private Process java(List<String> options, String classpath, String main, Map<String, String> env,
                                Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        if (nativeMemory && main.endsWith("CollectorMain")) {
            command.add("-XX:NativeMemoryTracking=summary");
        }
        command.add("-cp");
        command.add(classpath);
        command.add(main);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // as bin/collector sets it
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void requireAlive(Process process, Path log) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("The collector exited with " + process.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }

    private static long endOffset(KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicPartition partition = new TopicPartition(Topics.METRICS_RAW, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
        }
    }

    /** A process's memory and CPU time as /proc reports them. */
    private record Usage(long rssKb, long peakRssKb, long cpuTicks) {
        static Usage of(long pid) throws IOException {
            long rss = 0;
            long peak = 0;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line);
                }
            }
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return new Usage(rss, peak, ticks);
        }

        private static long kilobytes(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }

        double rssMib() {
            return rssKb / 1024.0;
        }

        double peakRssMib() {
            return peakRssKb / 1024.0;
        }

        double cpuPercentSince(Usage start, double seconds) {
            return 100.0 * (cpuTicks - start.cpuTicks) / CLOCK_TICKS_PER_SECOND / seconds;
        }
    }
}
