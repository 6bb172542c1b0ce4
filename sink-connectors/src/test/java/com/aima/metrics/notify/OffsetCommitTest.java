package com.aima.metrics.notify;

import static com.aima.metrics.notify.TaskHarness.GROUP_WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code preCommit} lets Connect commit a partition's offset only below its oldest record that still has a
 * notification to deliver or a delivery mark to write, so a crash never loses an alert.
 */
class OffsetCommitTest {

    private final TaskHarness harness = new TaskHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void nothingIsCommittedPastARecordStillInItsGroupingWindow() {
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0),
                harness.record(Alerts.firing("fp2", "slack"), 0, 1));

        assertThat(harness.preCommit(Map.of(0, 2L))).containsExactlyEntriesOf(Map.of(0, 0L));

        harness.advance(GROUP_WAIT_MS);
        assertThat(harness.preCommit(Map.of(0, 2L))).containsExactlyEntriesOf(Map.of(0, 2L));
    }

    @Test
    void anUndeliveredRecordHoldsBackItsPartitionOnly() {
        harness.channel("slack").failNext(100, true);
        harness.put(harness.record(Alerts.firing("fp1", "email"), 0, 0),
                harness.record(Alerts.firing("fp2", "slack", "email"), 0, 1),
                harness.record(Alerts.firing("fp3", "email"), 0, 2),
                harness.record(Alerts.firing("fp4", "email"), 1, 7));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("email").delivered()).hasSize(4);
        assertThat(harness.preCommit(Map.of(0, 3L, 1, 8L))).containsExactlyInAnyOrderEntriesOf(Map.of(0, 1L, 1, 8L));

        harness.channel("slack").failNext(0, true);
        harness.advance(harness.context.takeTimeout());
        assertThat(harness.channel("slack").delivered()).containsExactly("fp2:FIRING");
        assertThat(harness.preCommit(Map.of(0, 3L, 1, 8L))).containsExactlyInAnyOrderEntriesOf(Map.of(0, 3L, 1, 8L));
    }

    @Test
    void aDeliveredRecordIsHeldBackUntilItsMarkIsWritten() {
        harness.deliveryLog.failAppends(true);
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0));
        harness.advance(GROUP_WAIT_MS);
        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");

        assertThat(harness.preCommit(Map.of(0, 1L))).containsExactlyEntriesOf(Map.of(0, 0L));
        assertThat(harness.preCommit(Map.of(0, 1L))).as("still failing").containsExactlyEntriesOf(Map.of(0, 0L));

        harness.deliveryLog.failAppends(false);
        harness.preCommit(Map.of(0, 1L)); // writes the mark again
        assertThat(harness.preCommit(Map.of(0, 1L))).containsExactlyEntriesOf(Map.of(0, 1L));
        assertThat(harness.deliveryLog.marks()).containsOnlyKeys(
                DeliveredAlerts.key(Alerts.firing("fp1", "slack"), "slack"));
        assertThat(harness.channel("slack").messages()).as("the alert itself is not sent again").hasSize(1);
    }

    @Test
    void recordsWithNothingToDeliverAreCommittedAtOnce() {
        harness.put(harness.record(Alerts.firing("fp1"), 0, 0),
                harness.record(Alerts.firing("fp2", "pager"), 0, 1),
                harness.bytesRecord(new byte[] {1, 2, 3}, 0, 2));

        assertThat(harness.preCommit(Map.of(0, 3L))).containsExactlyEntriesOf(Map.of(0, 3L));
    }

    @Test
    void neverCommitsMoreThanConnectConsumedNorPartitionsItDidNotSee() {
        harness.put(harness.record(Alerts.firing("fp1"), 0, 5));

        assertThat(harness.preCommit(Map.of(0, 6L, 1, 40L))).containsExactlyEntriesOf(Map.of(0, 6L));
        assertThat(harness.preCommit(Map.of(0, 3L))).containsExactlyEntriesOf(Map.of(0, 3L));
    }

    @Test
    void aRevokedPartitionsQueuedAlertsAreDroppedForItsNextOwner() {
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0),
                harness.record(Alerts.firing("fp2", "slack"), 1, 0));
        harness.task.close(List.of(new TopicPartition(TaskHarness.TOPIC, 1)));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.preCommit(Map.of(0, 1L, 1, 1L))).containsExactlyEntriesOf(Map.of(0, 1L));
    }
}
