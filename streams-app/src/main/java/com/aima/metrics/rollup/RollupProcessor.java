package com.aima.metrics.rollup;

import com.aima.metrics.DeadLetterHeaders;
import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.streams.Decoding;
import com.aima.metrics.streams.Decoding.UndecodableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Rolls raw metric events up into every tier. One instance per task (raw-topic partition); all state lives in
 * changelogged stores, so a restarted or moved task continues exactly where the last commit left it.
 *
 * <p>Time: the task's clock is the largest event time seen, persisted. A window of tier T closes when the clock
 * passes its end plus T's grace: its final rollup is emitted once, it moves to the closed store, and its aggregate
 * merges into the enclosing window of the next tier, so each tier is an exact merge of the one below. When the task
 * has had no record for {@code rollup.idle.timeout}, the clock follows the wall clock minus that timeout
 * (punctuation), so windows of silent partitions still close.
 *
 * <p>Late records (their hour window already closed) go to the late topic with what happened to them, and correct
 * every closed window they belong to: each gets its revision incremented and is emitted again; windows past their
 * tier's retention are not corrected. Undecodable and invalid records go to the dead-letter topic with the reason.
 */
final class RollupProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final String METRICS_SCOPE = "aima-rollup";

    private final RollupConfig config;
    private final Deserializer<MetricEvent> events;
    private final Sketches sketches;
    private final RawEventValidator validator;
    private final Map<Tier, OpenWindowStore> open = new EnumMap<>(Tier.class);
    private final Map<Tier, KeyValueStore<WindowKey, MetricRollup>> closed = new EnumMap<>(Tier.class);
    private final Map<Tier, Set<WindowKey>> updatedSinceEarlyResults = new EnumMap<>(Tier.class);
    private final long idleTimeoutMs;
    private final long earlyResultsIntervalMs;

    private ProcessorContext<Object, Object> context;
    private ClockStore clockStore;
    private WindowStore<String, RawPoint> rawPoints;
    private KeyValueStore<String, String> metricNames;
    /** Metric names known to be in {@link #metricNames}, so the hot path writes each name once per task start. */
    private final Set<String> knownMetricNames = new HashSet<>();
    private long clockMs;
    private long lastRecordWallMs;
    private long lastEarlyResultsWallMs;
    private long nextCloseAtMs = Long.MAX_VALUE;
    private Sensor deadLettered;
    private Sensor late;
    private Sensor emitted;
    private Sensor corrected;

    RollupProcessor(RollupConfig config, Deserializer<MetricEvent> events) {
        this.config = config;
        this.events = events;
        this.sketches = new Sketches(config.sketchRelativeAccuracy(), config.sketchMaxBins());
        this.validator = new RawEventValidator(config.maxFutureSkew(), sketches.maxTrackableValue());
        this.idleTimeoutMs = config.idleTimeout().toMillis();
        this.earlyResultsIntervalMs = config.earlyResultsInterval().toMillis();
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        for (Tier tier : Tier.values()) {
            open.put(tier, context.getStateStore(tier.openStore()));
            closed.put(tier, context.getStateStore(tier.closedStore()));
            updatedSinceEarlyResults.put(tier, new HashSet<>());
        }
        clockStore = context.getStateStore(RollupTopology.CLOCK_STORE);
        rawPoints = config.rawStoreEnabled() ? context.getStateStore(RawPoints.STORE) : null;
        metricNames = context.getStateStore(RollupTopology.METRIC_NAMES_STORE);
        clockMs = clockStore.get();
        lastRecordWallMs = context.currentSystemTimeMs();
        lastEarlyResultsWallMs = lastRecordWallMs;
        String task = context.taskId().toString();
        deadLettered = sensor(task, "dead-lettered");
        late = sensor(task, "late");
        emitted = sensor(task, "rollups-emitted");
        corrected = sensor(task, "rollups-corrected");
        recomputeNextClose();
        context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    private Sensor sensor(String task, String operation) {
        return context.metrics().addRateTotalSensor(METRICS_SCOPE, task, operation, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        MetricEvent event;
        try {
            event = Decoding.decode(events, context, record);
        } catch (UndecodableException e) {
            divert(record, source, RollupTopology.DEAD_LETTER_SINK, "Undecodable record: " + e.getMessage(),
                    deadLettered);
            return;
        }
        if (event == null) {
            divert(record, source, RollupTopology.DEAD_LETTER_SINK, "Record has no value.", deadLettered);
            return;
        }
        String problem = validator.problem(event, context.currentSystemTimeMs());
        if (problem != null) {
            divert(record, source, RollupTopology.DEAD_LETTER_SINK, problem, deadLettered);
            return;
        }
        lastRecordWallMs = context.currentSystemTimeMs();
        long eventTimeMs = event.getEventTime().toEpochMilli();
        advanceClock(eventTimeMs);

        long start = config.window(Tier.HOUR).startOf(eventTimeMs);
        WindowKey key = new WindowKey(start, SeriesKey.of(event.getName(), event.getLabels()));
        String name = event.getName();
        if (knownMetricNames.add(name)) {
            metricNames.putIfAbsent(name, event.getUnit());
        }
        if (rawPoints != null && RawPoints.keeps(eventTimeMs, record.timestamp(), lastRecordWallMs)) {
            rawPoints.put(key.series(), new RawPoint(event.getValue(), event.getUnit()), eventTimeMs);
        }
        Aggregate window = open.get(Tier.HOUR).aggregate(key);
        if (window != null) {
            window.add(event.getValue()); // the hot path: one sketch insert into the cached aggregate
            open.get(Tier.HOUR).put(key, window);
            markUpdated(Tier.HOUR, key);
            return;
        }
        Aggregate sample = Aggregate.empty(event.getName(), event.getUnit(), event.getLabels(), sketches);
        sample.add(event.getValue());
        if (isClosed(Tier.HOUR, start)) {
            String outcome = contribute(Tier.HOUR, start, key.series(), sample);
            divert(record, source, RollupTopology.LATE_SINK, "Event time " + event.getEventTime() + " is after the close"
                    + " of its " + Tier.HOUR.label() + " window (end + grace " + config.grace(Tier.HOUR) + " <= clock "
                    + Instant.ofEpochMilli(clockMs) + "). " + outcome, late);
        } else {
            mergeIntoOpen(Tier.HOUR, key, sample);
        }
    }

    private void advanceClock(long timeMs) {
        if (timeMs > clockMs) {
            clockMs = timeMs;
            clockStore.set(clockMs);
            if (clockMs >= nextCloseAtMs) {
                closeWindows();
            }
        }
    }

    private void punctuate(long wallClockMs) {
        if (wallClockMs - lastRecordWallMs >= idleTimeoutMs) {
            advanceClock(wallClockMs - idleTimeoutMs);
        }
        purgeExpired();
        if (earlyResultsIntervalMs > 0 && wallClockMs - lastEarlyResultsWallMs >= earlyResultsIntervalMs) {
            emitEarlyResults();
            lastEarlyResultsWallMs = wallClockMs;
        }
    }

    private boolean isClosed(Tier tier, long startMs) {
        return config.window(tier).endOf(startMs) + config.grace(tier).toMillis() <= clockMs;
    }

    private void mergeIntoOpen(Tier tier, WindowKey key, Aggregate delta) {
        OpenWindowStore store = open.get(tier);
        Aggregate aggregate = store.aggregate(key);
        if (aggregate == null) {
            aggregate = delta;
            aggregate.revision(0); // a new window starts at revision 0 whatever the revision of its first part
            long closeAt = config.window(tier).endOf(key.startMs()) + config.grace(tier).toMillis();
            nextCloseAtMs = Math.min(nextCloseAtMs, closeAt);
        } else {
            aggregate.merge(delta);
        }
        store.put(key, aggregate);
        markUpdated(tier, key);
    }

    private void markUpdated(Tier tier, WindowKey key) {
        if (earlyResultsIntervalMs > 0) {
            updatedSinceEarlyResults.get(tier).add(key);
        }
    }

    /** Closes, finest tier first, every open window whose end plus grace the clock has passed. */
    private void closeWindows() {
        for (Tier tier : Tier.values()) {
            for (WindowKey key : open.get(tier).keysStartingUpTo(clockMs)) {
                if (!isClosed(tier, key.startMs())) {
                    break; // keys are in window-start order
                }
                close(tier, key, open.get(tier).aggregate(key));
            }
        }
        recomputeNextClose();
    }

    private void close(Tier tier, WindowKey key, Aggregate aggregate) {
        MetricRollup rollup = emit(tier, key, aggregate, true);
        open.get(tier).delete(key);
        updatedSinceEarlyResults.get(tier).remove(key);
        if (!isExpired(tier, key.startMs())) {
            closed.get(tier).put(key, rollup);
        }
        Tier coarser = tier.coarser();
        if (coarser != null) {
            // The enclosing window is still open: with non-decreasing graces it closes with or after its parts, and
            // this pass closes the finer tiers first.
            long coarserStart = config.window(coarser).startOf(key.startMs());
            mergeIntoOpen(coarser, new WindowKey(coarserStart, key.series()), aggregate);
        }
    }

    /**
     * Adds {@code delta} to the window of {@code tier} starting at {@code startMs}: into it while open; else as a
     * correction (revision + 1, emitted again, passed on to the coarser tiers).
     *
     * @return what happened, for the late topic's reason header
     */
    private String contribute(Tier tier, long startMs, String series, Aggregate delta) {
        WindowKey key = new WindowKey(startMs, series);
        if (!isClosed(tier, startMs) || open.get(tier).aggregate(key) != null) {
            mergeIntoOpen(tier, key, delta);
            return tier.label() + ": added to the open window.";
        }
        String outcome;
        if (isExpired(tier, startMs)) {
            outcome = tier.label() + ": window past retention, not corrected.";
        } else {
            MetricRollup stored = closed.get(tier).get(key);
            Aggregate corrected = Aggregate.empty(delta.name(), delta.unit(), delta.labels(), sketches);
            if (stored != null) {
                corrected = Aggregate.of(stored, sketches);
                corrected.revision(stored.getRevision() + 1);
            }
            corrected.merge(delta);
            closed.get(tier).put(key, emit(tier, key, corrected, true));
            this.corrected.record();
            outcome = tier.label() + ": corrected, revision " + corrected.revision() + ".";
        }
        Tier coarser = tier.coarser();
        if (coarser == null) {
            return outcome;
        }
        return outcome + " " + contribute(coarser, config.window(coarser).startOf(startMs), series, delta);
    }

    private boolean isExpired(Tier tier, long startMs) {
        return tier.retention() != null && config.window(tier).endOf(startMs) <= clockMs - tier.retention().toMillis();
    }

    private MetricRollup emit(Tier tier, WindowKey key, Aggregate aggregate, boolean isFinal) {
        MetricRollup rollup = aggregate.toRollup(tier, key.startMs(), config.window(tier).endOf(key.startMs()),
                isFinal, sketches);
        context.forward(new Record<>(key.series(), rollup, key.startMs()), tier.sinkName());
        emitted.record();
        return rollup;
    }

    private void emitEarlyResults() {
        for (Tier tier : Tier.values()) {
            Set<WindowKey> updated = updatedSinceEarlyResults.get(tier);
            for (WindowKey key : updated) {
                Aggregate window = open.get(tier).aggregate(key);
                if (window != null) {
                    emit(tier, key, window, false);
                }
            }
            updated.clear();
        }
    }

    /** Deletes closed windows past their tier's retention: they can no longer be corrected. */
    private void purgeExpired() {
        for (Tier tier : Tier.values()) {
            if (tier.retention() == null) {
                continue;
            }
            List<WindowKey> expired = new ArrayList<>();
            try (KeyValueIterator<WindowKey, MetricRollup> windows = closed.get(tier).all()) {
                while (windows.hasNext()) {
                    WindowKey key = windows.next().key;
                    if (!isExpired(tier, key.startMs())) {
                        break;
                    }
                    expired.add(key);
                }
            }
            expired.forEach(closed.get(tier)::delete);
        }
    }

    private void recomputeNextClose() {
        long next = Long.MAX_VALUE;
        for (Tier tier : Tier.values()) {
            Long start = open.get(tier).oldestStart();
            if (start != null) {
                next = Math.min(next, config.window(tier).endOf(start) + config.grace(tier).toMillis());
            }
        }
        nextCloseAtMs = next;
    }

    private void divert(Record<byte[], byte[]> record, RecordMetadata source, String sink, String reason,
                        Sensor sensor) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.annotate(headers, source.topic(), source.partition(), source.offset(), reason);
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers), sink);
        sensor.record();
    }

    @Override
    public void close() {
        events.close();
    }
}
