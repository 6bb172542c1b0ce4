package com.aima.metrics.rollup;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Header names of dead-lettered and late records, and how they are filled. */
public final class DeadLetters {

    /** Topic the record was read from. */
    public static final String TOPIC_HEADER = "aima.source.topic";
    /** Partition it was read from. */
    public static final String PARTITION_HEADER = "aima.source.partition";
    /** Offset it was read at. */
    public static final String OFFSET_HEADER = "aima.source.offset";
    /** Why it was dead-lettered or what happened to the late record. */
    public static final String REASON_HEADER = "aima.reason";

    private DeadLetters() {
    }

    static Headers annotate(Headers headers, RecordMetadata source, String reason) {
        headers.add(TOPIC_HEADER, source.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION_HEADER, Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(OFFSET_HEADER, Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The value of header {@code name} as text, or null. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
