package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A channel that records every message, and the time of every attempt, and fails while a test tells it to: the next
 * {@code n} attempts, retryable or not.
 */
final class RecordingChannel implements Channel {

    private final String name;
    private final LongSupplier clock;
    private final List<List<AlertEvent>> messages = new ArrayList<>();
    private final List<Long> attemptTimes = new ArrayList<>();
    private int failuresLeft;
    private boolean retryable;
    private boolean closed;
    private boolean crash;

    RecordingChannel(String name, LongSupplier clock) {
        this.name = name;
        this.clock = clock;
    }

    /** The next {@code attempts} attempts fail, with a retryable error or not. */
    RecordingChannel failNext(int attempts, boolean retryable) {
        this.failuresLeft = attempts;
        this.retryable = retryable;
        return this;
    }

    /** The next attempt throws an unchecked exception, as a channel with a bug would. */
    RecordingChannel crashNext() {
        this.crash = true;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(List<AlertEvent> alerts) throws DeliveryException {
        attemptTimes.add(clock.getAsLong());
        if (crash) {
            crash = false;
            throw new IllegalStateException("bug in the channel");
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new DeliveryException(name + " endpoint answered HTTP " + (retryable ? 503 : 400), retryable);
        }
        messages.add(List.copyOf(alerts));
    }

    /** The messages delivered, each the alerts of one call. */
    List<List<AlertEvent>> messages() {
        return messages;
    }

    /** Fingerprint and state of every alert delivered, in order: {@code fp1:FIRING}. */
    List<String> delivered() {
        return messages.stream().flatMap(List::stream)
                .map(alert -> alert.getFingerprint() + ":" + alert.getState()).toList();
    }

    List<Long> attemptTimes() {
        return attemptTimes;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
