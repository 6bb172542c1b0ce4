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
        assertThat(state).isEqualTo(new SeriesState(-1, -1, -1, T0 + 20_000, 80));
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
    void aLateSampleChangesNothing() {
        observe(UTILIZATION, 97, T0 + 60_000);
        SeriesState before = state;

        Step late = observe(UTILIZATION, 10, T0);

        assertThat(late.emitted()).isNull();
        assertThat(state).isEqualTo(before);
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
    }

    private Step observe(AlertRule rule, double value, long timeMs) {
        Step step = AlertTracker.observe(rule, state, value, timeMs);
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
