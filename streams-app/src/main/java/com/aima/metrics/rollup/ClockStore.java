package com.aima.metrics.rollup;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A task's rollup clock (the largest event time seen, in ms), kept in memory and written to its changelogged store
 * when the task commits, inside the commit's transaction (see {@link OpenWindowStore} for why this implements Kafka
 * Streams' internal {@link CachedStateStore}). Reading it after a restart gives the clock of the last commit.
 */
final class ClockStore implements StateStore, CachedStateStore<String, Long> {

    private static final String KEY = "clock";

    private final KeyValueStore<String, Long> inner;
    private long clockMs = -1;
    private boolean dirty;

    private ClockStore(KeyValueStore<String, Long> inner) {
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
    public void flushCache() {
        if (dirty) {
            inner.put(KEY, clockMs);
            dirty = false;
        }
    }

    @Override
    public void clearCache() {
        clockMs = -1;
        dirty = false;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, Long> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        flushCache();
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        flushCache();
        inner.commit(changelogOffsets);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public void close() {
        clearCache();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }
}
