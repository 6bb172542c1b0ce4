package com.aima.metrics.rollup;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricRollup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Interactive queries on the rollup application's stores, one partition (task) at a time, so that the caller knows
 * exactly which partitions an answer covers, through the classic interactive-query API ({@code KafkaStreams.store}).
 * Only active tasks answer (no standby, no stale store): each series is answered by exactly one instance. Thread-safe; every method reads committed state (open windows as of the task's
 * last commit, about {@code commit.interval.ms} old).
 *
 * <p>A metric's series in a store are found without scanning other metrics: keys are series keys, which all start
 * with {@code name&#123;} ({@link SeriesKey#prefixOf}); window stores of rollups are scanned once per window start in the
 * asked range, with that prefix.
 */
public final class RollupQueries {

    private final KafkaStreams streams;
    private final RollupConfig config;

    /**
     * @param streams the running rollup application ({@link RollupTopology})
     * @param config  its settings (window schemes of the tiers)
     */
    public RollupQueries(KafkaStreams streams, RollupConfig config) {
        this.streams = streams;
        this.config = config;
    }

    /** A partition's store could not be read here: it is not active on this instance, or is restoring. */
    public static final class PartitionUnavailableException extends Exception {
        public PartitionUnavailableException(String message) {
            super(message);
        }
    }

    /** One raw sample as read back from the store. */
    public record RawSample(String series, long timeMs, double value, String unit) {
    }

    /** Whether the raw-point store exists ({@code rollup.raw.store.enabled}). */
    public boolean rawStoreEnabled() {
        return config.rawStoreEnabled();
    }

    /**
     * Feeds {@code sink} every raw point of {@code partition} of metric {@code metric} whose series passes
     * {@code series}, with an event time in [{@code fromMs}, {@code toMs}).
     *
     * @param exactSeries when not null, only this series (one key lookup instead of a scan of the metric)
     * @throws PartitionUnavailableException when the partition is not active here or not queryable now
     */
    public void rawPoints(int partition, String metric, String exactSeries, Predicate<String> series, long fromMs,
                          long toMs, Consumer<RawSample> sink) throws PartitionUnavailableException {
        if (toMs <= fromMs) {
            return;
        }
        ReadOnlyWindowStore<String, RawPoint> store = windowStore(partition);
        try {
            if (exactSeries != null) {
                try (var points = store.fetch(exactSeries, Instant.ofEpochMilli(fromMs),
                        Instant.ofEpochMilli(toMs - 1))) {
                    while (points.hasNext()) {
                        KeyValue<Long, RawPoint> point = points.next();
                        sink.accept(new RawSample(exactSeries, point.key, point.value.value(), point.value.unit()));
                    }
                }
                return;
            }
            String from = SeriesKey.prefixOf(metric);
            try (KeyValueIterator<Windowed<String>, RawPoint> points = store.fetch(from, upperBound(metric),
                    Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs - 1))) {
                while (points.hasNext()) {
                    KeyValue<Windowed<String>, RawPoint> point = points.next();
                    String key = point.key.key();
                    if (key.startsWith(from) && series.test(key)) {
                        sink.accept(new RawSample(key, point.key.window().start(), point.value.value(),
                                point.value.unit()));
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(RawPoints.STORE, partition, e);
        }
    }

    /**
     * Feeds {@code sink} the series and rollup of every window of {@code tier} in {@code partition} of metric
     * {@code metric} whose series passes {@code series} and whose window starts in [{@code fromMs}, {@code toMs}),
     * in window-start order: closed windows (final) and, unless {@code includeOpen} is false, the open ones as of the
     * last commit (final = false). Each window is fed once: one that closes while it is read is read open first,
     * then closed, and the closed rollup is the one fed.
     *
     * @param exactSeries when not null, only this series (key lookups instead of prefix scans)
     * @throws PartitionUnavailableException when the partition is not active here or not queryable now
     */
    public void rollups(int partition, Tier tier, String metric, String exactSeries, Predicate<String> series,
                        long fromMs, long toMs, boolean includeOpen, BiConsumer<String, MetricRollup> sink)
            throws PartitionUnavailableException {
        ReadOnlyKeyValueStore<WindowKey, MetricRollup> open = includeOpen ? keyValueStore(tier.openStore(), partition)
                : null;
        ReadOnlyKeyValueStore<WindowKey, MetricRollup> closed = keyValueStore(tier.closedStore(), partition);
        WindowScheme windows = config.window(tier);
        try {
            for (long start = windows.startOf(Math.max(0, fromMs)); start < toMs; start = windows.endOf(start)) {
                if (start < fromMs) {
                    continue; // the window holding fromMs began before it
                }
                Map<String, MetricRollup> window = new LinkedHashMap<>();
                if (open != null) {
                    scanWindow(open, start, metric, exactSeries, series, window::put);
                }
                scanWindow(closed, start, metric, exactSeries, series, window::put);
                window.forEach(sink);
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(tier.closedStore(), partition, e);
        }
    }

    /**
     * Whether {@code partition} has ever seen metric {@code metric} (the task's metric-name store).
     *
     * @throws PartitionUnavailableException when the partition is not active here or not queryable now
     */
    public boolean knowsMetric(int partition, String metric) throws PartitionUnavailableException {
        ReadOnlyKeyValueStore<String, String> names = keyValueStore(RollupTopology.METRIC_NAMES_STORE, partition);
        try {
            return names.get(metric) != null;
        } catch (InvalidStateStoreException e) {
            throw unavailable(RollupTopology.METRIC_NAMES_STORE, partition, e);
        }
    }

    private static void scanWindow(ReadOnlyKeyValueStore<WindowKey, MetricRollup> store, long startMs, String metric,
                                   String exactSeries, Predicate<String> series,
                                   BiConsumer<String, MetricRollup> sink) {
        if (exactSeries != null) {
            MetricRollup rollup = store.get(new WindowKey(startMs, exactSeries));
            if (rollup != null) {
                sink.accept(exactSeries, rollup);
            }
            return;
        }
        try (KeyValueIterator<WindowKey, MetricRollup> rollups = store.range(
                new WindowKey(startMs, SeriesKey.prefixOf(metric)), new WindowKey(startMs, upperBound(metric)))) {
            while (rollups.hasNext()) {
                KeyValue<WindowKey, MetricRollup> rollup = rollups.next();
                if (rollup.key.startMs() == startMs && series.test(rollup.key.series())) {
                    sink.accept(rollup.key.series(), rollup.value);
                }
            }
        }
    }

    private <K, V> ReadOnlyKeyValueStore<K, V> keyValueStore(String name, int partition)
            throws PartitionUnavailableException {
        try {
            return keyValueStore(streams, name, partition);
        } catch (InvalidStateStoreException e) {
            throw unavailable(name, partition, e);
        }
    }

    /**
     * The key-value store {@code name} of {@code partition} of any application of this process, through the classic
     * interactive-query path: IQv2's key and range queries deadlock against the stream thread's writes in Kafka
     * Streams 4.3 (KAFKA-19629; see {@link OpenWindowStore}), so every query of the API goes this way.
     *
     * @throws InvalidStateStoreException when the partition's task is not active here or not queryable now
     */
    public static <K, V> ReadOnlyKeyValueStore<K, V> keyValueStore(KafkaStreams streams, String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<K, V>keyValueStore()).withPartition(partition));
    }

    /** The partitions of the raw topic whose tasks of {@code streams} (rollups or alerts) are active here. */
    public static Set<Integer> activePartitions(KafkaStreams streams) {
        Set<Integer> partitions = new TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
                task.topicPartitions().stream().filter(tp -> tp.topic().equals(Topics.METRICS_RAW))
                        .map(TopicPartition::partition).forEach(partitions::add)));
        return partitions;
    }

    private ReadOnlyWindowStore<String, RawPoint> windowStore(int partition) throws PartitionUnavailableException {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(RawPoints.STORE,
                    QueryableStoreTypes.<String, RawPoint>windowStore()).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw unavailable(RawPoints.STORE, partition, e);
        }
    }

    /**
     * An inclusive upper bound of {@code metric}'s series keys: {@code name|}, as {@code |} follows {@code &#123;} and no
     * series key contains {@code |} right after the name.
     */
    private static String upperBound(String metric) {
        return metric + '|';
    }

    private static PartitionUnavailableException unavailable(String store, int partition, Exception cause) {
        PartitionUnavailableException e = new PartitionUnavailableException("Partition " + partition + " of store "
                + store + " is not queryable here: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }
}
