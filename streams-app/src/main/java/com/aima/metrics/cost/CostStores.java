package com.aima.metrics.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import com.aima.metrics.streams.JsonSerde;

/**
 * The cost engine's state, all in changelogged RocksDB stores of its single task:
 * <ul>
 *   <li>{@value #JOBS}: job id → {@link JobHistory};</li>
 *   <li>{@value #ALLOCATIONS}: {@code device jobId startMs} → {@link Allocation}, derived from the histories, so a
 *       device's jobs are one prefix scan;</li>
 *   <li>{@value #SAMPLES}: {@code device time E} (energy counter, J) and {@code device time P<pid>} (a process's SM
 *       %) → value, time zero-padded so that a device's samples sort by time;</li>
 *   <li>{@value #PENDING}: {@code dueMs jobId} of ended jobs waiting for late samples before their cost is
 *       written;</li>
 *   <li>{@value #LEDGER}: the clock, the last closed hour, known devices, spend per project and period, and the
 *       rolling windows of estimate accuracy and throughput.</li>
 * </ul>
 */
final class CostStores {

    static final String JOBS = "cost-jobs";
    static final String ALLOCATIONS = "cost-allocations";
    static final String SAMPLES = "cost-samples";
    static final String PENDING = "cost-pending";
    static final String LEDGER = "cost-ledger";
    static final String[] ALL = {JOBS, ALLOCATIONS, SAMPLES, PENDING, LEDGER};
    /** Samples this far around an interval are read, so that the energy counter is bracketed (NVML: every 30 s). */
    static final long SAMPLE_MARGIN_MS = 5 * 60_000L;
    private static final String DEVICE_PREFIX = "device ";

    final KeyValueStore<String, JobHistory> jobs;
    final KeyValueStore<String, Allocation> allocations;
    final KeyValueStore<String, Double> samples;
    final KeyValueStore<String, String> pending;
    final KeyValueStore<String, String> ledger;

    private CostStores(ProcessingContext context) {
        jobs = context.getStateStore(JOBS);
        allocations = context.getStateStore(ALLOCATIONS);
        samples = context.getStateStore(SAMPLES);
        pending = context.getStateStore(PENDING);
        ledger = context.getStateStore(LEDGER);
    }

    static CostStores of(ProcessingContext context) {
        return new CostStores(context);
    }

    static List<StoreBuilder<?>> builders() {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOBS), Serdes.String(),
                        JsonSerde.of(JobHistory.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALLOCATIONS), Serdes.String(),
                        JsonSerde.of(Allocation.class)),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SAMPLES), Serdes.String(),
                        Serdes.Double()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING), Serdes.String(),
                        Serdes.String()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER), Serdes.String(),
                        Serdes.String()));
    }

    /**
     * Stores {@code next} and replaces the allocations derived from {@code previous} with those of {@code next},
     * when they differ: most events (SUBMITTED, PROGRESS, redelivered fields) leave them as they are.
     */
    void putJob(JobHistory previous, JobHistory next, long maxRunMs) {
        List<Allocation> before = previous == null ? List.of() : previous.allocations(maxRunMs);
        List<Allocation> after = next.allocations(maxRunMs);
        if (!before.equals(after)) {
            before.forEach(allocation -> allocations.delete(allocationKey(allocation)));
            after.forEach(allocation -> allocations.put(allocationKey(allocation), allocation));
        }
        jobs.put(next.jobId(), next);
    }

    /** Removes a job and its allocations. */
    void deleteJob(JobHistory job, long maxRunMs) {
        for (Allocation allocation : job.allocations(maxRunMs)) {
            allocations.delete(allocationKey(allocation));
        }
        jobs.delete(job.jobId());
    }

    List<Allocation> allocationsOf(String device) {
        List<Allocation> found = new ArrayList<>();
        try (KeyValueIterator<String, Allocation> it = allocations.prefixScan(device + ' ', new StringSerializer())) {
            it.forEachRemaining(entry -> found.add(entry.value));
        }
        return found;
    }

    /** Every device with an allocation overlapping [fromMs, toMs), with its allocations. */
    Map<String, List<Allocation>> devicesBusyIn(long fromMs, long toMs) {
        Map<String, List<Allocation>> busy = new HashMap<>();
        try (KeyValueIterator<String, Allocation> it = allocations.all()) {
            it.forEachRemaining(entry -> {
                if (entry.value.startMs() < toMs && entry.value.endMs() > fromMs) {
                    busy.computeIfAbsent(entry.value.device(), d -> new ArrayList<>()).add(entry.value);
                }
            });
        }
        return busy;
    }

    void addEnergy(String device, long timeMs, double joules) {
        samples.put(sampleKey(device, timeMs) + " E", joules);
        seen(device, timeMs);
    }

    void addProcessUse(String device, String pid, long timeMs, double smPercent) {
        samples.put(sampleKey(device, timeMs) + " P" + pid, smPercent);
        seen(device, timeMs);
    }

    /** Records the device's latest sample time, which decides when it is forgotten. */
    private void seen(String device, long timeMs) {
        String before = ledger.get(DEVICE_PREFIX + device);
        if (before == null || Long.parseLong(before) < timeMs) {
            ledger.put(DEVICE_PREFIX + device, Long.toString(timeMs));
        }
    }

    /** The device's samples from {@link #SAMPLE_MARGIN_MS} before {@code fromMs} to as long after {@code toMs}. */
    DeviceSamples samples(String device, long fromMs, long toMs) {
        List<TimedValue> energy = new ArrayList<>();
        Map<String, List<TimedValue>> processSm = new HashMap<>();
        try (KeyValueIterator<String, Double> it = samples.range(sampleKey(device, fromMs - SAMPLE_MARGIN_MS),
                sampleKey(device, toMs + SAMPLE_MARGIN_MS) + " ~")) {
            while (it.hasNext()) {
                KeyValue<String, Double> entry = it.next();
                String[] parts = entry.key.split(" ");
                long timeMs = Long.parseLong(parts[1]);
                if (parts[2].equals("E")) {
                    energy.add(new TimedValue(timeMs, entry.value));
                } else {
                    processSm.computeIfAbsent(parts[2].substring(1), pid -> new ArrayList<>())
                            .add(new TimedValue(timeMs, entry.value));
                }
            }
        }
        return new DeviceSamples(energy, processSm);
    }

    /** Deletes every sample older than {@code cutoffMs}, and forgets devices with nothing newer. */
    void purgeSamples(long cutoffMs) {
        Set<String> devices = new LinkedHashSet<>();
        Map<String, Long> lastSeen = new HashMap<>();
        try (KeyValueIterator<String, String> it = ledger.prefixScan(DEVICE_PREFIX, new StringSerializer())) {
            it.forEachRemaining(entry -> {
                String device = entry.key.substring(DEVICE_PREFIX.length());
                devices.add(device);
                lastSeen.put(device, Long.parseLong(entry.value));
            });
        }
        for (String device : devices) {
            List<String> old = new ArrayList<>();
            try (KeyValueIterator<String, Double> it = samples.range(sampleKey(device, 0),
                    sampleKey(device, cutoffMs))) {
                it.forEachRemaining(entry -> old.add(entry.key));
            }
            old.forEach(samples::delete);
            if (lastSeen.get(device) < cutoffMs) {
                ledger.delete(DEVICE_PREFIX + device);
            }
        }
    }

    static String allocationKey(Allocation allocation) {
        return allocation.device() + ' ' + allocation.jobId() + ' ' + allocation.startMs();
    }

    /** {@code device timeMs}, the time zero-padded to 13 digits (valid until the year 2286). */
    static String sampleKey(String device, long timeMs) {
        return device + ' ' + String.format("%013d", Math.max(0, timeMs));
    }

    static String pendingKey(long dueMs, String jobId) {
        return String.format("%013d", Math.max(0, dueMs)) + ' ' + jobId;
    }
}
