package com.aima.metrics.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The first {@code limit} rows in the order of their sort keys, from any number offered in any order, in O(limit)
 * memory; it also tells whether more were offered (the answer is truncated). Each row's key is computed once, when
 * it is offered, not at every comparison. Not thread-safe.
 *
 * @param <R> the row type
 */
final class TopRows<R> {

    /** A row and its sort key. */
    private record Keyed<R>(String key, R row) {
    }

    private static final Comparator<Keyed<?>> BY_KEY = Comparator.comparing(Keyed::key);

    private final int limit;
    private final Function<? super R, String> sortKey;
    private final PriorityQueue<Keyed<R>> largestFirst;
    private long offered;

    /**
     * @param limit   the most rows kept
     * @param sortKey the key whose text order is the rows' order
     */
    TopRows(int limit, Function<? super R, String> sortKey) {
        this.limit = limit;
        this.sortKey = sortKey;
        this.largestFirst = new PriorityQueue<>(Math.min(limit, 1024) + 1, BY_KEY.reversed());
    }

    void offer(R row) {
        offered++;
        Keyed<R> keyed = new Keyed<>(sortKey.apply(row), row);
        if (largestFirst.size() < limit) {
            largestFirst.add(keyed);
        } else if (BY_KEY.compare(keyed, largestFirst.peek()) < 0) {
            largestFirst.poll();
            largestFirst.add(keyed);
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
        List<Keyed<R>> keyed = new ArrayList<>(largestFirst);
        keyed.sort(BY_KEY);
        return keyed.stream().map(Keyed::row).toList();
    }
}
