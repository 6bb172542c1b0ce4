package com.aima.metrics.influx;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * The task's counters since it started, also published as Connect plugin metrics (JMX, the worker's metric
 * reporters) where the worker offers them. Thread-safe.
 */
final class InfluxSinkMetrics {

    final AtomicLong pointsWritten = new AtomicLong();
    final AtomicLong recordsRejected = new AtomicLong();
    final AtomicLong pointsBeyondRetention = new AtomicLong();
    final AtomicLong writeRetries = new AtomicLong();

    /** Counters registered with {@code metrics}; {@code metrics} may be null (no registration). */
    InfluxSinkMetrics(PluginMetrics metrics) {
        if (metrics == null) {
            return;
        }
        register(metrics, "points-written-total", "Points InfluxDB accepted, counted again when a batch is written"
                + " again after a retry.", pointsWritten);
        register(metrics, "records-rejected-total", "Records sent to the errant record reporter: undecodable, not"
                + " mappable, or refused by InfluxDB.", recordsRejected);
        register(metrics, "points-beyond-retention-total", "Points InfluxDB dropped because they are older than"
                + " their retention policy keeps.", pointsBeyondRetention);
        register(metrics, "write-retries-total", "Batches handed back to Connect to retry because InfluxDB or the"
                + " schema registry could not be reached or failed.", writeRetries);
    }

    private static void register(PluginMetrics metrics, String name, String description, AtomicLong counter) {
        metrics.addMetric(metrics.metricName(name, description, new LinkedHashMap<>()),
                (Gauge<Long>) (config, now) -> counter.get());
    }
}
