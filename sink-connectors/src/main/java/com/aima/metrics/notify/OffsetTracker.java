package com.aima.metrics.notify;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records are done with, so that the offsets the task lets Connect commit never pass a record that still has
 * a notification to deliver: a crash then loses nothing, it only reads those records again. A record is outstanding
 * from {@link #begin} until {@link #done} was called once for each of its notifications (delivered and its mark
 * durable, or failed and reported). Not thread-safe.
 */
final class OffsetTracker {

    /** Outstanding records per partition: offset → notifications not yet done. */
    private final Map<TopicPartition, TreeMap<Long, Integer>> outstanding = new HashMap<>();
    /** Per partition, one past the highest offset seen. */
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();

    void seen(TopicPartition partition, long offset) {
        nextOffsets.merge(partition, offset + 1, Math::max);
    }

    boolean isOutstanding(TopicPartition partition, long offset) {
        TreeMap<Long, Integer> offsets = outstanding.get(partition);
        return offsets != null && offsets.containsKey(offset);
    }

    /** The record at {@code offset} has {@code notifications} (at least 1) notifications to deliver. */
    void begin(TopicPartition partition, long offset, int notifications) {
        seen(partition, offset);
        outstanding.computeIfAbsent(partition, key -> new TreeMap<>()).merge(offset, notifications, Integer::sum);
    }

    /** One notification of the record at {@code offset} is done with. Ignored for a partition no longer owned. */
    void done(TopicPartition partition, long offset) {
        TreeMap<Long, Integer> offsets = outstanding.get(partition);
        if (offsets == null) {
            return;
        }
        offsets.computeIfPresent(offset, (key, left) -> left > 1 ? left - 1 : null);
        if (offsets.isEmpty()) {
            outstanding.remove(partition);
        }
    }

    /**
     * The offsets safe to commit, for the partitions in {@code current} (what Connect has consumed) that this tracker
     * saw: the oldest outstanding record's offset, or one past the highest seen when none is outstanding; never more
     * than Connect's own.
     */
    Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> current) {
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        current.forEach((partition, consumed) -> {
            Long next = nextOffsets.get(partition);
            if (next == null) {
                return;
            }
            TreeMap<Long, Integer> offsets = outstanding.get(partition);
            long offset = offsets == null ? next : offsets.firstKey();
            safe.put(partition, new OffsetAndMetadata(Math.min(offset, consumed.offset())));
        });
        return safe;
    }

    /** Forgets {@code partitions}, revoked from the task. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            outstanding.remove(partition);
            nextOffsets.remove(partition);
        });
    }

    /** Number of outstanding records over all partitions. */
    int outstanding() {
        return outstanding.values().stream().mapToInt(Map::size).sum();
    }
}
