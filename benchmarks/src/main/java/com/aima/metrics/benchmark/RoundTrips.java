package com.aima.metrics.benchmark;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When one record per slot was sent and when what it caused arrived, as {@link System#nanoTime()}: slots
 * {@code 0..measured-1} are measured, the slots after them are warm-ups. {@link #sent} is called from one thread,
 * {@link #arrived} from another; a second arrival in a slot is counted as a duplicate, not measured.
 */
final class RoundTrips {

    private static final long NONE = Long.MIN_VALUE;

    private final int measured;
    private final AtomicLongArray sentNanos;
    private final AtomicLongArray arrivedNanos;
    private final AtomicInteger duplicates = new AtomicInteger();

    RoundTrips(int measured, int warmUps) {
        this.measured = measured;
        long[] none = new long[measured + warmUps];
        Arrays.fill(none, NONE);
        sentNanos = new AtomicLongArray(none);
        arrivedNanos = new AtomicLongArray(none);
    }

    void sent(int slot, long nanos) {
        sentNanos.set(slot, nanos);
    }

    void arrived(int slot, long nanos) {
        if (!arrivedNanos.compareAndSet(slot, NONE, nanos)) {
            duplicates.incrementAndGet();
        }
    }

    boolean hasArrived(int slot) {
        return arrivedNanos.get(slot) != NONE;
    }

    /** Waits up to {@code timeout} until every measured slot has an arrival; false if some have none. */
    boolean awaitMeasured(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (missing() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // a benchmark's progress poll: arrival times are taken by the consumer, not here
        }
        return missing() == 0;
    }

    /** Waits up to {@code timeout} until {@code slot} has an arrival; false if it has none. */
    boolean await(int slot, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasArrived(slot) && System.nanoTime() < deadline) {
            Thread.sleep(10); // as above
        }
        return hasArrived(slot);
    }

    /** Measured slots without an arrival. */
    int missing() {
        int missing = 0;
        for (int slot = 0; slot < measured; slot++) {
            missing += hasArrived(slot) ? 0 : 1;
        }
        return missing;
    }

    /** Measured slots whose arrival came before their send: caused by something else than the record sent. */
    int early() {
        int early = 0;
        for (int slot = 0; slot < measured; slot++) {
            long sent = sentNanos.get(slot);
            early += hasArrived(slot) && (sent == NONE || arrivedNanos.get(slot) < sent) ? 1 : 0;
        }
        return early;
    }

    /** Arrivals in a slot that had one already, warm-ups included. */
    int duplicates() {
        return duplicates.get();
    }

    /** Arrival minus send of every measured slot that has both, in that order. */
    Latencies latencies() {
        long[] nanos = new long[measured];
        int count = 0;
        for (int slot = 0; slot < measured; slot++) {
            long sent = sentNanos.get(slot);
            long arrived = arrivedNanos.get(slot);
            if (sent != NONE && arrived != NONE && arrived >= sent) {
                nanos[count++] = arrived - sent;
            }
        }
        return new Latencies(Arrays.copyOf(nanos, count));
    }
}
