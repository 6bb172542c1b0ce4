package com.aima.metrics.rollup;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that keeps live objects in memory in front of a changelogged store built by Kafka Streams, and writes the
 * changed ones behind when the task commits, inside the commit's transaction.
 *
 * <p>Why it implements {@link CachedStateStore}, an interface of an internal package: before Kafka Streams (4.3)
 * commits a task's transaction it flushes exactly the stores that implement it ({@code
 * ProcessorStateManager.flushCache()}); {@code StateStore.commit} and {@code flush} come only after the transaction.
 * A store that wrote its changes there would put them into the next transaction, and a crash would lose the updates of
 * the last commit interval (as {@code RollupRestartIT} showed). A task closed dirty clears the memory and restores
 * from the changelog. Not thread-safe: one instance per task.
 *
 * @param <K> key type that Kafka Streams sees for the cache interface
 * @param <V> value type that Kafka Streams sees for the cache interface
 */
abstract class WriteBehindStore<K, V> implements StateStore, CachedStateStore<K, V> {

    private final StateStore inner;

    WriteBehindStore(StateStore inner) {
        this.inner = inner;
    }

    /** Writes the changed objects to the inner store. */
    abstract void writeBehind();

    /** Forgets every object held in memory; the next read goes to the inner store. */
    abstract void discard();

    @Override
    public final void flushCache() {
        writeBehind();
    }

    @Override
    public final void clearCache() {
        discard();
    }

    @Override
    public final boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false; // nothing downstream listens to these stores' flushes
    }

    @Override
    public final String name() {
        return inner.name();
    }

    @Override
    public final void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    @SuppressWarnings("deprecation")
    public final void flush() {
        writeBehind();
        inner.flush();
    }

    @Override
    public final void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeBehind();
        inner.commit(changelogOffsets);
    }

    @Override
    public final Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public final void close() {
        discard();
        inner.close();
    }

    @Override
    public final boolean persistent() {
        return inner.persistent();
    }

    @Override
    public final boolean isOpen() {
        return inner.isOpen();
    }
}
