package com.aima.metrics.cost;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The cost engine's clock, in the ledger store: the largest job event time seen (never more than
 * {@link #MAX_FUTURE_SKEW_MS} ahead of the wall clock, so one bad timestamp cannot close the day early), and, when no
 * job event has arrived for the idle timeout, the wall clock minus that timeout, so that hours close and jobs are
 * charged in quiet times too (as the rollups' clock does). GPU samples do not move it ({@link SampleRecorder}).
 */
final class EngineClock {

    static final long MAX_FUTURE_SKEW_MS = 5 * 60_000L;
    private static final String CLOCK = "clock";
    private static final String LAST_RECORD_WALL = "clock last-record-wall";
    private static final String CLOSED = "closed-until";

    private EngineClock() {
    }

    /** Advances the clock by a record with {@code eventTimeMs}, arriving at {@code wallMs}. */
    static void observe(KeyValueStore<String, String> ledger, long eventTimeMs, long wallMs) {
        long clock = get(ledger, CLOCK, Long.MIN_VALUE);
        long bounded = Math.min(eventTimeMs, wallMs + MAX_FUTURE_SKEW_MS);
        if (bounded > clock) {
            ledger.put(CLOCK, Long.toString(bounded));
        }
        if (ledger.get(CLOSED) == null) {
            ledger.put(CLOSED, Long.toString(Charging.hourOf(bounded)));
        }
        ledger.put(LAST_RECORD_WALL, Long.toString(wallMs));
    }

    /** The clock at {@code wallMs}; {@link Long#MIN_VALUE} before the first record. */
    static long now(KeyValueStore<String, String> ledger, long wallMs, long idleTimeoutMs) {
        long clock = get(ledger, CLOCK, Long.MIN_VALUE);
        long lastRecordWall = get(ledger, LAST_RECORD_WALL, Long.MIN_VALUE);
        if (clock != Long.MIN_VALUE && wallMs - lastRecordWall >= idleTimeoutMs) {
            return Math.max(clock, wallMs - idleTimeoutMs);
        }
        return clock;
    }

    /** The end of the last hour whose figures are written; null before the first record. */
    static Long closedUntil(KeyValueStore<String, String> ledger) {
        String value = ledger.get(CLOSED);
        return value == null ? null : Long.parseLong(value);
    }

    static void closedUntil(KeyValueStore<String, String> ledger, long hourEndMs) {
        ledger.put(CLOSED, Long.toString(hourEndMs));
    }

    private static long get(KeyValueStore<String, String> ledger, String key, long absent) {
        String value = ledger.get(key);
        return value == null ? absent : Long.parseLong(value);
    }
}
