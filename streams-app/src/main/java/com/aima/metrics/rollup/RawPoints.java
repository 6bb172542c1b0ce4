package com.aima.metrics.rollup;

import com.aima.metrics.Topics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The store of raw points of the last 24 hours that the REST API reads ({@code /metrics/raw}): a changelogged RocksDB
 * window store keyed by series ({@link com.aima.metrics.SeriesKey}), one entry per valid sample at its event time,
 * duplicates kept (two samples of one series at the same millisecond are both points). Entries older than the
 * task's newest event time minus {@link #RETENTION} are dropped segment by segment; the raw topic keeps the same 24 h.
 * Only points of the last 24 h by the wall clock are written ({@link #keeps}).
 */
public final class RawPoints {

    /** The store's name, for interactive queries. */
    public static final String STORE = "raw-points";
    /** How long points are kept: the raw tier's retention (seed 004 section 4.1). */
    public static final Duration RETENTION = Topics.RAW_RETENTION;
    private static final long RETENTION_MS = RETENTION.toMillis();

    private RawPoints() {
    }

    /**
     * Whether a sample goes into the store: only when its event time and its record's timestamp are both within
     * {@link #RETENTION} of the wall clock. An older point is history the API does not promise ("the last 24 h"), and
     * writing it does harm: its changelog record carries the input record's old timestamp, so the broker's time
     * retention of the changelog (the store's retention plus a day) deletes it at its next check, and with it the
     * exactly-once producer's sequence state for that partition; the producer's next batch there is then refused as
     * out of sequence (transactions v2, KAFKA-18202) and the task fails. RollupRestartIT, which replays March data,
     * hit this: 19 refusals on the raw-points changelog, and 2,708 hour rollups still missing after 200 s.
     */
    static boolean keeps(long eventTimeMs, long recordTimestampMs, long wallMs) {
        long oldestMs = wallMs - RETENTION_MS;
        return eventTimeMs >= oldestMs && recordTimestampMs >= oldestMs;
    }

    static StoreBuilder<WindowStore<String, RawPoint>> builder() {
        // Window size 1 ms: a point is an instant; retainDuplicates keeps every sample (it rules out caching).
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, RETENTION, Duration.ofMillis(1), true),
                Serdes.String(), RawPoint.serde());
    }
}
