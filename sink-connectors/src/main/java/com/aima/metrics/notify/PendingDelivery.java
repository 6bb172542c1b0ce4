package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts one channel sends in one message: those that arrived within the grouping window opened by the first,
 * and, once the window has closed, the state of delivering them (failures so far, when to try next). Not thread-safe.
 */
final class PendingDelivery {

    private final List<Notification> notifications = new ArrayList<>();
    private final long dueMs;
    private long nextAttemptMs;
    private int failures;
    private long firstFailureMs;

    /** A group whose window closes at {@code dueMs}, when it is first sent. */
    PendingDelivery(long dueMs) {
        this.dueMs = dueMs;
        this.nextAttemptMs = dueMs;
    }

    /** Whether an alert arriving at {@code nowMs} joins this group: its window is open and it was never sent. */
    boolean accepts(long nowMs) {
        return failures == 0 && nowMs < dueMs;
    }

    void add(Notification notification) {
        notifications.add(notification);
    }

    List<Notification> notifications() {
        return notifications;
    }

    List<AlertEvent> alerts() {
        return notifications.stream().map(Notification::alert).toList();
    }

    boolean isEmpty() {
        return notifications.isEmpty();
    }

    long nextAttemptMs() {
        return nextAttemptMs;
    }

    int failures() {
        return failures;
    }

    long firstFailureMs() {
        return firstFailureMs;
    }

    /** Records a failed attempt at {@code nowMs}; returns the number of failures so far. */
    int failedAt(long nowMs) {
        if (failures == 0) {
            firstFailureMs = nowMs;
        }
        return ++failures;
    }

    void retryAt(long timeMs) {
        nextAttemptMs = timeMs;
    }
}
