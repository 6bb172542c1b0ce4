package com.aima.metrics.rollup;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * A task's rollup clock (the largest event time seen, in ms), kept in memory and written to its changelogged store
 * when the task commits, inside the commit's transaction ({@link WriteBehindStore}). Reading it after a restart gives
 * the clock of the last commit.
 */
final class ClockStore extends WriteBehindStore<String, Long> {

    private static final String KEY = "clock";

    private final KeyValueStore<String, Long> inner;
    private long clockMs = -1;
    private boolean dirty;

    private ClockStore(KeyValueStore<String, Long> inner) {
        super(inner);
        this.inner = inner;
    }

    static StoreBuilder<ClockStore> builder(String name) {
        return new WrappingStoreBuilder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.String(), Serdes.Long()), ClockStore::new);
    }

    /** The clock; 0 for a task that never saw a record. Read after restoration, that is from a processor. */
    long get() {
        if (clockMs < 0) {
            Long stored = inner.get(KEY);
            clockMs = stored == null ? 0 : stored;
        }
        return clockMs;
    }

    void set(long clockMs) {
        this.clockMs = clockMs;
        dirty = true;
    }

    @Override
    void writeBehind() {
        if (dirty) {
            inner.put(KEY, clockMs);
            dirty = false;
        }
    }

    @Override
    void discard() {
        clockMs = -1;
        dirty = false;
    }
}
