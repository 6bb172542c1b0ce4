package com.aima.metrics.cost;

import java.util.List;

/**
 * A GPU's energy counter (NVML's total energy consumption, {@code gpu_energy_joules_total}) as a function of time:
 * linear between samples. A counter that goes down (driver reload, GPU reset) restarted; that step counts as 0 J, so
 * the energy of at most one sample interval is missed rather than a negative or huge amount charged.
 */
final class EnergyCounter {

    private final long[] times;
    private final double[] cumulative;

    /** @param samples in time order */
    EnergyCounter(List<TimedValue> samples) {
        times = new long[samples.size()];
        cumulative = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            times[i] = samples.get(i).timeMs();
            double step = i == 0 ? 0 : samples.get(i).value() - samples.get(i - 1).value();
            cumulative[i] = i == 0 ? 0 : cumulative[i - 1] + Math.max(0, step);
        }
    }

    /** Whether samples bracket [fromMs, toMs], so that {@link #joules} is measured rather than partly assumed 0. */
    boolean covers(long fromMs, long toMs) {
        return times.length > 0 && times[0] <= fromMs && times[times.length - 1] >= toMs;
    }

    /** Energy used over [fromMs, toMs) in joules; 0 outside the sampled range. */
    double joules(long fromMs, long toMs) {
        return at(toMs) - at(fromMs);
    }

    private double at(long timeMs) {
        if (times.length == 0 || timeMs <= times[0]) {
            return 0;
        }
        int last = times.length - 1;
        if (timeMs >= times[last]) {
            return cumulative[last];
        }
        int i = 1;
        while (times[i] < timeMs) {
            i++;
        }
        double fraction = (double) (timeMs - times[i - 1]) / (times[i] - times[i - 1]);
        return cumulative[i - 1] + fraction * (cumulative[i] - cumulative[i - 1]);
    }
}
