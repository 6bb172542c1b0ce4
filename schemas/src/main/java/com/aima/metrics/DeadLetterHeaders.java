package com.aima.metrics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Header names of dead-lettered and late records, the same for every writer of {@link Topics#METRICS_DLQ},
 * {@link Topics#METRICS_LATE} and {@link Topics#JOBS_DLQ} (the streams app, the collector's publisher), so that one reader understands them all.
 */
public final class DeadLetterHeaders {

    /** Topic the record was read from, or meant for. */
    public static final String SOURCE_TOPIC = "aima.source.topic";
    /** Partition it was read from. */
    public static final String SOURCE_PARTITION = "aima.source.partition";
    /** Offset it was read at. */
    public static final String SOURCE_OFFSET = "aima.source.offset";
    /** Why it was dead-lettered, or what happened to the late record. */
    public static final String REASON = "aima.reason";
    /** How the value is encoded when it is not the record as read. */
    public static final String ENCODING = "aima.encoding";

    private DeadLetterHeaders() {
    }

    /** The value of header {@code name} as text, or null. */
    public static String text(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Adds where the record came from and why it is dead-lettered; returns {@code headers}. */
    public static Headers annotate(Headers headers, String topic, int partition, long offset, String reason) {
        headers.add(SOURCE_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
