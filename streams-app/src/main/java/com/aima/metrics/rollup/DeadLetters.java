package com.aima.metrics.rollup;

import com.aima.metrics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** How dead-lettered and late records are annotated: the {@link DeadLetterHeaders} of where they came from. */
final class DeadLetters {

    private DeadLetters() {
    }

    static Headers annotate(Headers headers, RecordMetadata source, String reason) {
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, source.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION,
                Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
