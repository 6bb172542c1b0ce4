package com.aima.metrics.notify;

import static com.aima.metrics.notify.TaskHarness.GROUP_WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Alerts routed to a channel within {@code group.wait.ms} of the first go out in one message. */
class GroupingTest {

    private final TaskHarness harness = new TaskHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void twoAlertsWithinTheWindowAreOneMessage() {
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0));
        harness.advance(GROUP_WAIT_MS - 1_000);
        harness.put(harness.record(Alerts.firing("fp2", "slack"), 0, 1));
        assertThat(harness.channel("slack").messages()).isEmpty();

        harness.advance(999);
        assertThat(harness.channel("slack").messages()).isEmpty();
        harness.advance(1);

        assertThat(harness.channel("slack").messages()).hasSize(1);
        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING", "fp2:FIRING");
    }

    @Test
    void anAlertAfterTheWindowIsASecondMessage() {
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0));
        harness.advance(GROUP_WAIT_MS);
        harness.put(harness.record(Alerts.firing("fp2", "slack"), 0, 1));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").messages()).hasSize(2);
        assertThat(harness.channel("slack").messages().get(0)).extracting(a -> a.getFingerprint())
                .containsExactly("fp1");
        assertThat(harness.channel("slack").messages().get(1)).extracting(a -> a.getFingerprint())
                .containsExactly("fp2");
        assertThat(harness.channel("slack").attemptTimes())
                .containsExactly(TaskHarness.START_MS + GROUP_WAIT_MS, TaskHarness.START_MS + 2 * GROUP_WAIT_MS);
    }

    @Test
    void theWindowRunsFromTheFirstAlertNotTheLast() {
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0));
        for (int i = 1; i <= 5; i++) {
            harness.advance(GROUP_WAIT_MS / 6);
            harness.put(harness.record(Alerts.firing("fp" + (i + 1), "slack"), 0, i));
        }
        harness.advance(GROUP_WAIT_MS / 6);

        assertThat(harness.channel("slack").messages()).hasSize(1);
        assertThat(harness.channel("slack").messages().get(0)).hasSize(6);
    }

    @Test
    void eachChannelGroupsOnItsOwn() {
        harness.put(harness.record(Alerts.firing("fp1", "slack", "email"), 0, 0));
        harness.advance(10_000);
        harness.put(harness.record(Alerts.firing("fp2", "email"), 0, 1));
        harness.advance(GROUP_WAIT_MS - 10_000);

        assertThat(harness.channel("slack").delivered()).containsExactly("fp1:FIRING");
        assertThat(harness.channel("email").delivered()).containsExactly("fp1:FIRING", "fp2:FIRING");
        assertThat(harness.channel("email").messages()).hasSize(1);
        assertThat(harness.channel("webhook").messages()).isEmpty();
    }

    @Test
    void asksConnectToCallPutAgainWhenTheGroupIsDue() {
        harness.put(harness.record(Alerts.firing("fp1", "slack"), 0, 0));
        assertThat(harness.context.takeTimeout()).isEqualTo(GROUP_WAIT_MS);

        harness.advance(12_000);
        assertThat(harness.context.takeTimeout()).isEqualTo(GROUP_WAIT_MS - 12_000);

        harness.advance(GROUP_WAIT_MS - 12_000);
        assertThat(harness.channel("slack").messages()).hasSize(1);
        assertThat(harness.context.takeTimeout()).as("nothing left to wait for").isEqualTo(-1);
    }

    @Test
    void aZeroWindowSendsEveryAlertAsItIsRead() {
        try (TaskHarness immediate = new TaskHarness(Map.of(NotificationSinkConfig.GROUP_WAIT_MS_CONFIG, "0"))) {
            immediate.put(immediate.record(Alerts.firing("fp1", "slack"), 0, 0),
                    immediate.record(Alerts.firing("fp2", "slack"), 0, 1));

            assertThat(immediate.channel("slack").messages()).hasSize(2);
            assertThat(immediate.channel("slack").messages()).allSatisfy(message -> assertThat(message).hasSize(1));
        }
    }

    @Test
    void aFiringAndItsResolvedInOneWindowGoOutInOrder() {
        var firing = Alerts.firing("fp1", "slack");
        harness.put(harness.record(firing, 0, 0), harness.record(Alerts.resolved(firing), 0, 1));
        harness.advance(GROUP_WAIT_MS);

        assertThat(harness.channel("slack").messages()).containsExactly(List.of(firing, Alerts.resolved(firing)));
    }
}
