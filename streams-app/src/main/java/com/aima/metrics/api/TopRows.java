package com.aima.metrics.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The first {@code limit} rows in an order, from any number offered in any order, in O(limit) memory; it also tells
 * whether more were offered (the answer is truncated). Not thread-safe.
 *
 * @param <R> the row type
 */
final class TopRows<R> {

    private final int limit;
    private final Comparator<R> order;
    private final PriorityQueue<R> largestFirst;
    private long offered;

    TopRows(int limit, Comparator<R> order) {
        this.limit = limit;
        this.order = order;
        this.largestFirst = new PriorityQueue<>(Math.min(limit, 1024) + 1, order.reversed());
    }

    void offer(R row) {
        offered++;
        if (largestFirst.size() < limit) {
            largestFirst.add(row);
        } else if (order.compare(row, largestFirst.peek()) < 0) {
            largestFirst.poll();
            largestFirst.add(row);
        }
    }

    void offerAll(Collection<R> rows) {
        rows.forEach(this::offer);
    }

    /** How many rows were offered so far. */
    long offered() {
        return offered;
    }

    /** Whether more rows were offered than kept. */
    boolean truncated() {
        return offered > limit;
    }

    /** The kept rows in order. */
    List<R> sorted() {
        List<R> rows = new ArrayList<>(largestFirst);
        rows.sort(order);
        return rows;
    }
}
