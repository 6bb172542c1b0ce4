package com.aima.metrics.api;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.alert.AlertRule;
import com.aima.metrics.alert.AlertSeries;
import com.aima.metrics.alert.AlertTopology;
import com.aima.metrics.alert.RuleSet;
import com.aima.metrics.api.Rows.AlertRow;
import com.aima.metrics.api.Rows.CostRow;
import com.aima.metrics.cost.CostViews;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.api.Rows.RawRow;
import com.aima.metrics.api.Rows.RollupRow;
import com.aima.metrics.rollup.RollupQueries;
import com.aima.metrics.rollup.RollupTopology;
import com.aima.metrics.rollup.RollupQueries.PartitionUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers queries from this instance's own stores: the partitions of the raw topic whose tasks are active here. A
 * partition whose store cannot be read now (restoring, migrating) is left out of the answer's partitions, so that
 * the caller sees the gap instead of a silently short answer. Thread-safe.
 */
final class LocalQueries {

    /** The cost engine's stores are in the one task of its single-partition sub-topology. */
    static final int COST_PARTITION = 0;
    private static final Logger log = LoggerFactory.getLogger(LocalQueries.class);

    private final KafkaStreams rollups;
    private final RollupQueries stores;
    private final KafkaStreams alerts;
    private final Supplier<RuleSet> rules;
    private final KafkaStreams costs;

    /**
     * @param rollups the rollup application
     * @param stores  queries on its stores
     * @param alerts  the alert engine, or null when it does not run
     * @param rules   its rules (for an alert's severity), or null
     * @param costs   the cost engine, or null when it does not run
     */
    LocalQueries(KafkaStreams rollups, RollupQueries stores, KafkaStreams alerts, Supplier<RuleSet> rules,
                 KafkaStreams costs) {
        this.rollups = rollups;
        this.stores = stores;
        this.alerts = alerts;
        this.rules = rules;
        this.costs = costs;
    }

    boolean alertsRunning() {
        return alerts != null;
    }

    boolean costsRunning() {
        return costs != null;
    }

    boolean rawStoreEnabled() {
        return stores.rawStoreEnabled();
    }

    /** Raw points of {@code query} in the partitions active here. */
    Partial<RawRow> raw(MetricQuery query) {
        SeriesOfQuery series = new SeriesOfQuery(query);
        return fromActivePartitions(query, RawRow::sortKey, (partition, top) -> stores.rawPoints(partition,
                query.metric(), query.exactSeries(), series::matches, query.fromMs(), query.toMs(),
                sample -> top.offer(new RawRow(Rows.time(sample.timeMs()), query.metric(), sample.value(),
                        sample.unit(), series.labels(sample.series())))));
    }

    /** Rollups of {@code query} in the partitions active here: closed windows and open ones as of the last commit. */
    Partial<RollupRow> rollups(MetricQuery query) {
        SeriesOfQuery series = new SeriesOfQuery(query);
        return fromActivePartitions(query, RollupRow::sortKey, (partition, top) -> stores.rollups(partition,
                query.tier(), query.metric(), query.exactSeries(), series::matches, query.fromMs(), query.toMs(),
                true, (key, rollup) -> top.offer(RollupRow.of(rollup, query.tier().label()))));
    }

    /** Reads one partition's rows of a query into {@code top}. */
    @FunctionalInterface
    private interface PartitionRead<R> {
        void read(int partition, TopRows<R> top) throws PartitionUnavailableException;
    }

    /**
     * The first {@code query.limit()} rows that {@code read} finds in the partitions active here (only the owner's
     * for an exact query), which partitions were read, and whether any of them knows the metric.
     */
    private <R> Partial<R> fromActivePartitions(MetricQuery query, Function<? super R, String> sortKey,
                                                PartitionRead<R> read) {
        TopRows<R> top = new TopRows<>(query.limit(), sortKey);
        Set<Integer> covered = new TreeSet<>();
        boolean known = false;
        int owner = ownerPartition(query);
        for (int partition : RollupQueries.activePartitions(rollups)) {
            long before = top.offered();
            try {
                if (owner < 0 || partition == owner) {
                    read.read(partition, top);
                }
                known = known || top.offered() > before || stores.knowsMetric(partition, query.metric());
                covered.add(partition);
            } catch (PartitionUnavailableException e) {
                log.debug("Left partition {} out of a query of {}.", partition, query.metric(), e);
            }
        }
        return new Partial<>(covered, known, top.truncated(), top.sorted());
    }

    /** The alerts firing in the alert engine's partitions active here. */
    Partial<AlertRow> firingAlerts() {
        Set<Integer> covered = new TreeSet<>();
        List<AlertRow> rows = new ArrayList<>();
        RuleSet ruleSet = rules == null ? null : rules.get();
        for (int partition : RollupQueries.activePartitions(alerts)) {
            ReadOnlyKeyValueStore<String, AlertSeries> store;
            try {
                store = RollupQueries.keyValueStore(alerts, AlertTopology.ALERT_STORE, partition);
            } catch (InvalidStateStoreException e) {
                log.debug("Left partition {} out of the alerts.", partition, e);
                continue;
            }
            try (KeyValueIterator<String, AlertSeries> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, AlertSeries> entry = all.next();
                    AlertSeries series = entry.value;
                    if (!series.state().firing()) {
                        continue;
                    }
                    AlertRule rule = ruleSet == null ? null : ruleSet.named(series.rule());
                    rows.add(new AlertRow(AlertSeries.fingerprint(series.rule(), series.seriesKey(entry.key)),
                            series.rule(), series.metric(), series.labels(),
                            rule == null ? null : rule.severity().name(), "FIRING",
                            Rows.time(series.state().firingSinceMs()), series.state().lastValue(),
                            Rows.time(series.state().lastSeenMs())));
                }
            } catch (InvalidStateStoreException e) {
                log.debug("Left partition {} out of the alerts.", partition, e);
                continue;
            }
            covered.add(partition);
        }
        rows.sort(Comparator.comparing(AlertRow::sortKey));
        return new Partial<>(covered, true, false, rows);
    }

    /**
     * The first {@code query.limit()} cost records of {@code query} whose project {@code visible} accepts (records
     * without a project always pass), from the cost engine's single task if it is active here: partition 0 is
     * covered only then.
     */
    Partial<CostRow> costs(CostQuery query, Predicate<String> visible) {
        List<CostRow> rows = new ArrayList<>();
        boolean[] truncated = {false};
        try {
            CostViews.read(costStore(CostViews.STORE), query.view(), query.fromMs(), query.toMs(), record -> {
                if (!query.matches(record) || record.getProject() != null && !visible.test(record.getProject())) {
                    return true;
                }
                if (rows.size() == query.limit()) {
                    truncated[0] = true;
                    return false;
                }
                rows.add(CostRow.of(query.view(), record));
                return true;
            });
        } catch (InvalidStateStoreException e) {
            log.debug("The cost views cannot be read here.", e);
            return new Partial<>(Set.of(), false, false, List.of());
        }
        return new Partial<>(Set.of(COST_PARTITION), true, truncated[0], rows);
    }

    /**
     * The cost records of one job whose project {@code visible} accepts; {@code known} says whether the job has any
     * record at all, so that a job of another project is told apart from an unknown one.
     */
    Partial<CostRow> jobCosts(String jobId, Predicate<String> visible) {
        List<CostRecord> records;
        try {
            records = CostViews.job(costStore(CostViews.BY_JOB_STORE), jobId);
        } catch (InvalidStateStoreException e) {
            log.debug("The cost views cannot be read here.", e);
            return new Partial<>(Set.of(), false, false, List.of());
        }
        List<CostRow> rows = records.stream().filter(record -> visible.test(record.getProject()))
                .map(record -> CostRow.of(CostViews.View.of(record.getKind()).orElseThrow(), record)).toList();
        return new Partial<>(Set.of(COST_PARTITION), !records.isEmpty(), false, rows);
    }

    private ReadOnlyKeyValueStore<String, CostRecord> costStore(String name) {
        return RollupQueries.keyValueStore(costs, name, COST_PARTITION);
    }

    /**
     * The one partition that can hold the series of an exact query (the raw topic is keyed by series), or -1 for a
     * query of several series or while the owner is not known: every active partition is then read. The other
     * partitions of an exact query are still covered: they cannot hold the series.
     */
    private int ownerPartition(MetricQuery query) {
        if (!query.exact()) {
            return -1;
        }
        KeyQueryMetadata owner = rollups.queryMetadataForKey(RollupTopology.METRIC_NAMES_STORE, query.exactSeries(),
                Serdes.String().serializer());
        return owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) ? -1 : owner.partition();
    }


    /**
     * The series of one query's answer: whether each passes the label filter and its labels, worked out once per
     * series rather than once per point (a series has a point every few seconds). Not thread-safe: one per query.
     */
    private static final class SeriesOfQuery {
        private final MetricQuery query;
        private final Map<String, Boolean> matches = new HashMap<>();
        private final Map<String, Map<String, String>> labels = new HashMap<>();

        SeriesOfQuery(MetricQuery query) {
            this.query = query;
        }

        boolean matches(String seriesKey) {
            return matches.computeIfAbsent(seriesKey, query::matches);
        }

        Map<String, String> labels(String seriesKey) {
            return labels.computeIfAbsent(seriesKey, key -> SeriesKey.parse(key).labels());
        }
    }
}
