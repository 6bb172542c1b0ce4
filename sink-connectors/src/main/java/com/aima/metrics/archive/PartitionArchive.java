package com.aima.metrics.archive;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The archive of one topic partition while the task owns it: the open file, the closed files not yet uploaded (in
 * offset order), and the offset up to which every record is taken (in a file, or dead-lettered). Starts empty at
 * every assignment: what Connect hands it first is the record after the last committed offset, which is always a
 * file boundary, so files are cut as in any earlier run. Not thread-safe.
 */
final class PartitionArchive {

    private final TopicPartition partition;
    private final String prefix;
    private final ArchiveFormat format;
    private final Compression compression;
    private final RotationPolicy policy;
    private final Deque<CompletedFile> completed = new ArrayDeque<>();
    private OpenFile open;
    /** One past the last record taken; -1 before the first. */
    private long nextOffset = -1;

    PartitionArchive(TopicPartition partition, String prefix, ArchiveFormat format, Compression compression,
                     RotationPolicy policy) {
        this.partition = partition;
        this.prefix = prefix;
        this.format = format;
        this.compression = compression;
        this.policy = policy;
    }

    /** Whether the record at {@code offset} was taken already: Connect hands a batch again after a retriable error. */
    boolean isTaken(long offset) {
        return offset < nextOffset;
    }

    /** The record at {@code offset} is not archived (dead-lettered): it only moves the taken offset. */
    void skip(long offset) {
        nextOffset = offset + 1;
    }

    /**
     * Appends the record at {@code offset} to the open file, first closing that file when the record may not join
     * it, and closing the file the record fills.
     *
     * @param recordTimeMs the record's Kafka timestamp, or null for none (filed as time 0)
     */
    void append(GenericRecord record, long offset, Long recordTimeMs, long nowMs) {
        String timePartition = ObjectKeys.timePartition(recordTimeMs);
        long timeMs = recordTimeMs == null ? 0 : recordTimeMs;
        if (open != null && policy.startsNewFile(open, record.getSchema(), timePartition, timeMs)) {
            closeOpenFile();
        }
        if (open == null) {
            open = new OpenFile(partition.topic(), partition.partition(), offset, record.getSchema(), timePartition,
                    timeMs, format, compression, nowMs);
        }
        open.append(record, offset, timeMs);
        nextOffset = offset + 1;
        if (policy.isFull(open)) {
            closeOpenFile();
        }
    }

    /** Closes the open file if the wall-clock schedule says it is due. */
    void closeIfDue(long nowMs) {
        if (open != null && policy.isDue(open, nowMs)) {
            closeOpenFile();
        }
    }

    /** Milliseconds until the open file is due by the schedule; {@link Long#MAX_VALUE} when none will be. */
    long dueInMs(long nowMs) {
        return open == null ? Long.MAX_VALUE : policy.dueInMs(open, nowMs);
    }

    private void closeOpenFile() {
        completed.addLast(open.finish(prefix));
        open = null;
    }

    /** The oldest closed file not yet uploaded, or null. */
    CompletedFile nextUpload() {
        return completed.peekFirst();
    }

    /** {@link #nextUpload()} is in S3 now. */
    void uploaded() {
        completed.removeFirst();
    }

    /**
     * The offset Connect may commit: the first record not yet in S3 (the oldest closed file's, else the open file's
     * first), else one past the last record taken; empty before any record was taken.
     */
    OptionalLong committableOffset() {
        if (!completed.isEmpty()) {
            return OptionalLong.of(completed.peekFirst().startOffset());
        }
        if (open != null) {
            return OptionalLong.of(open.startOffset());
        }
        return nextOffset < 0 ? OptionalLong.empty() : OptionalLong.of(nextOffset);
    }

    /** Closed files waiting for their upload. */
    int pendingUploads() {
        return completed.size();
    }

    TopicPartition partition() {
        return partition;
    }
}
