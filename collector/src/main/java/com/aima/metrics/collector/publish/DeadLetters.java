package com.aima.metrics.collector.publish;

import com.aima.metrics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letter records for events that cannot go to their topic, and the topics whose schema the registry refused
 * lately. The value of a dead letter is the event in Avro's single-object encoding, readable without the registry
 * (or, for a spool record that could not be decoded, the record as read); headers {@link DeadLetterHeaders#REASON},
 * {@link DeadLetterHeaders#SOURCE_TOPIC} and {@link DeadLetterHeaders#ENCODING} say why, from where and how. Not thread-safe: the sender
 * thread owns it.
 */
final class DeadLetters {

    /** The dead-letter value is the event in Avro's single-object encoding. */
    static final String SINGLE_OBJECT_ENCODING = "avro-single-object";
    /** The dead-letter value is the spool record as it was read, which could not be decoded. */
    static final String SPOOL_RECORD_ENCODING = "aima-spool-record";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_REASON_CHARS = 2000;
    /** How long a refusal stands before the registry is asked again. */
    private static final long REFUSAL_RECHECK_NS = Duration.ofMinutes(1).toNanos();

    private final String topic;
    private final Map<String, Refusal> refusals = new HashMap<>();
    private long count;

    DeadLetters(String topic) {
        this.topic = topic;
    }

    /** Why the registry refused {@code sourceTopic}'s schema within the last minute, or null. */
    String refusal(String sourceTopic) {
        Refusal refusal = refusals.get(sourceTopic);
        return refusal != null && System.nanoTime() - refusal.untilNs < 0 ? refusal.reason : null;
    }

    void refused(String sourceTopic, String reason) {
        refusals.put(sourceTopic, new Refusal(reason, System.nanoTime() + REFUSAL_RECHECK_NS));
    }

    void accepted(String sourceTopic) {
        refusals.remove(sourceTopic);
    }

    /**
     * The dead letter for {@code entry}, logged (the first ten, then every thousandth).
     *
     * @param key         the event's record key, or null when it could not be decoded
     * @param sourceTopic the topic the event was meant for, or null when it could not be decoded
     */
    ProducerRecord<String, byte[]> record(SpoolEntry entry, String key, String sourceTopic, String reason) {
        count++;
        if (count <= 10 || count % 1000 == 0) {
            log.warn("Event {} for '{}' (spool sequence {}) goes to the dead-letter topic '{}': {}", count,
                    sourceTopic, entry.sequence(), topic, reason);
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, utf8(reason.length() > MAX_REASON_CHARS
                ? reason.substring(0, MAX_REASON_CHARS) : reason));
        byte[] value;
        if (sourceTopic == null) {
            headers.add(DeadLetterHeaders.ENCODING, utf8(SPOOL_RECORD_ENCODING));
            value = entry.payload();
        } else {
            headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(sourceTopic));
            headers.add(DeadLetterHeaders.ENCODING, utf8(SINGLE_OBJECT_ENCODING));
            value = Arrays.copyOfRange(entry.payload(), 1, entry.payload().length);
        }
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Refusal(String reason, long untilNs) {
    }
}
