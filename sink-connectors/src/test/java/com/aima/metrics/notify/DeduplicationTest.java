package com.aima.metrics.notify;

import static com.aima.metrics.notify.TaskHarness.GROUP_WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A notification is identified by fingerprint, startsAt, state and channel; once delivered (and its mark written) it
 * is never sent again, not even by a new task that reads the same records again because their offsets were not
 * committed.
 */
class DeduplicationTest {

    private final TaskHarness harness = new TaskHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aRecordReadAgainAfterARestartIsNotSentAgain() {
        var alert = Alerts.firing("fp1", "slack");
        harness.put(harness.record(alert, 0, 0));
        harness.advance(GROUP_WAIT_MS);

        harness.restart(); // before any offset commit: Connect hands the record over again
        harness.put(harness.record(alert, 0, 0));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.preCommit(Map.of(0, 1L))).containsExactlyEntriesOf(Map.of(0, 1L));
        assertThat(harness.context.takeTimeout()).as("nothing queued").isEqualTo(-1);
    }

    @Test
    void firingThenResolvedAreTwoNotifications() {
        var firing = Alerts.firing("fp1", "slack");
        harness.put(harness.record(firing, 0, 0));
        harness.advance(GROUP_WAIT_MS);
        harness.put(harness.record(Alerts.resolved(firing), 0, 1));
        harness.advance(GROUP_WAIT_MS);

        harness.restart();
        harness.put(harness.record(firing, 0, 0), harness.record(Alerts.resolved(firing), 0, 1));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING", "fp1:RESOLVED");
    }

    @Test
    void theSameFingerprintFiringAgainAfterResolvingIsNotifiedAgain() {
        var first = Alerts.firing("fp1", "slack");
        var again = Alerts.refired(first, Duration.ofHours(2).toSeconds());
        harness.put(harness.record(first, 0, 0), harness.record(Alerts.resolved(first), 0, 1));
        harness.advance(GROUP_WAIT_MS);
        harness.put(harness.record(again, 0, 2));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").delivered())
                .containsExactly("fp1:FIRING", "fp1:RESOLVED", "fp1:FIRING");
        assertThat(harness.channel("slack").messages().get(1).get(0).getStartsAt())
                .isEqualTo(again.getStartsAt());
    }

    @Test
    void aRecordReadAgainWhileStillQueuedIsQueuedOnce() {
        var record = harness.record(Alerts.firing("fp1", "slack"), 0, 0);
        harness.put(record);
        harness.put(record);
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.preCommit(Map.of(0, 1L))).containsExactlyEntriesOf(Map.of(0, 1L));
    }

    @Test
    void onlyTheChannelsNotYetDeliveredToGetTheAlertAfterARestart() {
        var alert = Alerts.firing("fp1", "slack", "email");
        harness.channel("email").failNext(100, true);
        harness.put(harness.record(alert, 0, 0));
        harness.advance(GROUP_WAIT_MS);
        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.preCommit(Map.of(0, 1L))).containsExactlyEntriesOf(Map.of(0, 0L));

        harness.channel("email").failNext(0, true);
        harness.restart();
        harness.put(harness.record(alert, 0, 0));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.channel("email").delivered()).containsExactly("fp1:FIRING");
    }

    @Test
    void deliveriesOlderThanTheRetentionAreForgotten() {
        try (TaskHarness shortMemory = new TaskHarness(Map.of(
                NotificationSinkConfig.DEDUP_RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())))) {
            var alert = Alerts.firing("fp1", "slack");
            shortMemory.put(shortMemory.record(alert, 0, 0));
            shortMemory.advance(GROUP_WAIT_MS);

            shortMemory.clock.advance(Duration.ofHours(2));
            shortMemory.restart();
            shortMemory.put(shortMemory.record(alert, 0, 0));
            shortMemory.advance(GROUP_WAIT_MS);

            assertThat(shortMemory.channel("slack").delivered()).containsExactly("fp1:FIRING", "fp1:FIRING");
        }
    }
}
