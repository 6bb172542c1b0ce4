package com.aima.metrics.archive;

import org.apache.avro.Schema;

/**
 * When a file is closed. Every rule but the scheduled one is a function of the records alone, so that a replay cuts
 * the same files: a record starts a new file when its writer schema or its hour partition
 * ({@link ObjectKeys#timePartition}) differs from the open file's, or when it would widen the file's record-time span
 * to {@code rotateIntervalMs} or more; a file is closed after the record that brings it to {@code flushSize} records
 * or {@code rotateSizeBytes} encoded bytes. {@code scheduleIntervalMs} closes a file open that long by the wall clock.
 *
 * @param flushSize          records per file, at least 1
 * @param rotateSizeBytes    encoded bytes at which a file is closed, at least 1
 * @param rotateIntervalMs   a file's records span less record time than this; 0 for no limit but the hour
 * @param scheduleIntervalMs wall-clock time after which an open file is closed; 0 for never
 */
record RotationPolicy(int flushSize, int rotateSizeBytes, long rotateIntervalMs, long scheduleIntervalMs) {

    /** Whether a record of {@code schema} at {@code timeMs}, in {@code timePartition}, must not join {@code file}. */
    boolean startsNewFile(OpenFile file, Schema schema, String timePartition, long timeMs) {
        if (!file.schema().equals(schema) || !file.timePartition().equals(timePartition)) {
            return true;
        }
        if (rotateIntervalMs == 0) {
            return false;
        }
        long span = Math.max(file.maxTimeMs(), timeMs) - Math.min(file.minTimeMs(), timeMs);
        return span >= rotateIntervalMs;
    }

    /** Whether {@code file} is complete after its last record. */
    boolean isFull(OpenFile file) {
        return file.records() >= flushSize || file.size() >= rotateSizeBytes;
    }

    /** Whether {@code file} has been open {@code scheduleIntervalMs} or longer at {@code nowMs}. */
    boolean isDue(OpenFile file, long nowMs) {
        return scheduleIntervalMs > 0 && nowMs - file.openedAtMs() >= scheduleIntervalMs;
    }

    /** Milliseconds from {@code nowMs} until {@code file} is due, or {@link Long#MAX_VALUE} without a schedule. */
    long dueInMs(OpenFile file, long nowMs) {
        return scheduleIntervalMs > 0 ? Math.max(0, file.openedAtMs() + scheduleIntervalMs - nowMs) : Long.MAX_VALUE;
    }
}
