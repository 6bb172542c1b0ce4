package com.aima.metrics.cost;

/** One sample of a device's series: when (ms since the epoch) and the value. */
public record TimedValue(long timeMs, double value) {
}
