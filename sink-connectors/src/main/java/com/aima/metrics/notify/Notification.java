package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One alert on its way to one channel, with the record it was read from (for the dead-letter queue and for offsets)
 * and its de-duplication key ({@link DeliveredAlerts#key}). Immutable.
 */
record Notification(AlertEvent alert, SinkRecord record, String channel, String key) {

    /** The partition the record was read from, before any transformation renamed its topic. */
    TopicPartition partition() {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }

    long offset() {
        return record.originalKafkaOffset();
    }

    /** {@code rule 'x', fingerprint 'y' (FIRING)}: what a log line or an error names. */
    String describe() {
        return "rule '" + alert.getRule() + "', fingerprint '" + alert.getFingerprint() + "' (" + alert.getState()
                + ")";
    }
}
