package com.aima.metrics.api;

import com.aima.metrics.api.Rows.AlertRow;
import com.aima.metrics.api.Rows.CostRow;
import com.aima.metrics.cost.CostViews;
import com.aima.metrics.api.Rows.RawRow;
import com.aima.metrics.api.Rows.RollupRow;
import com.aima.metrics.rollup.RollupTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers every query completely on any instance: a query of one series ({@code match=exact}) goes to the instance
 * that owns its key ({@link KeyQueryMetadata}); any other query goes to every instance, each answering from the
 * partitions active on it, and the parts are merged. An answer is given only when its parts cover every partition
 * of the raw topic; otherwise (a rebalance, a restoring store, an unreachable instance) the caller gets 503 and may
 * retry, never a silently short answer. Thread-safe.
 */
final class ClusterQueries {

    private final LocalQueries local;
    private final KafkaStreams rollups;
    private final KafkaStreams alerts;
    private final KafkaStreams costs;
    private final HostInfo self;
    private final int partitions;
    private final Peers peers;

    /**
     * @param costs      the cost engine, or null when it does not run
     * @param self       this instance as advertised in {@code application.server}
     * @param partitions partitions of the raw topic: the parts every complete answer covers
     */
    ClusterQueries(LocalQueries local, KafkaStreams rollups, KafkaStreams alerts, KafkaStreams costs, HostInfo self,
                   int partitions, Peers peers) {
        this.local = local;
        this.rollups = rollups;
        this.alerts = alerts;
        this.costs = costs;
        this.self = self;
        this.partitions = partitions;
        this.peers = peers;
    }

    /** The merged answer: rows in order, whether they were cut at the limit, whether the metric is known at all. */
    record Answer<R>(List<R> rows, boolean truncated, boolean known) {
    }

    Answer<RawRow> raw(MetricQuery query, String path, String authorization) {
        return metric(query, () -> local.raw(query), path, authorization, RawRow.class);
    }

    Answer<RollupRow> rollups(MetricQuery query, String path, String authorization) {
        return metric(query, () -> local.rollups(query), path, authorization, RollupRow.class);
    }

    Answer<AlertRow> alerts(String path, String authorization) {
        return gather(alerts, local::firingAlerts, path, authorization, AlertRow.class, Integer.MAX_VALUE);
    }

    /**
     * A cost query, answered by the instance where the cost engine's single task is active (all of its state is in
     * that one task): here, or forwarded there. {@code known} is the part's: for a job, whether it has records.
     */
    Answer<CostRow> costs(Supplier<Partial<CostRow>> localPart, String pathAndQuery, String authorization) {
        Partial<CostRow> part = fromOwner(owner(costs, CostViews.STORE, "", "The instance running the cost engine"),
                localPart, pathAndQuery, authorization, CostRow.class);
        if (!part.partitions().contains(LocalQueries.COST_PARTITION)) {
            throw ApiException.unavailable("The cost engine's state cannot be queried now (it is moving or restoring);"
                    + " retry.");
        }
        return new Answer<>(part.rows(), part.truncated(), part.known());
    }

    private <R extends Rows.MergedRow> Answer<R> metric(MetricQuery query, Supplier<Partial<R>> localPart, String path,
                                 String authorization, Class<R> rowType) {
        String pathAndQuery = path + "?" + query.toQueryString();
        if (query.exact()) {
            KeyQueryMetadata owner = owner(rollups, RollupTopology.METRIC_NAMES_STORE, query.exactSeries(),
                    "The owner of series " + query.exactSeries());
            Partial<R> part = fromOwner(owner, localPart, pathAndQuery, authorization, rowType);
            if (part.partitions().contains(owner.partition()) && !part.rows().isEmpty()) {
                return new Answer<>(part.rows(), part.truncated(), true);
            }
            // No rows: whether the metric is known at all needs every partition, so ask everyone.
        }
        return gather(rollups, localPart, pathAndQuery, authorization, rowType, query.limit());
    }

    /**
     * Where {@code key} of {@code store} is active.
     *
     * @param who what is not known when the owner is not (the 503's detail)
     */
    private static KeyQueryMetadata owner(KafkaStreams app, String store, String key, String who) {
        KeyQueryMetadata owner = app.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw ApiException.unavailable(who + " is not known now (the application is starting or rebalancing);"
                    + " retry.");
        }
        return owner;
    }

    /** The owner's part: read here, or forwarded there; the caller checks the partitions it covers. */
    private <R> Partial<R> fromOwner(KeyQueryMetadata owner, Supplier<Partial<R>> localPart, String pathAndQuery,
                                     String authorization, Class<R> rowType) {
        return owner.activeHost().equals(self) ? localPart.get()
                : join(peers.fetch(owner.activeHost(), pathAndQuery, authorization, rowType));
    }

    private <R extends Rows.MergedRow> Answer<R> gather(KafkaStreams app, Supplier<Partial<R>> localPart, String pathAndQuery,
                                 String authorization, Class<R> rowType, int limit) {
        List<CompletableFuture<Partial<R>>> remote = new ArrayList<>();
        boolean selfListed = false;
        for (StreamsMetadata instance : app.metadataForAllStreamsClients()) {
            if (instance.hostInfo().equals(self)) {
                selfListed = true;
            } else {
                remote.add(peers.fetch(instance.hostInfo(), pathAndQuery, authorization, rowType));
            }
        }
        List<Partial<R>> parts = new ArrayList<>();
        if (selfListed) {
            parts.add(localPart.get());
        }
        remote.forEach(part -> parts.add(join(part)));
        Set<Integer> covered = new TreeSet<>();
        TopRows<R> top = new TopRows<>(limit, Rows.MergedRow::sortKey);
        boolean truncated = false;
        boolean known = false;
        for (Partial<R> part : parts) {
            covered.addAll(part.partitions());
            top.offerAll(part.rows());
            truncated |= part.truncated();
            known |= part.known();
        }
        if (covered.size() < partitions) {
            Set<Integer> missing = new TreeSet<>();
            for (int partition = 0; partition < partitions; partition++) {
                if (!covered.contains(partition)) {
                    missing.add(partition);
                }
            }
            throw ApiException.unavailable("Partitions " + missing + " of " + partitions + " cannot be queried now"
                    + " (the application is starting, rebalancing or restoring state); retry.");
        }
        return new Answer<>(top.sorted(), truncated || top.truncated(), known);
    }

    private static <R> Partial<R> join(CompletableFuture<Partial<R>> part) {
        try {
            return part.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw ApiException.unavailable("Another instance could not be asked: " + e.getCause() + "; retry.");
        }
    }
}
