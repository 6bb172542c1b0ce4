package com.aima.metrics.alert;

import com.aima.metrics.schema.AlertState;

/**
 * The life of one alert instance (a rule on one series). Pure: the state is a value the caller keeps (the engine, in
 * a changelogged store, so that a restart loses no pending timer and re-sends nothing).
 *
 * <p>By event time, sample by sample ({@link #observe}): INACTIVE → pending when the condition first holds → FIRING
 * once it has held for the rule's {@code for} without a break (a single sample that breaks it starts the wait again)
 * → RESOLVED when it stops holding, unless it holds again within {@code keep_firing_for}. Samples older than the
 * newest one seen decide nothing.
 *
 * <p>By wall clock, between samples ({@link #tick}): the series' event time is taken to advance with the wall clock
 * since its last sample arrived, and its last value to stay valid for the staleness period (as Prometheus keeps a
 * sample for its 5-minute lookback). So a pending alert whose series went quiet still fires when its {@code for} is
 * complete, a firing alert resolves when {@code keep_firing_for} runs out or its series has been stale, and an
 * {@link Condition#ABSENT absent} rule fires after {@code for} of silence. Silence is counted from the engine's start
 * at the earliest, so that its own downtime does not look like silent collectors.
 */
public final class AlertTracker {

    private AlertTracker() {
    }

    /**
     * What is known of one alert instance; times in milliseconds since the epoch, -1 for never.
     *
     * @param pendingSinceMs when the condition started to hold without a break (event time)
     * @param firingSinceMs  when the alert started firing (event time)
     * @param lastHeldMs     the newest sample for which the condition held (event time)
     * @param lastSeenMs     the newest sample seen (event time)
     * @param lastValue      that sample's value
     * @param lastArrivalMs  when the newest sample arrived (wall clock)
     */
    public record SeriesState(long pendingSinceMs, long firingSinceMs, long lastHeldMs, long lastSeenMs,
                              double lastValue, long lastArrivalMs) {

        /** Nothing seen. */
        public static final SeriesState INACTIVE = new SeriesState(-1, -1, -1, -1, Double.NaN, -1);

        public boolean firing() {
            return firingSinceMs >= 0;
        }

        public boolean pending() {
            return pendingSinceMs >= 0 && !firing();
        }
    }

    /**
     * The state after one sample or tick, and the notification it causes.
     *
     * @param next      the new state; null when there is nothing worth keeping (resolved and stale)
     * @param emitted   FIRING or RESOLVED when this step starts or ends the alert, else null
     * @param startedMs when the alert started firing (for RESOLVED too), -1 if nothing was emitted
     * @param endedMs   when a RESOLVED alert ended (event time), -1 otherwise
     * @param value     the value to report with the notification
     */
    public record Step(SeriesState next, AlertState emitted, long startedMs, long endedMs, double value) {

        static Step quiet(SeriesState next) {
            return new Step(next, null, -1, -1, Double.NaN);
        }

        static Step firing(SeriesState next, long startedMs, double value) {
            return new Step(next, AlertState.FIRING, startedMs, -1, value);
        }

        static Step resolved(SeriesState next, long startedMs, long endedMs, double value) {
            return new Step(next, AlertState.RESOLVED, startedMs, endedMs, value);
        }
    }

    /** Applies the sample {@code value} taken at {@code timeMs}, arrived at {@code arrivalMs}, to {@code state}. */
    public static Step observe(AlertRule rule, SeriesState state, double value, long timeMs, long arrivalMs) {
        if (state.lastSeenMs() >= 0 && timeMs < state.lastSeenMs()) {
            // late: the newer samples have decided already, but the series is alive
            return Step.quiet(new SeriesState(state.pendingSinceMs(), state.firingSinceMs(), state.lastHeldMs(),
                    state.lastSeenMs(), state.lastValue(), arrivalMs));
        }
        if (rule.absent()) {
            SeriesState seen = new SeriesState(-1, -1, -1, timeMs, value, arrivalMs);
            return state.firing() ? Step.resolved(seen, state.firingSinceMs(), timeMs, value) : Step.quiet(seen);
        }
        boolean holds = rule.condition().holds(value, rule.threshold());
        if (holds) {
            long pendingSince = state.pendingSinceMs() >= 0 ? state.pendingSinceMs() : timeMs;
            if (state.firing()) {
                return Step.quiet(new SeriesState(pendingSince, state.firingSinceMs(), timeMs, timeMs, value,
                        arrivalMs));
            }
            if (timeMs - pendingSince >= rule.forDuration().toMillis()) {
                return Step.firing(new SeriesState(pendingSince, timeMs, timeMs, timeMs, value, arrivalMs), timeMs,
                        value);
            }
            return Step.quiet(new SeriesState(pendingSince, -1, timeMs, timeMs, value, arrivalMs));
        }
        if (state.firing()) {
            if (timeMs - state.lastHeldMs() < rule.keepFiringFor().toMillis()) {
                // still firing, but the condition's unbroken run is over
                return Step.quiet(new SeriesState(-1, state.firingSinceMs(), state.lastHeldMs(), timeMs, value,
                        arrivalMs));
            }
            return Step.resolved(new SeriesState(-1, -1, -1, timeMs, value, arrivalMs), state.firingSinceMs(),
                    timeMs, value);
        }
        return Step.quiet(new SeriesState(-1, -1, -1, timeMs, value, arrivalMs));
    }

    /**
     * Advances {@code state} to the wall-clock time {@code nowMs} without a new sample.
     *
     * @param sinceMs     when the engine started (wall clock): silence is counted from here at the earliest
     * @param stalenessMs how long a series' last sample stays valid
     */
    public static Step tick(AlertRule rule, SeriesState state, long nowMs, long sinceMs, long stalenessMs) {
        long silence = Math.max(0, nowMs - Math.max(state.lastArrivalMs(), sinceMs));
        long eventNow = state.lastSeenMs() + silence;
        if (rule.absent()) {
            if (!state.firing() && silence >= rule.forDuration().toMillis()) {
                return Step.firing(new SeriesState(-1, eventNow, -1, state.lastSeenMs(), state.lastValue(),
                        state.lastArrivalMs()), eventNow, state.lastValue());
            }
            return Step.quiet(state);
        }
        boolean stale = silence > stalenessMs;
        if (state.firing()) {
            boolean broken = state.pendingSinceMs() < 0;
            long keepUntil = state.lastHeldMs() + rule.keepFiringFor().toMillis();
            if (broken && eventNow >= keepUntil) {
                return Step.resolved(null, state.firingSinceMs(), Math.max(keepUntil, state.lastSeenMs()),
                        state.lastValue());
            }
            if (stale) {
                return Step.resolved(null, state.firingSinceMs(), state.lastSeenMs() + stalenessMs,
                        state.lastValue());
            }
            return Step.quiet(state);
        }
        if (state.pending()) {
            long firesAt = state.pendingSinceMs() + rule.forDuration().toMillis();
            if (Math.min(eventNow, state.lastSeenMs() + stalenessMs) >= firesAt) {
                return Step.firing(new SeriesState(state.pendingSinceMs(), firesAt, state.lastHeldMs(),
                        state.lastSeenMs(), state.lastValue(), state.lastArrivalMs()), firesAt, state.lastValue());
            }
        }
        return Step.quiet(stale ? null : state);
    }
}
