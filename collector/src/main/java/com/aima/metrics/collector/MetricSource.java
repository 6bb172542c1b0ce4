package com.aima.metrics.collector;

import com.aima.metrics.schema.MetricEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A family of sampled metrics (GPUs, the host, the Kubernetes node). The {@link SampleScheduler} calls
 * {@link #sample} with the metrics that are due, each at its own interval. Called from one thread at a time.
 */
public interface MetricSource extends AutoCloseable {

    /** A short name for logs and the collector's health metrics: gpu, host, kubernetes. */
    String name();

    /** The metric names this source can read, each with its default collection interval. */
    Map<String, Duration> defaultIntervals();

    /** Reads {@code metrics} (a subset of {@link #defaultIntervals()}'s keys) as of {@code now}. */
    List<MetricEvent> sample(Set<String> metrics, Instant now);

    @Override
    default void close() {
    }
}
