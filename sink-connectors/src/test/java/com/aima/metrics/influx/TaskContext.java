package com.aima.metrics.influx;

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
final class TaskContext implements SinkTaskContext {

    /** A record reported to the errant record reporter, with the reason. */
    record Reported(SinkRecord record, Throwable error) {
    }

    private final boolean withReporter;
    private final List<Reported> reported = new ArrayList<>();
    private long timeoutMs = -1;

    TaskContext(boolean withReporter) {
        this.withReporter = withReporter;
    }

    /** The last timeout the task asked for, -1 when none. */
    long timeoutMs() {
        return timeoutMs;
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
        return new HashSet<>();
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
