package com.aima.metrics.collector.otlp;

import com.aima.metrics.collector.EventSink;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventSink} that keeps what it gets, or fails every call while {@link #failing} is set. */
final class RecordingSink implements EventSink {

    final List<MetricEvent> metrics = new CopyOnWriteArrayList<>();
    final List<JobEvent> jobs = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public void publishMetrics(List<MetricEvent> events) {
        failIfAsked();
        metrics.addAll(events);
    }

    @Override
    public void publishJob(JobEvent event) {
        failIfAsked();
        jobs.add(event);
    }

    private void failIfAsked() {
        if (failing) {
            throw new IllegalStateException("The test sink's spool is full.");
        }
    }
}
