package com.aima.metrics.alert;

import com.aima.metrics.schema.AlertState;

/**
 * The life of one alert instance (a rule on one series), by event time: INACTIVE → pending when the condition first
 * holds → FIRING once it has held for the rule's {@code for} without a break (a single sample that breaks it starts
 * the wait again) → RESOLVED when it stops holding, unless it held again within {@code keep_firing_for}. Pure: the
 * state is a value the caller keeps (the engine, in a changelogged store, so that a restart loses no pending timer).
 * Samples older than the newest one seen are ignored.
 */
public final class AlertTracker {

    private AlertTracker() {
    }

    /**
     * What is known of one alert instance; times in milliseconds since the epoch, -1 for never.
     *
     * @param pendingSinceMs when the condition started to hold without a break
     * @param firingSinceMs  when the alert started firing
     * @param lastHeldMs     the newest sample for which the condition held
     * @param lastSeenMs     the newest sample seen
     * @param lastValue      that sample's value
     */
    public record SeriesState(long pendingSinceMs, long firingSinceMs, long lastHeldMs, long lastSeenMs,
                              double lastValue) {

        /** Nothing seen, or resolved. */
        public static final SeriesState INACTIVE = new SeriesState(-1, -1, -1, -1, Double.NaN);

        public boolean firing() {
            return firingSinceMs >= 0;
        }

        public boolean pending() {
            return pendingSinceMs >= 0 && !firing();
        }
    }

    /**
     * The state after one sample, and the notification it causes.
     *
     * @param emitted FIRING or RESOLVED when this sample starts or ends the alert, else null
     * @param startedMs when the alert started firing (for RESOLVED too), -1 if it did not
     */
    public record Step(SeriesState next, AlertState emitted, long startedMs) {
    }

    /** Applies the sample {@code value} at {@code timeMs} to {@code state}. */
    public static Step observe(AlertRule rule, SeriesState state, double value, long timeMs) {
        if (state.lastSeenMs() >= 0 && timeMs < state.lastSeenMs()) {
            return new Step(state, null, -1); // late: the newer samples have decided already
        }
        boolean holds = rule.condition().holds(value, rule.threshold());
        if (holds) {
            long pendingSince = state.pendingSinceMs() >= 0 ? state.pendingSinceMs() : timeMs;
            if (state.firing()) {
                return new Step(new SeriesState(pendingSince, state.firingSinceMs(), timeMs, timeMs, value), null,
                        -1);
            }
            if (timeMs - pendingSince >= rule.forDuration().toMillis()) {
                return new Step(new SeriesState(pendingSince, timeMs, timeMs, timeMs, value), AlertState.FIRING,
                        timeMs);
            }
            return new Step(new SeriesState(pendingSince, -1, timeMs, timeMs, value), null, -1);
        }
        if (state.firing()) {
            if (timeMs - state.lastHeldMs() < rule.keepFiringFor().toMillis()) {
                // still firing, but the condition's unbroken run is over
                return new Step(new SeriesState(-1, state.firingSinceMs(), state.lastHeldMs(), timeMs, value), null,
                        -1);
            }
            return new Step(new SeriesState(-1, -1, -1, timeMs, value), AlertState.RESOLVED, state.firingSinceMs());
        }
        return new Step(new SeriesState(-1, -1, -1, timeMs, value), null, -1);
    }
}
