package com.aima.metrics.notify;

import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * The task's counters, since it started, also published as Connect plugin metrics (JMX, the worker's metric
 * reporters) where the worker offers them. Thread-safe.
 */
final class NotificationMetrics {

    final AtomicLong alertsDelivered = new AtomicLong();
    final AtomicLong alertsFailed = new AtomicLong();
    final AtomicLong duplicatesSkipped = new AtomicLong();
    final AtomicLong unconfiguredChannelSkips = new AtomicLong();
    final AtomicLong recordsUndecodable = new AtomicLong();
    final AtomicLong deliveryRetries = new AtomicLong();

    /** Counters registered with {@code metrics}; {@code metrics} may be null (no registration). */
    NotificationMetrics(PluginMetrics metrics) {
        if (metrics == null) {
            return;
        }
        register(metrics, "alerts-delivered-total", "Alerts a channel took, counted once per channel.",
                alertsDelivered);
        register(metrics, "alerts-failed-total", "Alerts a channel refused for good or after the retry time-out,"
                + " counted once per channel; each went to the dead-letter queue.", alertsFailed);
        register(metrics, "alerts-duplicate-skipped-total", "Alerts read again that had already been delivered to a"
                + " channel, and were not sent again.", duplicatesSkipped);
        register(metrics, "alerts-unconfigured-channel-skipped-total", "Alerts routed to a channel that is not"
                + " configured, counted once per such channel.", unconfiguredChannelSkips);
        register(metrics, "records-undecodable-total", "Records that were not AlertEvents.", recordsUndecodable);
        register(metrics, "delivery-retries-total", "Failed attempts that were retried.", deliveryRetries);
    }

    private static void register(PluginMetrics metrics, String name, String description, AtomicLong counter) {
        metrics.addMetric(metrics.metricName(name, description, new LinkedHashMap<>()),
                (Gauge<Long>) (config, now) -> counter.get());
    }
}
