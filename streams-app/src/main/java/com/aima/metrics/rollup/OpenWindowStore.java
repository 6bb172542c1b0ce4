package com.aima.metrics.rollup;

import com.aima.metrics.schema.MetricRollup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The open windows of one tier: a changelogged RocksDB store of {@link MetricRollup}s with, in front of it, a cache of
 * live {@link Aggregate}s. Raw samples update the cached aggregate in place (one sketch insert), instead of decoding
 * and re-encoding the stored sketch for every record; the changed aggregates are written behind when the task commits,
 * inside the commit's transaction ({@link WriteBehindStore}). Only the hour tier caches: its windows take every raw
 * record and live an hour, so the cache holds one aggregate per active series; coarser windows change once per closed
 * hour and live up to a year, so they are written through and not kept in memory.
 *
 * <p>Interactive queries see it as a {@link ReadOnlyKeyValueStore} of the inner store, from their own threads: the
 * windows as of the last commit, never the objects in memory. They take the classic query path (the inner store's
 * own lock only), not IQv2, whose key and range queries deadlock against the stream thread's writes in Kafka Streams
 * 4.3 (query: position lock, then store lock; put: store lock, then position lock; KAFKA-19629), as the API
 * benchmark showed.
 */
final class OpenWindowStore extends WriteBehindStore<WindowKey, MetricRollup>
        implements ReadOnlyKeyValueStore<WindowKey, MetricRollup> {

    private static final Comparator<WindowKey> START_ORDER =
            Comparator.comparingLong(WindowKey::startMs).thenComparing(WindowKey::series);

    private final KeyValueStore<WindowKey, MetricRollup> inner;
    private final Tier tier;
    private final WindowScheme windows;
    private final Sketches sketches;
    private final boolean caching;
    private final Map<WindowKey, Aggregate> cache = new HashMap<>();
    private final Set<WindowKey> dirty = new HashSet<>();

    private OpenWindowStore(KeyValueStore<WindowKey, MetricRollup> inner, Tier tier, WindowScheme windows,
                            Sketches sketches, boolean caching) {
        super(inner);
        this.inner = inner;
        this.caching = caching;
        this.tier = tier;
        this.windows = windows;
        this.sketches = sketches;
    }

    /** The aggregate of {@code key}'s window, or null when it has no open window. */
    Aggregate aggregate(WindowKey key) {
        Aggregate cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        MetricRollup stored = inner.get(key);
        if (stored == null) {
            return null;
        }
        Aggregate aggregate = Aggregate.of(stored, sketches);
        if (caching) {
            cache.put(key, aggregate);
        }
        return aggregate;
    }

    /**
     * Records that {@code aggregate} (new, or one returned by {@link #aggregate} and changed) is {@code key}'s
     * window.
     */
    void put(WindowKey key, Aggregate aggregate) {
        if (caching) {
            cache.put(key, aggregate);
            dirty.add(key);
        } else {
            inner.put(key, aggregate.toState(tier, key.startMs(), windows.endOf(key.startMs()), sketches));
        }
    }

    void delete(WindowKey key) {
        cache.remove(key);
        dirty.remove(key);
        inner.delete(key);
    }

    /**
     * Open windows starting at or before {@code maxStartMs}, in window-start order: those in the store and those only
     * in the cache, without writing the cache out (closing deletes most of them anyway).
     */
    List<WindowKey> keysStartingUpTo(long maxStartMs) {
        TreeSet<WindowKey> keys = new TreeSet<>(START_ORDER);
        try (KeyValueIterator<WindowKey, MetricRollup> all = inner.all()) {
            while (all.hasNext()) {
                WindowKey key = all.next().key;
                if (key.startMs() > maxStartMs) {
                    break;
                }
                keys.add(key);
            }
        }
        for (WindowKey key : cache.keySet()) {
            if (key.startMs() <= maxStartMs) {
                keys.add(key);
            }
        }
        return new ArrayList<>(keys);
    }

    /** The start of the oldest open window, or null when none is open. */
    Long oldestStart() {
        Long oldest = null;
        try (KeyValueIterator<WindowKey, MetricRollup> all = inner.all()) {
            if (all.hasNext()) {
                oldest = all.next().key.startMs();
            }
        }
        for (WindowKey key : cache.keySet()) {
            if (oldest == null || key.startMs() < oldest) {
                oldest = key.startMs();
            }
        }
        return oldest;
    }

    /** The committed rollup of {@code key}'s window (interactive queries). */
    @Override
    public MetricRollup get(WindowKey key) {
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<WindowKey, MetricRollup> range(WindowKey from, WindowKey to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<WindowKey, MetricRollup> all() {
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    void writeBehind() {
        if (dirty.isEmpty()) {
            return;
        }
        for (WindowKey key : dirty) {
            inner.put(key, cache.get(key).toState(tier, key.startMs(), windows.endOf(key.startMs()), sketches));
        }
        dirty.clear();
    }

    @Override
    void discard() {
        cache.clear();
        dirty.clear();
    }

    /** Builds the store of {@code tier}'s open windows, changelogged, without Kafka Streams' byte cache. */
    static StoreBuilder<OpenWindowStore> builder(Tier tier, RollupConfig config, Serde<MetricRollup> rollups) {
        Sketches sketches = new Sketches(config.sketchRelativeAccuracy(), config.sketchMaxBins());
        return new WrappingStoreBuilder<>(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(tier.openStore()), WindowKey.serde(), rollups),
                inner -> new OpenWindowStore(inner, tier, config.window(tier), sketches, tier == Tier.HOUR));
    }
}
