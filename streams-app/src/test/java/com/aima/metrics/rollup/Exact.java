package com.aima.metrics.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.aima.metrics.schema.MetricRollup;
import java.util.Arrays;
import java.util.Collection;

/**
 * Independent expectations for a window: computed from the raw values with plain arithmetic, never with the code
 * under test. Quantiles are the exact lower nearest-rank values (the element at rank floor(q * (n - 1)) of the sorted
 * values), the rank DDSketch's quantiles are defined against.
 */
final class Exact {

    private Exact() {
    }

    static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    /** Asserts count, sum, min, max and avg exactly (sum to rounding), and p50/p95/p99 within the relative accuracy. */
    static void assertMatches(MetricRollup rollup, Collection<Double> values, double relativeAccuracy) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double sum = Arrays.stream(sorted).sum();
        String window = rollup.getTier() + " " + rollup.getWindowStart() + " " + rollup.getLabels();
        assertThat(rollup.getCount()).as("count of %s", window).isEqualTo(sorted.length);
        assertThat(rollup.getSum()).as("sum of %s", window).isCloseTo(sum, within(1e-9 * Math.max(1, Math.abs(sum))));
        assertThat(rollup.getMin()).as("min of %s", window).isEqualTo(sorted[0]);
        assertThat(rollup.getMax()).as("max of %s", window).isEqualTo(sorted[sorted.length - 1]);
        assertThat(rollup.getAvg()).as("avg of %s", window)
                .isCloseTo(sum / sorted.length, within(1e-9 * Math.max(1, Math.abs(sum / sorted.length))));
        assertQuantile(window, "p50", rollup.getP50(), quantile(sorted, 0.50), relativeAccuracy);
        assertQuantile(window, "p95", rollup.getP95(), quantile(sorted, 0.95), relativeAccuracy);
        assertQuantile(window, "p99", rollup.getP99(), quantile(sorted, 0.99), relativeAccuracy);
    }

    /** The relative error of {@code estimate} against {@code exact}. */
    static double relativeError(double estimate, double exact) {
        return exact == 0 ? Math.abs(estimate) : Math.abs(estimate - exact) / Math.abs(exact);
    }

    private static void assertQuantile(String window, String name, double estimate, double exact, double accuracy) {
        assertThat(relativeError(estimate, exact))
                .as("%s of %s: estimate %s, exact %s", name, window, estimate, exact)
                .isLessThanOrEqualTo(accuracy + 1e-12);
    }
}
