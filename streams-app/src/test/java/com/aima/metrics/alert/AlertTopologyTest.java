package com.aima.metrics.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert engine in a TopologyTestDriver with the shipped default rules: {@code for} boundaries, a dip, keep
 * firing, resolving, the error-rate window from the jobs topic, silence and quiet series by wall-clock punctuation,
 * restarts with pending and firing alerts, rule changes, bad records.
 */
class AlertTopologyTest {

    private static final Instant WALL = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant T0 = Instant.parse("2029-12-31T23:00:00Z");
    private static final String UTILIZATION = "gpu_utilization_percent";
    private static final String TEMPERATURE = "gpu_temperature_celsius";
    private static final Map<String, String> GPU0 = Map.of("gpu", "0", "node", "n1");
    private static final Map<String, String> GPU1 = Map.of("gpu", "1", "node", "n1");

    @TempDir
    Path stateDir;

    private AlertHarness harness() {
        return new AlertHarness(AlertRules.defaults(), Map.of(), WALL, stateDir);
    }

    /** Samples of {@code metric} every 10 s from {@code from} (inclusive) to {@code to} (exclusive). */
    private static void every10s(AlertHarness h, String metric, Map<String, String> labels, Instant from, Instant to,
                                 double value) {
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(10)) {
            h.send(metric, labels, t, value);
        }
    }

    @Test
    void utilizationAbove95HeldFor9Minutes59IsPendingAndFor10MinutesFires() {
        try (AlertHarness h = harness()) {
            every10s(h, UTILIZATION, GPU0, T0, T0.plusSeconds(590), 97);
            h.send(UTILIZATION, GPU0, T0.plusSeconds(599), 98);
            assertThat(h.alerts()).isEmpty();

            h.send(UTILIZATION, GPU0, T0.plusSeconds(600), 99);

            List<AlertEvent> alerts = h.alerts();
            assertThat(alerts).singleElement().satisfies(alert -> {
                assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
                assertThat(alert.getRule()).isEqualTo("gpu_utilization_high");
                assertThat(alert.getSeverity()).isEqualTo(Severity.WARNING);
                assertThat(alert.getLabels()).isEqualTo(GPU0);
                assertThat(alert.getValue()).isEqualTo(99);
                assertThat(alert.getThreshold()).isEqualTo(95);
                assertThat(alert.getCondition()).isEqualTo("gt");
                assertThat(alert.getForMs()).isEqualTo(600_000);
                assertThat(alert.getStartsAt()).isEqualTo(T0.plusSeconds(600));
                assertThat(alert.getEndsAt()).isNull();
                assertThat(alert.getSummary()).isEqualTo("GPU 0 on n1 above 95 % for 10 min (99 %)");
                assertThat(alert.getChannels()).containsExactly("slack", "email");
                assertThat(alert.getFingerprint()).isEqualTo(AlertSeries.fingerprint("gpu_utilization_high",
                        "gpu_utilization_percent{gpu=\"0\",node=\"n1\"}")).hasSize(16);
            });
            every10s(h, UTILIZATION, GPU0, T0.plusSeconds(610), T0.plusSeconds(900), 97);
            assertThat(h.alerts()).as("fires once").isEmpty();
        }
    }

    @Test
    void aSingleDipStartsTheTenMinutesAgainAndOtherSeriesAreIndependent() {
        try (AlertHarness h = harness()) {
            every10s(h, UTILIZATION, GPU0, T0, T0.plusSeconds(300), 97);
            h.send(UTILIZATION, GPU0, T0.plusSeconds(300), 60); // one dip
            every10s(h, UTILIZATION, GPU0, T0.plusSeconds(310), T0.plusSeconds(910), 97);
            every10s(h, UTILIZATION, GPU1, T0, T0.plusSeconds(610), 97);

            assertThat(h.alerts()).extracting(a -> a.getLabels().get("gpu"), AlertEvent::getStartsAt)
                    .containsExactly(tuple("1", T0.plusSeconds(600)));

            h.send(UTILIZATION, GPU0, T0.plusSeconds(910), 97);
            assertThat(h.alerts()).extracting(a -> a.getLabels().get("gpu"), AlertEvent::getStartsAt)
                    .containsExactly(tuple("0", T0.plusSeconds(910)));
        }
    }

    @Test
    void keepFiringForRidesOutAShortDipAndTheAlertResolvesOnceWithItsFingerprint() {
        try (AlertHarness h = harness()) {
            h.send(TEMPERATURE, GPU0, T0, 90);
            h.send(TEMPERATURE, GPU0, T0.plusSeconds(30), 84); // 30 s below: within keep_firing_for 1m
            h.send(TEMPERATURE, GPU0, T0.plusSeconds(40), 88);
            h.send(TEMPERATURE, GPU0, T0.plusSeconds(50), 80);
            List<AlertEvent> firing = h.alerts();
            assertThat(firing).extracting(AlertEvent::getState).containsExactly(AlertState.FIRING);

            h.send(TEMPERATURE, GPU0, T0.plusSeconds(100), 79); // 60 s after the last sample above 85

            List<AlertEvent> resolved = h.alerts();
            assertThat(resolved).singleElement().satisfies(alert -> {
                assertThat(alert.getState()).isEqualTo(AlertState.RESOLVED);
                assertThat(alert.getFingerprint()).isEqualTo(firing.get(0).getFingerprint());
                assertThat(alert.getStartsAt()).isEqualTo(T0);
                assertThat(alert.getEndsAt()).isEqualTo(T0.plusSeconds(100));
                assertThat(alert.getValue()).isEqualTo(79);
            });
            h.send(TEMPERATURE, GPU0, T0.plusSeconds(110), 70);
            assertThat(h.alerts()).as("resolves once").isEmpty();
        }
    }

    @Test
    void theErrorRateOverTheLastFiveMinutesFiresAboveFivePercentAndResolvesAsTheWindowSlides() {
        try (AlertHarness h = harness()) {
            for (int i = 0; i < 94; i++) {
                h.send(AlertHarness.job("ok-" + i, JobEventType.COMPLETED, T0.plusSeconds(i)));
            }
            h.send(AlertHarness.job("c-1", JobEventType.CANCELLED, T0.plusSeconds(95))); // not finished
            for (int i = 0; i < 5; i++) {
                h.send(AlertHarness.job("bad-" + i, JobEventType.FAILED, T0.plusSeconds(100 + i)));
            }
            List<MetricEvent> rates = h.derivedSamples();
            assertThat(rates).hasSize(99);
            assertThat(rates.get(rates.size() - 1).getValue()).isCloseTo(100.0 * 5 / 99, within(1e-9));
            assertThat(h.alerts()).as("5.05 %% is above 5 %% only from the fifth failure on")
                    .extracting(AlertEvent::getRule, AlertEvent::getState)
                    .containsExactly(tuple("job_error_rate_high", AlertState.FIRING));

            // The 94 successes (T0..T0+93s) leave the window at T0+5min+93s; the failures stay until T0+5min+104s.
            h.send(AlertHarness.job("bad-6", JobEventType.FAILED, T0.plusSeconds(300 + 94)));
            assertThat(h.derivedSamples()).extracting(MetricEvent::getValue).containsExactly(100.0);
            assertThat(h.alerts()).isEmpty();

            // No more jobs: the window slides by wall clock until it is empty, and the rate falls to 0 %.
            h.advanceWallClock(Duration.ofMinutes(5));
            assertThat(h.derivedSamples()).last().extracting(MetricEvent::getValue).isEqualTo(100.0);
            h.advanceWallClock(Duration.ofSeconds(10));
            List<MetricEvent> sliding = h.derivedSamples();
            assertThat(sliding).isNotEmpty();
            assertThat(sliding.get(sliding.size() - 1).getValue()).isZero();
            assertThat(h.alerts()).extracting(AlertEvent::getRule, AlertEvent::getState)
                    .containsExactly(tuple("job_error_rate_high", AlertState.RESOLVED));
        }
    }

    @Test
    void aSilentCollectorAlertsByWallClockAfterFiveMinutesAndResolvesWhenItReportsAgain() {
        try (AlertHarness h = harness()) {
            h.send("host_cpu_utilization_percent", Map.of("node", "n7"), T0, 12);
            h.advanceWallClock(Duration.ofSeconds(299));
            assertThat(h.alerts()).isEmpty();

            h.advanceWallClock(Duration.ofSeconds(1));

            assertThat(h.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getRule()).isEqualTo("collector_silent");
                assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
                assertThat(alert.getSummary()).isEqualTo("No metrics from the collector on n7 for 5m");
            });
            h.advanceWallClock(Duration.ofMinutes(10));
            assertThat(h.alerts()).isEmpty();

            h.send("host_cpu_utilization_percent", Map.of("node", "n7"), T0.plusSeconds(1000), 15);
            assertThat(h.alerts()).extracting(AlertEvent::getState).containsExactly(AlertState.RESOLVED);
        }
    }

    @Test
    void aPendingAlertWhoseSamplesStopFiresByWallClockAndResolvesWhenTheSeriesGoesStale() {
        try (AlertHarness h = harness()) {
            every10s(h, UTILIZATION, GPU0, T0, T0.plusSeconds(600), 97); // last sample at 9:50
            assertThat(h.alerts()).isEmpty();

            h.advanceWallClock(Duration.ofSeconds(10));
            assertThat(h.alerts()).extracting(AlertEvent::getState, AlertEvent::getStartsAt)
                    .containsExactly(tuple(AlertState.FIRING, T0.plusSeconds(600)));

            h.advanceWallClock(Duration.ofMinutes(5));
            assertThat(h.alerts()).extracting(AlertEvent::getState, AlertEvent::getEndsAt)
                    .containsExactly(tuple(AlertState.RESOLVED, T0.plusSeconds(590 + 300)));
        }
    }

    @Test
    void aRestartNeitherLosesAPendingTimerNorSendsAFiringAlertAgain() {
        Map<String, AlertSeries> state;
        try (AlertHarness first = harness()) {
            every10s(first, UTILIZATION, GPU0, T0, T0.plusSeconds(540), 97); // pending for 9 minutes
            first.send(TEMPERATURE, GPU1, T0, 90);                             // firing
            assertThat(first.alerts()).extracting(AlertEvent::getRule).containsExactly("gpu_temperature_high");
            state = first.storedState();
        }
        assertThat(state).hasSize(2);

        // The new instance starts on the state its changelog restores (the test driver has no changelog to replay).
        try (AlertHarness second = new AlertHarness(AlertRules.defaults(), Map.of(), WALL.plusSeconds(60), stateDir)) {
            second.restoreState(state);
            every10s(second, UTILIZATION, GPU0, T0.plusSeconds(540), T0.plusSeconds(600), 97);
            second.send(TEMPERATURE, GPU1, T0.plusSeconds(10), 91);
            assertThat(second.alerts()).as("nothing again, nothing early").isEmpty();

            second.send(UTILIZATION, GPU0, T0.plusSeconds(600), 97);
            second.send(TEMPERATURE, GPU1, T0.plusSeconds(80), 70);

            assertThat(second.alerts()).extracting(AlertEvent::getRule, AlertEvent::getState, AlertEvent::getStartsAt)
                    .containsExactly(tuple("gpu_utilization_high", AlertState.FIRING, T0.plusSeconds(600)),
                            tuple("gpu_temperature_high", AlertState.RESOLVED, T0));
        }
    }

    @Test
    void changedRulesApplyWithoutRestartAndARemovedRulesAlertResolves() {
        try (AlertHarness h = harness()) {
            h.send(TEMPERATURE, GPU0, T0, 80);
            assertThat(h.alerts()).isEmpty();

            List<AlertRule> stricter = AlertRules.parse("""
                    rules:
                      - name: gpu_temperature_high
                        metric: gpu_temperature_celsius
                        condition: gt
                        threshold: 75
                        severity: critical
                    """, "test");
            h.replaceRules(stricter);
            h.send(TEMPERATURE, GPU0, T0.plusSeconds(10), 80);
            assertThat(h.alerts()).extracting(AlertEvent::getState, AlertEvent::getThreshold)
                    .containsExactly(tuple(AlertState.FIRING, 75.0));

            h.replaceRules(List.of());
            h.advanceWallClock(Duration.ofSeconds(1));
            assertThat(h.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getState()).isEqualTo(AlertState.RESOLVED);
                assertThat(alert.getSummary()).contains("gpu_temperature_high was removed");
            });
        }
    }

    @Test
    void anUndecodableRecordIsSkippedAndTheEngineGoesOn() {
        try (AlertHarness h = harness()) {
            h.sendBytes("not avro".getBytes(StandardCharsets.UTF_8));
            h.send(TEMPERATURE, GPU0, T0, 90);

            assertThat(h.alerts()).extracting(AlertEvent::getRule).containsExactly("gpu_temperature_high");
        }
    }
}
