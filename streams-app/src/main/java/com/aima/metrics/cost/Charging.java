package com.aima.metrics.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a device's time is charged to the jobs holding it: the one formula behind every device-hour, job and budget
 * figure.
 *
 * <ol>
 *   <li>The interval is cut into periods at hour boundaries and wherever the set of jobs on the device changes.</li>
 *   <li>In each period the device's time is split among its jobs by their measured use: the mean, over sample times
 *       in the period, of the SM utilization summed over each job's processes. Evenly when a job has no process
 *       samples in the period (or no known pids), or when all measured 0 %. The last job's share is 1 minus the
 *       others', so the shares sum to exactly 1 and the jobs' GPU time is exactly the device's busy time.</li>
 *   <li>Each job's part is priced span by span ({@link PriceCatalog#spans}: a price change mid-period splits it):
 *       share × duration × price per GPU-hour, plus for local GPUs share × measured energy × electricity price.</li>
 * </ol>
 *
 * Arithmetic is {@link BigDecimal}: products exact, divisions (by 3,600,000 ms per hour and joules per kWh, and the
 * shares) to 34 significant digits; rounding to whole micro-units happens once per written record
 * ({@link CostRecords#micros}).
 */
final class Charging {

    static final long HOUR_MS = 3_600_000L;
    private static final BigDecimal HOUR = BigDecimal.valueOf(HOUR_MS);
    private static final BigDecimal JOULES_PER_KWH = BigDecimal.valueOf(3_600_000L);
    private static final MathContext DIVISION = MathContext.DECIMAL128;

    private Charging() {
    }

    /** The start of the UTC hour holding {@code timeMs}. */
    static long hourOf(long timeMs) {
        return Math.floorDiv(timeMs, HOUR_MS) * HOUR_MS;
    }

    /**
     * What each job holding the device owes for [fromMs, toMs).
     *
     * @param allocations the device's allocations; those outside the interval are ignored
     * @return per job id, for jobs that held the device in the interval; insertion order of {@code allocations}
     */
    static Map<String, Charge> charge(List<Allocation> allocations, DeviceSamples samples, PriceCatalog catalog,
                                      long fromMs, long toMs) {
        List<Allocation> clipped = new ArrayList<>();
        TreeSet<Long> cuts = new TreeSet<>(List.of(fromMs, toMs));
        for (Allocation allocation : allocations) {
            long start = Math.max(allocation.startMs(), fromMs);
            long end = Math.min(allocation.endMs(), toMs);
            if (start < end) {
                clipped.add(new Allocation(allocation.jobId(), allocation.device(), start, end, allocation.pids(),
                        allocation.key()));
                cuts.add(start);
                cuts.add(end);
            }
        }
        for (long hour = hourOf(fromMs) + HOUR_MS; hour < toMs; hour += HOUR_MS) {
            cuts.add(hour);
        }
        EnergyCounter energy = new EnergyCounter(samples.energy());
        Map<String, Charge> charges = new LinkedHashMap<>();
        Long previous = null;
        for (long cut : cuts) {
            if (previous != null) {
                List<Allocation> active = active(clipped, previous, cut);
                if (!active.isEmpty()) {
                    Map<Allocation, BigDecimal> shares = shares(active, samples, previous, cut);
                    for (Allocation allocation : active) {
                        Charge part = price(allocation.key(), shares.get(allocation), energy, catalog, previous, cut);
                        charges.merge(allocation.jobId(), part, Charge::plus);
                    }
                }
            }
            previous = cut;
        }
        return charges;
    }

    private static List<Allocation> active(List<Allocation> clipped, long fromMs, long toMs) {
        List<Allocation> active = new ArrayList<>();
        for (Allocation allocation : clipped) {
            if (allocation.startMs() <= fromMs && allocation.endMs() >= toMs) {
                active.add(allocation);
            }
        }
        return active;
    }

    /** Each active allocation's share of the device over [fromMs, toMs); they sum to exactly 1. */
    static Map<Allocation, BigDecimal> shares(List<Allocation> active, DeviceSamples samples, long fromMs,
                                              long toMs) {
        List<Double> use = new ArrayList<>();
        for (Allocation allocation : active) {
            double mean = meanUse(allocation, samples, fromMs, toMs);
            if (Double.isNaN(mean)) {
                return split(active, null);
            }
            use.add(mean);
        }
        double total = use.stream().mapToDouble(Double::doubleValue).sum();
        return split(active, total > 0 ? use : null);
    }

    /** The mean over sample times in [fromMs, toMs) of the SM % summed over the job's processes; NaN if none. */
    private static double meanUse(Allocation allocation, DeviceSamples samples, long fromMs, long toMs) {
        TreeMap<Long, Double> byTime = new TreeMap<>();
        for (String pid : allocation.pids()) {
            for (TimedValue sample : samples.processSm().getOrDefault(pid, List.of())) {
                if (sample.timeMs() >= fromMs && sample.timeMs() < toMs) {
                    byTime.merge(sample.timeMs(), sample.value(), Double::sum);
                }
            }
        }
        return byTime.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Shares proportional to {@code use}, or even when {@code use} is null; the last takes the remainder. */
    private static Map<Allocation, BigDecimal> split(List<Allocation> active, List<Double> use) {
        BigDecimal total = use == null ? BigDecimal.valueOf(active.size())
                : use.stream().map(BigDecimal::valueOf).reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<Allocation, BigDecimal> shares = new HashMap<>();
        BigDecimal assigned = BigDecimal.ZERO;
        for (int i = 0; i < active.size(); i++) {
            BigDecimal share = i == active.size() - 1 ? BigDecimal.ONE.subtract(assigned)
                    : (use == null ? BigDecimal.ONE : BigDecimal.valueOf(use.get(i))).divide(total, DIVISION);
            shares.put(active.get(i), share);
            assigned = assigned.add(share);
        }
        return shares;
    }

    private static Charge price(PriceKey key, BigDecimal share, EnergyCounter energy, PriceCatalog catalog,
                                long fromMs, long toMs) {
        List<PriceSpan> spans = key == null
                ? List.of(new PriceSpan(Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs), null))
                : catalog.spans(key, Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs));
        Charge total = Charge.ZERO;
        for (PriceSpan span : spans) {
            long startMs = span.start().toEpochMilli();
            long endMs = span.end().toEpochMilli();
            BigDecimal shareMs = share.multiply(BigDecimal.valueOf(endMs - startMs));
            BigDecimal seconds = shareMs.movePointLeft(3);
            Rate rate = span.rate();
            if (rate == null) {
                total = total.plus(new Charge(seconds, BigDecimal.ZERO, seconds, BigDecimal.ZERO, false));
                continue;
            }
            BigDecimal amount = shareMs.multiply(BigDecimal.valueOf(rate.microsPerGpuHour())).divide(HOUR, DIVISION);
            BigDecimal joules = BigDecimal.ZERO;
            boolean unmeasured = false;
            if (rate.electricityMicrosPerKwh() != null) {
                joules = share.multiply(BigDecimal.valueOf(energy.joules(startMs, endMs)));
                unmeasured = !energy.covers(startMs, endMs);
                amount = amount.add(joules.multiply(BigDecimal.valueOf(rate.electricityMicrosPerKwh()))
                        .divide(JOULES_PER_KWH, DIVISION));
            }
            total = total.plus(new Charge(seconds, amount, BigDecimal.ZERO, joules, unmeasured));
        }
        return total;
    }
}
