package com.aima.metrics.collector.publish;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The records handed to the producer and not yet completed, in spool order, and the position after the longest
 * completed prefix: the only place the spool's read position may move to. A record acknowledged while an earlier one
 * is still out is not passed over, since the earlier one may have to be sent again. Thread-safe: the sender adds
 * records, the producer's I/O thread completes them.
 */
final class InFlightWindow {

    /** One record out with the producer. */
    static final class Slot {
        private final long sequence;
        private final SpoolPosition next;
        private final long generation;
        private boolean done;
        private boolean inSend;
        private Exception sendFailure;

        private Slot(long sequence, SpoolPosition next, long generation) {
            this.sequence = sequence;
            this.next = next;
            this.generation = generation;
        }
    }

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private SpoolPosition completedUpTo;
    private long generation;

    InFlightWindow(SpoolPosition start) {
        this.completedUpTo = start;
    }

    /** Adds the record about to be passed to {@code Producer.send}; call {@link #sendReturned} when send returns. */
    synchronized Slot add(SpoolEntry entry) {
        Slot slot = new Slot(entry.sequence(), entry.next(), generation);
        slot.inSend = true;
        slots.addLast(slot);
        return slot;
    }

    /**
     * Marks the end of {@code Producer.send} for {@code slot}.
     *
     * @return the failure the producer reported while inside send (such as a metadata time-out), or null; a failed
     *         slot stays in the window until the caller {@linkplain #remove removes} or
     *         {@linkplain #complete completes} it
     */
    synchronized Exception sendReturned(Slot slot) {
        slot.inSend = false;
        return slot.sendFailure;
    }

    /**
     * Records a failure reported for {@code slot}; returns true when it came while the sender was still inside
     * {@code Producer.send}, which then handles it.
     */
    synchronized boolean failedInSend(Slot slot, Exception failure) {
        if (slot.inSend) {
            slot.sendFailure = failure;
            return true;
        }
        return false;
    }

    /** Takes back the last slot added, whose record never reached the producer. */
    synchronized void remove(Slot slot) {
        if (slots.peekLast() == slot) {
            slots.removeLast();
        }
    }

    /** Adds a record that needs no sending (completed before the producer was replaced). */
    synchronized void addCompleted(SpoolEntry entry) {
        Slot slot = add(entry);
        slot.inSend = false;
        complete(slot);
    }

    /** Marks {@code slot} completed (acknowledged, or given up on); ignored for slots of a replaced producer. */
    synchronized void complete(Slot slot) {
        if (slot.generation != generation) {
            return;
        }
        slot.done = true;
        while (!slots.isEmpty() && slots.peekFirst().done) {
            completedUpTo = slots.pollFirst().next;
        }
        notifyAll();
    }

    /** Whether {@code slot} belongs to the current producer, not to one that was replaced. */
    synchronized boolean isCurrent(Slot slot) {
        return slot.generation == generation;
    }

    /**
     * Forgets every slot, for a new producer: callbacks of the old one are ignored from now on.
     *
     * @return the sequence numbers of records completed after the first incomplete one, which need no sending again
     */
    synchronized Set<Long> reset() {
        Set<Long> completed = new HashSet<>();
        for (Slot slot : slots) {
            if (slot.done) {
                completed.add(slot.sequence);
            }
        }
        slots.clear();
        generation++;
        notifyAll();
        return completed;
    }

    synchronized int size() {
        return slots.size();
    }

    /** The position after the longest completed prefix of records. */
    synchronized SpoolPosition completedUpTo() {
        return completedUpTo;
    }

    /** Waits up to {@code timeout} until fewer than {@code max} records are out. */
    synchronized void awaitRoom(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while (slots.size() >= max && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
