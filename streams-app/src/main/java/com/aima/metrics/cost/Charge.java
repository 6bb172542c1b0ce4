package com.aima.metrics.cost;

import java.math.BigDecimal;

/**
 * What one job owes for some GPU time, exact: GPU time and money are {@link BigDecimal}s, rounded only when a record
 * is written ({@link CostRecords#micros}: half-even to whole micro-units).
 *
 * @param gpuSeconds      GPU time charged, in seconds summed over devices, after splitting shared devices
 * @param amountMicros    the priced part's cost in millionths of the currency unit
 * @param unpricedSeconds the part of {@code gpuSeconds} that had no price
 * @param energyJoules    the share of measured energy (local GPUs), in joules
 * @param energyUnmeasured whether some local GPU time had no energy samples around it (electricity uncharged)
 */
public record Charge(BigDecimal gpuSeconds, BigDecimal amountMicros, BigDecimal unpricedSeconds,
                     BigDecimal energyJoules, boolean energyUnmeasured) {

    public static final Charge ZERO = new Charge(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
            false);

    public Charge plus(Charge other) {
        return new Charge(gpuSeconds.add(other.gpuSeconds), amountMicros.add(other.amountMicros),
                unpricedSeconds.add(other.unpricedSeconds), energyJoules.add(other.energyJoules),
                energyUnmeasured || other.energyUnmeasured);
    }

    /** Whether every second of GPU time had a price. */
    public boolean priced() {
        return unpricedSeconds.signum() == 0;
    }
}
