package com.aima.metrics.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The part of Connect a sink task talks to, for running a task without a worker: records the timeouts the task asks
 * for and, when made with a reporter, the records it reports to the errant record reporter. Offsets, pause, resume
 * and commit requests are ignored; there are no plugin metrics (a task must cope with null, as on workers before
 * Kafka 4.1). Without a reporter {@link #errantRecordReporter()} returns null, as a worker without a dead-letter
 * queue does. Used by one thread.
 */
public final class RecordingSinkTaskContext implements SinkTaskContext {

    /** A record reported to the errant record reporter, with the reason. */
    public record Reported(SinkRecord record, Throwable error) {
    }

    private final Map<String, String> configs;
    private final boolean withReporter;
    private final List<Reported> reported = new ArrayList<>();
    private final Set<TopicPartition> assignment = new HashSet<>();
    private long timeoutMs = -1;

    /** A context with the task's {@code configs} (what {@link #configs()} returns). */
    public RecordingSinkTaskContext(Map<String, String> configs, boolean withReporter) {
        this.configs = Map.copyOf(configs);
        this.withReporter = withReporter;
    }

    /** A context with no configs. */
    public RecordingSinkTaskContext(boolean withReporter) {
        this(Map.of(), withReporter);
    }

    /** The last timeout the task asked for, -1 when none; reading it clears it, as Connect's next poll does. */
    public long takeTimeout() {
        long last = timeoutMs;
        timeoutMs = -1;
        return last;
    }

    /** The records reported so far, in order. */
    public List<Reported> reported() {
        return reported;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
    }

    @Override
    public void offset(TopicPartition partition, long offset) {
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            reported.add(new Reported(record, error));
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
