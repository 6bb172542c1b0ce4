package com.aima.metrics.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The de-duplication topic in memory: survives the tasks that use it, like the topic survives a restart. Appends
 * complete at once, or fail while {@link #failAppends} is set.
 */
final class InMemoryDeliveryLog implements DeliveryLog {

    private final Map<String, Long> marks = new LinkedHashMap<>();
    private boolean failAppends;
    private int appends;

    void failAppends(boolean fail) {
        this.failAppends = fail;
    }

    /** The marks written, by key. */
    Map<String, Long> marks() {
        return marks;
    }

    /** Number of append calls, failed ones included. */
    int appends() {
        return appends;
    }

    @Override
    public Map<String, Long> readAll() {
        return new LinkedHashMap<>(marks);
    }

    @Override
    public void append(String key, long deliveredAtMs, Consumer<Exception> onComplete) {
        appends++;
        if (failAppends) {
            onComplete.accept(new IllegalStateException("The broker is unavailable."));
            return;
        }
        marks.put(key, deliveredAtMs);
        onComplete.accept(null);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
