package com.aima.metrics.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.common.config.ConfigException;

/**
 * The layout of object keys: {@code <prefix>/<topic>/dt=YYYY-MM-DD/hour=HH/<topic>+<partition>+<start offset>.<ext>},
 * with the start offset (the first record's) zero-padded to 20 digits so that keys sort by offset, and date and hour
 * those of the first record's time in UTC ({@link #timePartition}). A key is a pure function of these values: a replay
 * of the same records writes the same keys.
 */
final class ObjectKeys {

    /** Digits of the zero-padded start offset: enough for any non-negative long. */
    static final int OFFSET_DIGITS = 20;

    private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH")
            .withZone(ZoneOffset.UTC);

    private ObjectKeys() {
    }

    /**
     * {@code dt=2026-03-01/hour=23} for a record time of 2026-03-01T23:59:59.999Z, in UTC. A record without a time
     * ({@code null}, only from producers older than Kafka 0.10) counts as time 0: {@code dt=1970-01-01/hour=00}.
     */
    static String timePartition(Long recordTimeMs) {
        return PARTITION.format(Instant.ofEpochMilli(recordTimeMs == null ? 0 : recordTimeMs));
    }

    /** The key of the file whose first record is {@code topic}-{@code partition}@{@code startOffset}. */
    static String key(String prefix, String topic, int partition, long startOffset, String timePartition,
                      String extension) {
        String name = fileName(topic, partition, startOffset) + "." + extension;
        String path = topic + "/" + timePartition + "/" + name;
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    /** {@code <topic>+<partition>+<start offset, 20 digits>}, the same whatever the prefix. */
    static String fileName(String topic, int partition, long startOffset) {
        return topic + "+" + partition + "+" + String.format("%0" + OFFSET_DIGITS + "d", startOffset);
    }

    /** @throws ConfigException naming {@code key} for a prefix that starts or ends with '/' or has an empty segment */
    static String requireValidPrefix(String key, String prefix) {
        if (prefix != null && (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//"))) {
            throw new ConfigException(key, prefix, "A key prefix has no leading or trailing '/' and no empty"
                    + " segment ('//').");
        }
        return prefix;
    }
}
