package com.aima.metrics.notify;

import com.aima.metrics.testing.ManualClock;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.testing.RecordingSinkTaskContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Runs the production task the way Connect does (initialize, start, put, preCommit, close, stop) with recording
 * channels {@code slack}, {@code email} and {@code webhook}, a manual clock, an in-memory de-duplication log and a mock
 * schema registry. {@link #restart()} starts a new task over the same log and channels, as a worker restart would.
 */
final class TaskHarness implements AutoCloseable {

    static final String TOPIC = "aima.alerts";
    static final long START_MS = 1_750_000_000_000L;
    static final long GROUP_WAIT_MS = 30_000;

    final ManualClock clock;
    final InMemoryDeliveryLog deliveryLog;
    final Map<String, RecordingChannel> channels = new LinkedHashMap<>();
    final Map<String, String> config;
    final String registryUrl;
    final boolean withReporter;
    RecordingSinkTaskContext context;
    AlertNotificationSinkTask task;

    TaskHarness() {
        this(Map.of());
    }

    TaskHarness(Map<String, String> overrides) {
        this(overrides, true);
    }

    TaskHarness(Map<String, String> overrides, boolean withReporter) {
        this(new ManualClock(START_MS), new InMemoryDeliveryLog(), "mock://notify-" + UUID.randomUUID(), overrides,
                withReporter);
    }

    private TaskHarness(ManualClock clock, InMemoryDeliveryLog deliveryLog, String registryUrl,
                        Map<String, String> overrides, boolean withReporter) {
        this.clock = clock;
        this.deliveryLog = deliveryLog;
        this.registryUrl = registryUrl;
        this.withReporter = withReporter;
        for (String name : List.of("slack", "email", "webhook")) {
            channels.put(name, new RecordingChannel(name, clock::millis));
        }
        Map<String, String> props = new HashMap<>();
        props.put("name", "notify-test");
        props.put("topics", TOPIC);
        props.put(NotificationSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        props.put(NotificationSinkConfig.DEDUP_BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(NotificationSinkConfig.GROUP_WAIT_MS_CONFIG, Long.toString(GROUP_WAIT_MS));
        props.putAll(overrides);
        this.config = Map.copyOf(props);
        start();
    }

    private void start() {
        context = new RecordingSinkTaskContext(config, withReporter);
        task = new AlertNotificationSinkTask(settings -> Map.copyOf(channels), config -> deliveryLog, clock);
        task.initialize(context);
        task.start(config);
    }

    /** Stops the task as Connect does (close the partitions, stop) and starts a new one over the same log. */
    void restart() {
        task.close(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1)));
        task.stop();
        start();
    }

    RecordingChannel channel(String name) {
        return channels.get(name);
    }

    /** {@code alert} as Connect hands it to the task with ByteArrayConverter: wire-format bytes. */
    SinkRecord record(AlertEvent alert, int partition, long offset) {
        return bytesRecord(Alerts.bytes(registryUrl, TOPIC, alert), partition, offset);
    }

    SinkRecord bytesRecord(byte[] value, int partition, long offset) {
        return new SinkRecord(TOPIC, partition, Schema.OPTIONAL_BYTES_SCHEMA, null, Schema.OPTIONAL_BYTES_SCHEMA,
                value, offset);
    }

    /** Hands {@code records} to the task, as Connect's poll does; that poll consumed the timeout asked for before. */
    void put(SinkRecord... records) {
        context.takeTimeout();
        task.put(Arrays.asList(records));
    }

    /** Moves the clock and lets Connect's next poll call {@code put} with no records. */
    void advance(long ms) {
        clock.advanceMs(ms);
        put();
    }

    /** What the task lets Connect commit, given that Connect consumed up to {@code consumed} (next offset) each. */
    Map<Integer, Long> preCommit(Map<Integer, Long> consumed) {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        consumed.forEach((partition, offset) ->
                current.put(new TopicPartition(TOPIC, partition), new OffsetAndMetadata(offset)));
        Map<Integer, Long> safe = new HashMap<>();
        task.preCommit(current).forEach((partition, offset) -> safe.put(partition.partition(), offset.offset()));
        return safe;
    }

    @Override
    public void close() {
        task.stop();
        MockSchemaRegistry.dropScope(registryUrl.substring("mock://".length()));
    }
}
