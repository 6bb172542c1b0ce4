package com.aima.metrics.cost;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.JobEventType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The cost engine's two time-driven steps, each returning the records to write (key → CostRecord or MetricEvent):
 * {@link #finalizeJob} when a job's end is {@code costs.settle} old, and {@link #closeHour} when an hour's end is.
 * Both charge through {@link Charging}; every piece of a job's GPU time is added to the budgets exactly once,
 * tracked by {@link JobHistory#chargedUntilMs()}: by the hour close of the hour it falls in, or, for the job's last
 * hours and for jobs whose events came after their hour closed, by the job's finalization.
 */
final class Charger {

    private final CostStores stores;
    private final Supplier<PriceCatalog> catalog;
    private final Budgets budgets;
    private final RollingWindows windows;
    private final long maxRunMs;
    private final long sampleRetentionMs;
    private final long jobRetentionMs;

    Charger(CostStores stores, Supplier<PriceCatalog> catalog, CostConfig config) {
        this.stores = stores;
        this.catalog = catalog;
        this.budgets = new Budgets(stores.ledger);
        this.windows = new RollingWindows(stores.ledger, config.windowJobs());
        this.maxRunMs = config.maxRunDuration().toMillis();
        this.sampleRetentionMs = config.sampleRetention().toMillis();
        this.jobRetentionMs = config.jobRetention().toMillis();
    }

    Budgets budgets() {
        return budgets;
    }

    /**
     * Writes the cost of an ended job, or of one abandoned without a final event ({@link JobHistory#endMs}):
     * JOB, and where they apply MEDIA_MINUTE, ESTIMATE, ESTIMATE_ACCURACY.
     */
    List<KeyValue<String, Object>> finalizeJob(JobHistory job, long clockMs) {
        PriceCatalog prices = catalog.get();
        List<Allocation> allocations = job.allocations(maxRunMs);
        long endMs = job.endMs(maxRunMs);
        long startMs = job.firstStartMs() == null ? endMs : Math.min(job.firstStartMs(), endMs);
        Charge rest = Charge.ZERO;
        long chargedUntil = job.chargedUntilMs();
        if (!allocations.isEmpty()) {
            long from = Math.max(chargedUntil, allocations.stream().mapToLong(Allocation::startMs).min().orElseThrow());
            long to = allocations.stream().mapToLong(Allocation::endMs).max().orElseThrow();
            Map<String, List<Allocation>> devices = new HashMap<>();
            for (long hour = Charging.hourOf(from); hour < to; hour += Charging.HOUR_MS) {
                Charge piece = chargeJob(job, allocations, devices, Math.max(hour, from),
                        Math.min(hour + Charging.HOUR_MS, to), prices);
                budgets.add(job.project(), hour, piece.amountMicros());
                rest = rest.plus(piece);
            }
            chargedUntil = Math.max(chargedUntil, to);
        }
        Charge total = job.charged().plus(rest);
        String problem = job.problem(maxRunMs, total);
        String currency = prices.currency();
        List<KeyValue<String, Object>> out = new ArrayList<>();
        out.add(KeyValue.pair(job.jobId(), CostRecords.job(job, startMs, endMs, total, problem, currency)));
        Long mediaMs = job.mediaMs();
        if (mediaMs != null && mediaMs > 0) {
            out.add(KeyValue.pair(job.jobId(), CostRecords.mediaMinute(job, startMs, endMs, total, mediaMs,
                    currency)));
        }
        boolean completed = job.terminal() != null && JobEventType.COMPLETED.name().equals(job.terminal().type())
                && problem == null;
        AnalysisType type = CostRecords.analysisType(job);
        long actual = CostRecords.micros(total.amountMicros());
        if (job.estimate() != null) {
            Double deviation = job.estimate().currency().equals(currency) && job.estimate().micros() > 0
                    ? BigDecimal.valueOf(actual - job.estimate().micros())
                    .divide(BigDecimal.valueOf(job.estimate().micros()), MathContext.DECIMAL64).doubleValue()
                    : null;
            out.add(KeyValue.pair(job.jobId(), CostRecords.estimate(job, startMs, endMs, actual,
                    total.priced() && problem == null, deviation, currency)));
            if (completed && deviation != null) {
                out.add(KeyValue.pair(type + "/" + job.gpuType(),
                        windows.addEstimate(type, job.gpuType(), deviation, endMs, currency)));
            }
        }
        double gpuSeconds = total.gpuSeconds().doubleValue();
        if (completed && gpuSeconds > 0) {
            if (type == AnalysisType.IMAGE) {
                windows.addThroughput(type, job.gpuType(), 1, gpuSeconds);
            } else if (mediaMs != null && mediaMs > 0) {
                windows.addThroughput(type, job.gpuType(), mediaMs / 60_000.0, gpuSeconds);
            }
            PriceKey key = job.priceKey();
            if (key != null && key.local() && !total.energyUnmeasured() && total.energyJoules().signum() > 0) {
                windows.addEnergy(job.gpuType(), total.energyJoules().doubleValue(), gpuSeconds);
            }
        }
        stores.jobs.put(job.jobId(), job.charged(chargedUntil, rest).finalized(clockMs));
        return out;
    }

    /**
     * Writes the figures of the hour [hourMs, hourMs + 1 h): DEVICE_HOUR per busy device, adds each running job's
     * part to the budgets (with any earlier hours of jobs whose events came late), then BUDGET and PROVIDER_OPTION
     * records, and forgets what is no longer needed.
     */
    List<KeyValue<String, Object>> closeHour(long hourMs, long clockMs) {
        PriceCatalog prices = catalog.get();
        long endMs = hourMs + Charging.HOUR_MS;
        List<KeyValue<String, Object>> out = new ArrayList<>();
        Map<String, Charge> pieces = new TreeMap<>();
        for (Map.Entry<String, List<Allocation>> busy : new TreeMap<>(stores.devicesBusyIn(hourMs, endMs))
                .entrySet()) {
            String device = busy.getKey();
            Map<String, Charge> charges = Charging.charge(busy.getValue(), stores.samples(device, hourMs, endMs),
                    prices, hourMs, endMs);
            Charge sum = charges.values().stream().reduce(Charge.ZERO, Charge::plus);
            out.add(KeyValue.pair(device, CostRecords.deviceHour(device, hourMs, sum, busy.getValue().get(0).key(),
                    prices.currency())));
            charges.forEach((jobId, charge) -> pieces.merge(jobId, charge, Charge::plus));
        }
        for (Map.Entry<String, Charge> piece : pieces.entrySet()) {
            JobHistory job = stores.jobs.get(piece.getKey());
            if (job == null || job.finalizedAtMs() != null || job.chargedUntilMs() >= endMs) {
                continue;
            }
            Charge charged = piece.getValue();
            budgets.add(job.project(), hourMs, charged.amountMicros());
            List<Allocation> allocations = job.allocations(maxRunMs);
            Map<String, List<Allocation>> devices = new HashMap<>();
            long first = Math.max(job.chargedUntilMs(), job.firstStartMs());
            for (long hour = Charging.hourOf(first); hour < hourMs; hour += Charging.HOUR_MS) {
                Charge late = chargeJob(job, allocations, devices, Math.max(hour, first), hour + Charging.HOUR_MS,
                        prices);
                budgets.add(job.project(), hour, late.amountMicros());
                charged = charged.plus(late);
            }
            stores.jobs.put(job.jobId(), job.charged(endMs, charged));
        }
        budgets.records(hourMs, prices).forEach(record -> out.add(KeyValue.pair(record.getProject(), record)));
        windows.providerOptions(prices, endMs).forEach(record -> out.add(KeyValue.pair(
                record.getAnalysisType() + "/" + record.getProvider() + "/" + record.getGpuType() + "/"
                        + record.getLabels().get("pricing_model"), record)));
        forget(endMs, clockMs);
        return out;
    }

    /**
     * What {@code job} owes for [fromMs, toMs) on all its devices, shared devices split with their other jobs.
     *
     * @param deviceAllocations each device's allocations, read from the store once per caller's loop over hours
     */
    private Charge chargeJob(JobHistory job, List<Allocation> allocations,
                             Map<String, List<Allocation>> deviceAllocations, long fromMs, long toMs,
                             PriceCatalog prices) {
        Set<String> devices = new LinkedHashSet<>();
        for (Allocation allocation : allocations) {
            if (allocation.startMs() < toMs && allocation.endMs() > fromMs) {
                devices.add(allocation.device());
            }
        }
        Charge total = Charge.ZERO;
        for (String device : devices) {
            Charge part = Charging.charge(deviceAllocations.computeIfAbsent(device, stores::allocationsOf),
                    stores.samples(device, fromMs, toMs), prices, fromMs, toMs).get(job.jobId());
            total = part == null ? total : total.plus(part);
        }
        return total;
    }

    /**
     * Drops samples older than the retention, allocations of charged jobs that ended before {@code closedUntilMs},
     * and charged jobs older than the job retention.
     */
    private void forget(long closedUntilMs, long clockMs) {
        stores.purgeSamples(closedUntilMs - sampleRetentionMs);
        List<JobHistory> done = new ArrayList<>();
        try (KeyValueIterator<String, JobHistory> it = stores.jobs.all()) {
            it.forEachRemaining(entry -> {
                if (entry.value.finalizedAtMs() != null) {
                    done.add(entry.value);
                }
            });
        }
        for (JobHistory job : done) {
            if (job.finalizedAtMs() < clockMs - jobRetentionMs) {
                stores.deleteJob(job, maxRunMs);
            } else {
                for (Allocation allocation : job.allocations(maxRunMs)) {
                    if (allocation.endMs() <= closedUntilMs) {
                        stores.allocations.delete(CostStores.allocationKey(allocation));
                    }
                }
            }
        }
        budgets.purge(clockMs);
    }
}
