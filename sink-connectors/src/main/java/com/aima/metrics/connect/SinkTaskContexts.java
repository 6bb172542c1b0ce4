package com.aima.metrics.connect;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;

/** What the sinks' tasks ask of their worker, tolerating workers older than the API, and closing what they opened. */
public final class SinkTaskContexts {

    private SinkTaskContexts() {
    }

    /** The worker's errant record reporter, or null when none is configured or the worker is older than Kafka 2.6. */
    public static ErrantRecordReporter errantRecordReporter(SinkTaskContext context) {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // a worker older than Kafka 2.6
        }
    }

    /** The worker's plugin metrics, or null for a worker older than Kafka 4.1. */
    public static PluginMetrics pluginMetrics(SinkTaskContext context) {
        try {
            return context.pluginMetrics();
        } catch (NoSuchMethodError | NoClassDefFoundError | UnsupportedOperationException e) {
            return null; // a worker older than Kafka 4.1
        }
    }

    /** Closes {@code resource} (if any), logging a failure to {@code log} as the {@code what} that failed to close. */
    public static void closeQuietly(AutoCloseable resource, String what, Logger log) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("Closing the {} failed.", what, e);
        }
    }
}
