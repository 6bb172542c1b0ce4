package com.aima.metrics.collector;

import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import java.util.List;

/**
 * Where the collector's sources hand their events: the publisher, which keeps them in a disk spool until Kafka has
 * them. Both methods return once the events are durable locally; they never block on Kafka. Thread-safe.
 */
public interface EventSink {

    /** Queues samples for the raw metrics topic, keyed by their series. */
    void publishMetrics(List<MetricEvent> events);

    /** Queues a job lifecycle event for the jobs topic, keyed by its job id. */
    void publishJob(JobEvent event);
}
