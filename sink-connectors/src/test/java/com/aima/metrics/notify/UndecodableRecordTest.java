package com.aima.metrics.notify;

import static com.aima.metrics.notify.TaskHarness.GROUP_WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A record that is not an AlertEvent goes to the errant record reporter (Connect's dead-letter queue) with a reason
 * naming it, and the task carries on; a registry that cannot be reached is not the record's fault and is retried.
 */
class UndecodableRecordTest {

    private final TaskHarness harness = new TaskHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void garbageGoesToTheDeadLetterQueueAndLaterAlertsStillGoOut() {
        SinkRecord garbage = harness.bytesRecord("not avro".getBytes(), 0, 0);
        harness.put(garbage, harness.record(Alerts.firing("fp1", "slack"), 0, 1));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.context.reported()).hasSize(1);
        assertThat(harness.context.reported().get(0).record()).isSameAs(garbage);
        assertThat(harness.context.reported().get(0).error()).isInstanceOf(DataException.class)
                .hasMessageContaining("aima.alerts-0@0").hasMessageContaining("magic byte");
        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.preCommit(Map.of(0, 2L))).containsExactlyEntriesOf(Map.of(0, 2L));
    }

    @Test
    void aSchemaIdTheRegistryDoesNotKnowIsNotAnAlert() {
        byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(42).array();
        harness.put(harness.bytesRecord(unknownId, 0, 0));

        assertThat(harness.context.reported()).singleElement().satisfies(reported -> assertThat(reported.error())
                .isInstanceOf(DataException.class).hasMessageContaining("987654"));
    }

    @Test
    void aRecordWithoutValueOrWithAConvertedValueIsNotAnAlert() {
        harness.put(harness.bytesRecord(null, 0, 0),
                new SinkRecord(TaskHarness.TOPIC, 0, null, null, Schema.STRING_SCHEMA, "{\"rule\":\"x\"}", 1));

        assertThat(harness.context.reported()).hasSize(2);
        assertThat(harness.context.reported().get(0).error()).hasMessageContaining("has no value");
        assertThat(harness.context.reported().get(1).error()).hasMessageContaining("java.lang.String")
                .hasMessageContaining(AlertDecoder.BYTE_ARRAY_CONVERTER);
    }

    @Test
    void withoutADeadLetterQueueTheRecordIsLoggedAndSkipped() {
        try (TaskHarness noReporter = new TaskHarness(Map.of(), false)) {
            noReporter.put(noReporter.bytesRecord(new byte[] {0, 0}, 0, 0),
                    noReporter.record(Alerts.firing("fp1", "slack"), 0, 1));
            noReporter.advance(GROUP_WAIT_MS);

            assertThat(noReporter.channel("slack").delivered()).containsExactly("fp1:FIRING");
            assertThat(noReporter.preCommit(Map.of(0, 2L))).containsExactlyEntriesOf(Map.of(0, 2L));
        }
    }

    @Test
    void anUnreachableRegistryRetriesTheBatchAndTakesNoneOfIt() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TaskHarness registryDown = new TaskHarness(Map.of(
                NotificationSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:" + closedPort))) {
            SinkRecord alert = registryDown.record(Alerts.firing("fp1", "slack"), 0, 0);

            assertThatThrownBy(() -> registryDown.put(alert)).isInstanceOf(RetriableException.class)
                    .hasMessageContaining("aima.alerts-0@0").hasMessageContaining("unreachable");
            assertThat(registryDown.context.takeTimeout()).isEqualTo(
                    NotificationSinkConfig.RETRY_BACKOFF_INITIAL_MS_DEFAULT);
            assertThat(registryDown.context.reported()).isEmpty();
            assertThat(registryDown.preCommit(Map.of(0, 1L))).isEmpty();
        }
    }
}
