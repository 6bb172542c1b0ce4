package com.aima.metrics.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.alert.AlertTracker.SeriesState;
import com.aima.metrics.alert.AlertTracker.Step;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    /** The wall clock at which every sample of a test arrives. */
    private static final long WALL = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
    private static final long STALENESS = Duration.ofMinutes(5).toMillis();
    private static final AlertRule UTILIZATION = rule(Duration.ofMinutes(10), Duration.ZERO);

    private SeriesState state = SeriesState.INACTIVE;
    private final List<String> emitted = new ArrayList<>();

    @Test
    void heldForNineMinutesFiftyNineSecondsIsPendingAndForTenMinutesFires() {
        observe(UTILIZATION, 97, T0);
        observe(UTILIZATION, 98, T0 + Duration.ofSeconds(599).toMillis());
        assertThat(emitted).isEmpty();
        assertThat(state.pending()).isTrue();

        observe(UTILIZATION, 96, T0 + Duration.ofSeconds(600).toMillis());

        assertThat(emitted).containsExactly("FIRING@" + (T0 + 600_000));
        assertThat(state.firingSinceMs()).isEqualTo(T0 + 600_000);
    }

    @Test
    void aSingleDipStartsTheWaitAgain() {
        observe(UTILIZATION, 97, T0);
        observe(UTILIZATION, 90, T0 + Duration.ofMinutes(5).toMillis()); // the dip
        observe(UTILIZATION, 97, T0 + Duration.ofMinutes(6).toMillis());
        observe(UTILIZATION, 97, T0 + Duration.ofMinutes(15).toMillis());
        assertThat(emitted).isEmpty();

        observe(UTILIZATION, 97, T0 + Duration.ofMinutes(16).toMillis());

        assertThat(emitted).containsExactly("FIRING@" + (T0 + Duration.ofMinutes(16).toMillis()));
    }

    @Test
    void resolvesWhenTheConditionStopsHoldingAndSaysSinceWhenItFired() {
        AlertRule temperature = rule(Duration.ZERO, Duration.ZERO);
        observe(temperature, 97, T0);
        observe(temperature, 97, T0 + 10_000);
        Step resolved = observe(temperature, 80, T0 + 20_000);

        assertThat(emitted).containsExactly("FIRING@" + T0, "RESOLVED@" + (T0 + 20_000));
        assertThat(resolved.startedMs()).isEqualTo(T0);
        assertThat(state).isEqualTo(new SeriesState(-1, -1, -1, T0 + 20_000, 80, WALL));
    }

    @Test
    void keepFiringForRidesOutShortDipsButNotLongOnes() {
        AlertRule flappy = rule(Duration.ZERO, Duration.ofMinutes(1));
        observe(flappy, 97, T0);
        observe(flappy, 90, T0 + 30_000);  // 30 s after the last held sample: still firing
        observe(flappy, 97, T0 + 50_000);
        observe(flappy, 90, T0 + 100_000); // 50 s after: still firing
        assertThat(emitted).containsExactly("FIRING@" + T0);
        assertThat(state.firing()).isTrue();

        observe(flappy, 90, T0 + 110_000); // 60 s after the last held sample: resolved

        assertThat(emitted).containsExactly("FIRING@" + T0, "RESOLVED@" + (T0 + 110_000));
    }

    @Test
    void aLateSampleDecidesNothingButShowsTheSeriesIsAlive() {
        observe(UTILIZATION, 97, T0 + 60_000);
        SeriesState before = state;

        Step late = AlertTracker.observe(UTILIZATION, state, 10, T0, WALL + 5_000);

        assertThat(late.emitted()).isNull();
        assertThat(late.next()).isEqualTo(new SeriesState(before.pendingSinceMs(), before.firingSinceMs(),
                before.lastHeldMs(), before.lastSeenMs(), before.lastValue(), WALL + 5_000));
    }

    @Test
    void aPendingAlertWhoseSeriesWentQuietFiresWhenItsDurationIsCompleteByWallClock() {
        observe(UTILIZATION, 97, T0);
        observe(UTILIZATION, 97, T0 + 590_000); // arrived at WALL; then nothing

        assertThat(tick(UTILIZATION, WALL + 9_999).emitted()).isNull();
        Step fired = tick(UTILIZATION, WALL + 10_000);

        assertThat(fired.emitted()).isEqualTo(AlertState.FIRING);
        assertThat(fired.startedMs()).as("when the 10 minutes were complete").isEqualTo(T0 + 600_000);
        assertThat(fired.value()).isEqualTo(97);
    }

    @Test
    void aPendingAlertDoesNotFireOnASampleOlderThanTheStalenessPeriod() {
        observe(UTILIZATION, 97, T0);
        observe(UTILIZATION, 97, T0 + 60_000); // 9 minutes short, then silence for longer than the staleness

        Step step = tick(UTILIZATION, WALL + STALENESS + 1);

        assertThat(step.emitted()).isNull();
        assertThat(step.next()).as("nothing left to remember").isNull();
    }

    @Test
    void keepFiringForRunsOutByWallClockWithoutAnotherSample() {
        AlertRule flappy = rule(Duration.ZERO, Duration.ofMinutes(1));
        observe(flappy, 97, T0);
        observe(flappy, 90, T0 + 30_000); // broken, still firing

        assertThat(tick(flappy, WALL + 29_999).emitted()).isNull();
        Step resolved = tick(flappy, WALL + 30_000);

        assertThat(resolved.emitted()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.startedMs()).isEqualTo(T0);
        assertThat(resolved.endedMs()).isEqualTo(T0 + 60_000);
    }

    @Test
    void aFiringAlertWhoseSeriesStoppedResolvesAfterTheStalenessPeriod() {
        AlertRule temperature = rule(Duration.ZERO, Duration.ZERO);
        observe(temperature, 97, T0);

        assertThat(tick(temperature, WALL + STALENESS).emitted()).isNull();
        Step resolved = tick(temperature, WALL + STALENESS + 1);

        assertThat(resolved.emitted()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.endedMs()).isEqualTo(T0 + STALENESS);
    }

    @Test
    void anAbsentRuleFiresAfterItsDurationOfSilenceAndResolvesWithTheNextSample() {
        AlertRule silent = new AlertRule("collector_silent", "host_cpu_utilization_percent", List.of(),
                Condition.ABSENT, 0, Duration.ofMinutes(5), null, Severity.CRITICAL, List.of(), null, null);
        observe(silent, 12, T0);

        assertThat(tick(silent, WALL + 299_999).emitted()).isNull();
        Step fired = tick(silent, WALL + 300_000);
        assertThat(fired.emitted()).isEqualTo(AlertState.FIRING);
        state = fired.next();
        assertThat(tick(silent, WALL + 900_000).emitted()).as("fires once").isNull();

        Step resolved = AlertTracker.observe(silent, state, 14, T0 + 1_000_000, WALL + 1_000_000);
        assertThat(resolved.emitted()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.startedMs()).isEqualTo(T0 + 300_000);
    }

    @Test
    void silenceIsCountedFromTheEnginesStartSoThatItsOwnDowntimeIsNotASilentCollector() {
        AlertRule silent = new AlertRule("collector_silent", "host_cpu_utilization_percent", List.of(),
                Condition.ABSENT, 0, Duration.ofMinutes(5), null, Severity.CRITICAL, List.of(), null, null);
        observe(silent, 12, T0);
        long restartedAt = WALL + Duration.ofHours(1).toMillis();

        assertThat(AlertTracker.tick(silent, state, restartedAt + 299_999, restartedAt, STALENESS).emitted())
                .isNull();
        assertThat(AlertTracker.tick(silent, state, restartedAt + 300_000, restartedAt, STALENESS).emitted())
                .isEqualTo(AlertState.FIRING);
    }

    @Test
    void eachConditionComparesAsWritten() {
        assertThat(Condition.GT.holds(95.01, 95)).isTrue();
        assertThat(Condition.GT.holds(95, 95)).isFalse();
        assertThat(Condition.GE.holds(95, 95)).isTrue();
        assertThat(Condition.LT.holds(1, 2)).isTrue();
        assertThat(Condition.LE.holds(2, 2)).isTrue();
        assertThat(Condition.EQ.holds(0, 0)).isTrue();
        assertThat(Condition.NE.holds(0, 0)).isFalse();
        assertThat(Condition.ABSENT.holds(0, 0)).isFalse();
    }

    private Step tick(AlertRule rule, long nowMs) {
        return AlertTracker.tick(rule, state, nowMs, WALL - 3_600_000, STALENESS);
    }

    private Step observe(AlertRule rule, double value, long timeMs) {
        Step step = AlertTracker.observe(rule, state, value, timeMs, WALL);
        state = step.next();
        if (step.emitted() == AlertState.FIRING) {
            emitted.add("FIRING@" + timeMs);
        } else if (step.emitted() == AlertState.RESOLVED) {
            emitted.add("RESOLVED@" + timeMs);
        }
        return step;
    }

    private static AlertRule rule(Duration forDuration, Duration keepFiringFor) {
        return new AlertRule("gpu_utilization_high", "gpu_utilization_percent", List.of(), Condition.GT, 95,
                forDuration, keepFiringFor, Severity.WARNING, List.of("slack"), null, null);
    }
}
