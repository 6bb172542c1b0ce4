package com.aima.metrics.notify;

import static com.aima.metrics.notify.TaskHarness.GROUP_WAIT_MS;
import static com.aima.metrics.notify.TaskHarness.START_MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A retryable failure is retried with exponential backoff (1 s, 2 s, 4 s, ... up to 60 s by default) while the other
 * channels go on; a failure that is not retryable, or one that outlasts {@code retry.timeout.ms}, sends the alerts to
 * the dead-letter queue. Time is the harness's manual clock: nothing sleeps.
 */
class RetryTest {

    private static final long DUE_MS = START_MS + GROUP_WAIT_MS;

    private final TaskHarness harness = new TaskHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void retriesWithExponentialBackoffUntilTheChannelTakesTheMessage() {
        harness.channel("slack").failNext(4, true);
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0));
        harness.advance(GROUP_WAIT_MS);
        for (long backoff : new long[] {1_000, 2_000, 4_000, 8_000}) {
            assertThat(harness.context.takeTimeout()).as("next put asked for in").isEqualTo(backoff);
            harness.advance(backoff - 1);
            harness.advance(1);
        }

        assertThat(harness.channel("slack").attemptTimes()).containsExactly(
                DUE_MS, DUE_MS + 1_000, DUE_MS + 3_000, DUE_MS + 7_000, DUE_MS + 15_000);
        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.context.reported()).isEmpty();
    }

    @Test
    void backoffStopsGrowingAtTheMaximum() {
        try (TaskHarness capped = new TaskHarness(Map.of(
                NotificationSinkConfig.RETRY_BACKOFF_INITIAL_MS_CONFIG, "1000",
                NotificationSinkConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "3000"))) {
            capped.channel("slack").failNext(4, true);
            capped.put(capped.record(Alerts.firing("fp1", "slack"), 0, 0));
            capped.advance(GROUP_WAIT_MS);
            for (int i = 0; i < 4; i++) {
                capped.advance(capped.context.takeTimeout());
            }

            assertThat(capped.channel("slack").attemptTimes()).containsExactly(
                    DUE_MS, DUE_MS + 1_000, DUE_MS + 3_000, DUE_MS + 6_000, DUE_MS + 9_000);
            assertThat(capped.channel("slack").messages()).hasSize(1);
        }
    }

    @Test
    void aChannelInBackoffHoldsUpNoOtherChannel() {
        harness.channel("slack").failNext(100, true);
        harness.put(harness.record(Alerts.firing("fp1", "slack", "email"), 0, 0));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("email").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.channel("email").attemptTimes()).containsExactly(DUE_MS);
        assertThat(harness.channel("slack").messages()).isEmpty();
    }

    @Test
    void laterGroupsOfAChannelWaitBehindTheOneBeingRetried() {
        var firing = Alerts.firing("fp1", "slack");
        harness.channel("slack").failNext(3, true);
        harness.put(harness.record(firing, 0, 0));
        harness.advance(GROUP_WAIT_MS);             // attempt 1 fails; retry in 1 s
        harness.put(harness.record(Alerts.resolved(firing), 0, 1));   // opens a second group, due in 30 s
        harness.advance(1_000);                     // attempt 2 fails; retry in 2 s
        harness.advance(2_000);                     // attempt 3 fails; retry in 4 s
        harness.advance(4_000);                     // attempt 4 succeeds
        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");

        harness.advance(GROUP_WAIT_MS);
        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING", "fp1:RESOLVED");
    }

    @Test
    void aFailureThatIsNotRetryableGoesToTheDeadLetterQueueAtOnce() {
        harness.channel("slack").failNext(1, false);
        var record = harness.record(Alerts.firing("fp1", "slack"), 0, 0);
        harness.put(record);
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").attemptTimes()).hasSize(1);
        assertThat(harness.context.reported()).hasSize(1);
        assertThat(harness.context.reported().get(0).record()).isSameAs(record);
        assertThat(harness.context.reported().get(0).error()).isInstanceOf(ConnectException.class)
                .hasMessageContaining("Channel 'slack'").hasMessageContaining("rule 'gpu_hot'")
                .hasMessageContaining("fingerprint 'fp1'").hasMessageContaining("HTTP 400")
                .hasCauseInstanceOf(DeliveryException.class);
        assertThat(harness.context.takeTimeout()).as("nothing left to retry").isEqualTo(-1);
    }

    @Test
    void givesUpAfterTheRetryTimeOut() {
        try (TaskHarness shortTimeout = new TaskHarness(Map.of(
                NotificationSinkConfig.RETRY_TIMEOUT_MS_CONFIG, "10000"))) {
            shortTimeout.channel("slack").failNext(100, true);
            shortTimeout.put(shortTimeout.record(Alerts.firing("fp1", "slack"), 0, 0),
                    shortTimeout.record(Alerts.firing("fp2", "slack"), 0, 1));
            shortTimeout.advance(GROUP_WAIT_MS);
            while (shortTimeout.context.reported().isEmpty()) {
                shortTimeout.advance(shortTimeout.context.takeTimeout());
            }

            // 1 s, 2 s, 4 s, then the last attempt on the 10 s time-out rather than 8 s later.
            assertThat(shortTimeout.channel("slack").attemptTimes()).containsExactly(
                    DUE_MS, DUE_MS + 1_000, DUE_MS + 3_000, DUE_MS + 7_000, DUE_MS + 10_000);
            assertThat(shortTimeout.context.reported()).extracting(reported -> reported.record().kafkaOffset())
                    .containsExactly(0L, 1L);
            assertThat(shortTimeout.preCommit(Map.of(0, 2L))).containsEntry(0, 2L);
        }
    }

    @Test
    void aChannelThatThrowsIsTreatedAsRefusingForGood() {
        harness.channel("slack").crashNext();
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").attemptTimes()).hasSize(1);
        assertThat(harness.context.reported()).hasSize(1);
        assertThat(harness.context.reported().get(0).error()).hasMessageContaining("bug in the channel");
    }
}
