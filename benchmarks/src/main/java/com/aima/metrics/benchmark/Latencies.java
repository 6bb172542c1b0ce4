package com.aima.metrics.benchmark;

import java.util.Arrays;

/**
 * A sorted set of latencies in nanoseconds and its percentiles by nearest rank (p99 of 2,000 values is the 1,980th
 * smallest), printed in milliseconds.
 */
final class Latencies {

    private final long[] sortedNanos;

    Latencies(long[] nanos) {
        sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
    }

    int count() {
        return sortedNanos.length;
    }

    /** The {@code quantile} (0 < q ≤ 1) in milliseconds, NaN when there are no values. */
    double percentileMs(double quantile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    double maxMs() {
        return percentileMs(1.0);
    }

    /** One table row: label, count, p50, p90, p99 and max in ms. */
    String row(String label) {
        return String.format("  %-22s %7d %9.1f %9.1f %9.1f %9.1f", label, count(), percentileMs(0.50),
                percentileMs(0.90), percentileMs(0.99), maxMs());
    }

    static String header() {
        return String.format("  %-22s %7s %9s %9s %9s %9s", "", "count", "p50 ms", "p90 ms", "p99 ms", "max ms");
    }
}
