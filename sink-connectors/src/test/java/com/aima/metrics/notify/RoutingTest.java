package com.aima.metrics.notify;

import static com.aima.metrics.notify.TaskHarness.GROUP_WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.testing.LogCapture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An alert goes to the channels its rule named, plus those of every route it matches by severity and labels; an
 * exclusive route replaces them. Routes are written as the connector's configuration.
 */
class RoutingTest {

    private static final Map<String, String> GPU_NODE = Map.of("node", "gpu-7", "gpu", "1");
    private static final Map<String, String> CPU_NODE = Map.of("node", "cpu-2");

    @Test
    void withoutRoutesAnAlertGoesToTheChannelsItsRuleNamed() {
        Router router = router(Map.of());

        assertThat(router.channelsFor(alert(Severity.WARNING, GPU_NODE, "slack", "Email")))
                .containsExactly("slack", "email");
        assertThat(router.channelsFor(alert(Severity.WARNING, GPU_NODE))).isEmpty();
    }

    @Test
    void aSeverityRouteAddsItsChannelsToAlertsOfThoseSeverities() {
        Router router = router(Map.of(
                "routes", "oncall",
                "route.oncall.severity", "critical",
                "route.oncall.channels", "sms, slack"));

        assertThat(router.channelsFor(alert(Severity.CRITICAL, CPU_NODE, "slack", "email")))
                .containsExactly("slack", "email", "sms");
        assertThat(router.channelsFor(alert(Severity.WARNING, CPU_NODE, "email"))).containsExactly("email");
    }

    @Test
    void aMatcherRouteAddsItsChannelsToAlertsWhoseLabelsPass() {
        Router router = router(Map.of(
                "routes", "gpu",
                "route.gpu.matchers", "node=~\"gpu-.*\", gpu!=\"0\"",
                "route.gpu.channels", "teams"));

        assertThat(router.channelsFor(alert(Severity.INFO, GPU_NODE, "email"))).containsExactly("email", "teams");
        assertThat(router.channelsFor(alert(Severity.INFO, Map.of("node", "gpu-7", "gpu", "0"), "email")))
                .containsExactly("email");
        assertThat(router.channelsFor(alert(Severity.INFO, CPU_NODE, "email"))).containsExactly("email");
    }

    @Test
    void severityAndMatchersMustBothHold() {
        Router router = router(Map.of(
                "routes", "hotgpu",
                "route.hotgpu.severity", "critical,warning",
                "route.hotgpu.matchers", "{node=~\"gpu-.*\"}",
                "route.hotgpu.channels", "webhook"));

        assertThat(router.channelsFor(alert(Severity.WARNING, GPU_NODE))).containsExactly("webhook");
        assertThat(router.channelsFor(alert(Severity.INFO, GPU_NODE))).isEmpty();
        assertThat(router.channelsFor(alert(Severity.CRITICAL, CPU_NODE))).isEmpty();
    }

    @Test
    void anExclusiveRouteSendsOnlyToItsChannels() {
        Router router = router(Map.of(
                "routes", "quiet,night,extra",
                "route.quiet.matchers", "node=\"cpu-2\"",
                "route.quiet.channels", "email",
                "route.quiet.exclusive", "true",
                "route.night.severity", "info",
                "route.night.channels", "webhook",
                "route.night.exclusive", "true",
                "route.extra.channels", "teams"));

        assertThat(router.channelsFor(alert(Severity.CRITICAL, CPU_NODE, "slack", "sms"))).containsExactly("email");
        assertThat(router.channelsFor(alert(Severity.INFO, CPU_NODE, "slack")))
                .as("two exclusive routes: both their channels").containsExactly("email", "webhook");
        assertThat(router.channelsFor(alert(Severity.CRITICAL, GPU_NODE, "slack")))
                .as("no exclusive route matches").containsExactly("slack", "teams");
    }

    @Test
    void aChannelThatIsNotConfiguredIsSkippedWithOneWarningAndCounted() {
        try (TaskHarness harness = new TaskHarness();
             LogCapture log = new LogCapture(AlertNotificationSinkTask.class)) {
            harness.put(harness.record(alert(Severity.CRITICAL, GPU_NODE, "pager", "slack"), 0, 0),
                    harness.record(alert(Severity.CRITICAL, CPU_NODE, "pager"), 0, 1));
            harness.advance(GROUP_WAIT_MS);

            assertThat(harness.channel("slack").messages()).hasSize(1);
            assertThat(log.containing("channel 'pager', which is not configured")).hasSize(1);
            assertThat(harness.task.metrics().unconfiguredChannelSkips.get()).isEqualTo(2);
            assertThat(harness.preCommit(Map.of(0, 2L))).containsExactlyEntriesOf(Map.of(0, 2L));
            assertThat(harness.context.reported()).isEmpty();
        }
    }

    @Test
    void routesApplyInTheTask() {
        try (TaskHarness harness = new TaskHarness(Map.of(
                "routes", "gpu",
                "route.gpu.matchers", "node=~\"gpu-.*\"",
                "route.gpu.channels", "webhook",
                "route.gpu.exclusive", "true"))) {
            harness.put(harness.record(alert(Severity.CRITICAL, GPU_NODE, "slack"), 0, 0),
                    harness.record(alert(Severity.CRITICAL, CPU_NODE, "slack"), 0, 1));
            harness.advance(GROUP_WAIT_MS);

            assertThat(harness.channel("webhook").messages()).singleElement()
                    .satisfies(message -> assertThat(message).extracting(a -> a.getLabels().get("node"))
                            .containsExactly("gpu-7"));
            assertThat(harness.channel("slack").messages()).singleElement()
                    .satisfies(message -> assertThat(message).extracting(a -> a.getLabels().get("node"))
                            .containsExactly("cpu-2"));
        }
    }

    private static Router router(Map<String, String> routes) {
        Map<String, String> props = new HashMap<>(routes);
        props.put(NotificationSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://routing");
        props.put(NotificationSinkConfig.DEDUP_BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new Router(new NotificationSinkConfig(props).routes());
    }

    private static AlertEvent alert(Severity severity, Map<String, String> labels, String... channels) {
        return Alerts.firing("fp-" + labels.hashCode() + severity, "rule", severity, labels, List.of(channels));
    }
}
