package com.aima.metrics.archive;

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

/** The part of Connect a sink task talks to: records the timeouts it asks for and the records it reports. */
final class ArchiveTaskContext implements SinkTaskContext {

    /** A record reported to the errant record reporter, with the reason. */
    record Reported(SinkRecord record, Throwable error) {
    }

    private final boolean withReporter;
    private final List<Reported> reported = new ArrayList<>();
    private final Set<TopicPartition> assignment = new HashSet<>();
    private long timeoutMs = -1;

    ArchiveTaskContext(boolean withReporter) {
        this.withReporter = withReporter;
    }

    /** The last timeout the task asked for, -1 when none; reading it clears it, as Connect's next poll does. */
    long takeTimeout() {
        long last = timeoutMs;
        timeoutMs = -1;
        return last;
    }

    List<Reported> reported() {
        return reported;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
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
