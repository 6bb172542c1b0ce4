package com.aima.metrics.notify;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where records the sink cannot use go: Connect's errant record reporter, which writes them to the connector's
 * dead-letter topic ({@code errors.tolerance=all}, {@code errors.deadletterqueue.topic.name}; with
 * {@code errors.deadletterqueue.context.headers.enable=true} the reason travels in headers). Connect waits for these
 * reports before it commits the records' offsets. Without a reporter the record is only logged as an error.
 */
final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ErrantRecordReporter reporter;
    private final NotificationMetrics metrics;

    /** @param reporter Connect's reporter, or null when the worker offers none */
    DeadLetters(ErrantRecordReporter reporter, NotificationMetrics metrics) {
        this.reporter = reporter;
        this.metrics = metrics;
    }

    /** {@code record} is not an AlertEvent. */
    void undecodable(SinkRecord record, DataException error) {
        metrics.recordsUndecodable.incrementAndGet();
        if (reporter == null) {
            log.error("{} Dropped: no dead-letter queue is configured (errors.tolerance=all,"
                    + " errors.deadletterqueue.topic.name).", error.getMessage(), error);
            return;
        }
        log.warn("{} Sent to the dead-letter queue.", error.getMessage());
        reporter.report(record, error);
    }

    /** {@code channel} could not deliver {@code notifications} (one message) after {@code attempts} attempts. */
    void undeliverable(String channel, List<Notification> notifications, DeliveryException error, int attempts) {
        metrics.alertsFailed.addAndGet(notifications.size());
        String alerts = notifications.stream().map(Notification::describe).collect(Collectors.joining("; "));
        log.error("Channel '{}' did not deliver {} alert(s) after {} attempt(s), {}: {}. {}", channel,
                notifications.size(), attempts, error.retryable() ? "giving up after the retry time-out"
                        : "the error is not retryable", alerts,
                reporter == null ? "No dead-letter queue is configured." : "Sent to the dead-letter queue.", error);
        if (reporter == null) {
            return;
        }
        for (Notification notification : notifications) {
            reporter.report(notification.record(), new ConnectException("Channel '" + channel + "' did not deliver"
                    + " alert " + notification.describe() + " after " + attempts + " attempt(s): "
                    + error.getMessage(), error));
        }
    }
}
