package com.aima.metrics.notify;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the sink keeps its "delivered" marks between runs: the de-duplication topic ({@link KafkaDeliveryLog}), or an
 * in-memory stand-in in unit tests.
 */
interface DeliveryLog extends AutoCloseable {

    /**
     * Every mark written so far and not yet expired, in the order written: delivery time (ms since the epoch) by key.
     * Reads up to the end as of the call.
     */
    Map<String, Long> readAll();

    /**
     * Writes a mark. {@code onComplete} runs once, on any thread, with null when the mark is durable or with the
     * failure.
     */
    void append(String key, long deliveredAtMs, Consumer<Exception> onComplete);

    /** Blocks until every mark appended so far is durable or has failed, and its callback has run. */
    void flush();

    @Override
    void close();
}
