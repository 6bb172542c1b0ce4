package com.aima.metrics.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The file being written for one topic partition, in memory: its encoder, its bytes so far, and what rotation and
 * the key need (schema, hour partition, record-time span, first and last offset). Not thread-safe.
 */
final class OpenFile {

    private final Buffer bytes = new Buffer();
    private final String topic;
    private final int partition;
    private final long startOffset;
    private final Schema schema;
    private final String timePartition;
    private final long openedAtMs;
    private final RecordEncoder encoder;
    private final ArchiveFormat format;
    private final Compression compression;
    private long minTimeMs;
    private long maxTimeMs;
    private long endOffset;
    private int records;

    /** A file whose first record will be {@code topic}-{@code partition}@{@code startOffset}, of {@code schema}. */
    OpenFile(String topic, int partition, long startOffset, Schema schema, String timePartition, long timeMs,
             ArchiveFormat format, Compression compression, long openedAtMs) {
        this.topic = topic;
        this.partition = partition;
        this.startOffset = startOffset;
        this.schema = schema;
        this.timePartition = timePartition;
        this.openedAtMs = openedAtMs;
        this.format = format;
        this.compression = compression;
        this.minTimeMs = timeMs;
        this.maxTimeMs = timeMs;
        this.endOffset = startOffset;
        try {
            this.encoder = format.open(schema, compression, bytes, ObjectKeys.fileName(topic, partition, startOffset));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a file in memory.", e);
        }
    }

    /** Appends the record at {@code offset}, of this file's schema, with record time {@code timeMs}. */
    void append(GenericRecord record, long offset, long timeMs) {
        try {
            encoder.append(record);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to a file in memory.", e);
        }
        minTimeMs = Math.min(minTimeMs, timeMs);
        maxTimeMs = Math.max(maxTimeMs, timeMs);
        endOffset = offset + 1;
        records++;
    }

    /** Closes the encoder and returns the file under its key below {@code prefix}. */
    CompletedFile finish(String prefix) {
        try {
            encoder.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish a file in memory.", e);
        }
        String key = ObjectKeys.key(prefix, topic, partition, startOffset, timePartition,
                format.extension(compression));
        return new CompletedFile(key, format.contentType(compression), bytes.array(), bytes.size(), startOffset,
                endOffset, records);
    }

    Schema schema() {
        return schema;
    }

    String timePartition() {
        return timePartition;
    }

    long startOffset() {
        return startOffset;
    }

    long minTimeMs() {
        return minTimeMs;
    }

    long maxTimeMs() {
        return maxTimeMs;
    }

    long openedAtMs() {
        return openedAtMs;
    }

    int records() {
        return records;
    }

    /** Encoded bytes so far; with compression or Avro blocks, what the encoder has emitted (up to a block behind). */
    int size() {
        return bytes.size();
    }

    /** A byte array stream that hands out its array instead of a copy. */
    private static final class Buffer extends ByteArrayOutputStream {

        Buffer() {
            super(8 * 1024);
        }

        byte[] array() {
            return buf;
        }
    }
}
