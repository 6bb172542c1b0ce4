package com.aima.metrics.alert;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.alert.AlertTracker.SeriesState;
import com.aima.metrics.alert.AlertTracker.Step;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.streams.Decoding;
import com.aima.metrics.streams.Decoding.UndecodableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules on raw metric events, one instance per task (raw-topic partition: a series' samples all
 * reach the same instance). Each sample of a watched series steps its alert instance by event time
 * ({@link AlertTracker#observe}); a wall-clock punctuation steps every instance without samples
 * ({@link AlertTracker#tick}), so alerts fire, resolve and report silence when records stop. Pending and firing
 * instances (and every series an absent rule watches) live in a changelogged store, written in the same exactly-once
 * transaction as the {@link AlertEvent}s they cause: after a crash neither a pending {@code for} timer is lost nor a
 * notification sent twice.
 *
 * <p>Instances of a rule that was removed from the rules file resolve at the next punctuation; undecodable records
 * are skipped and counted (the rollup application dead-letters them).
 */
final class AlertProcessor implements Processor<String, byte[], String, AlertEvent> {

    private static final Logger log = LoggerFactory.getLogger(AlertProcessor.class);
    private static final String METRICS_SCOPE = "aima-alerts";

    private final Supplier<RuleSet> rules;
    private final Deserializer<MetricEvent> events;
    private final AlertConfig config;

    private ProcessorContext<String, AlertEvent> context;
    private KeyValueStore<String, AlertSeries> store;
    private long startedMs;
    private Sensor fired;
    private Sensor resolved;
    private Sensor skipped;

    AlertProcessor(Supplier<RuleSet> rules, Deserializer<MetricEvent> events, AlertConfig config) {
        this.rules = rules;
        this.events = events;
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, AlertEvent> context) {
        this.context = context;
        store = context.getStateStore(AlertTopology.ALERT_STORE);
        startedMs = context.currentSystemTimeMs();
        String task = context.taskId().toString();
        fired = sensor(task, "alerts-fired");
        resolved = sensor(task, "alerts-resolved");
        skipped = sensor(task, "records-skipped");
        context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    private Sensor sensor(String task, String operation) {
        return context.metrics().addRateTotalSensor(METRICS_SCOPE, task, operation, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        MetricEvent event;
        try {
            event = Decoding.decode(events, context, record);
        } catch (UndecodableException e) {
            skipped.record();
            return;
        }
        if (event == null || !Double.isFinite(event.getValue())) {
            skipped.record();
            return;
        }
        List<AlertRule> watching = rules.get().watching(event.getName());
        if (watching.isEmpty()) {
            return;
        }
        String seriesKey = SeriesKey.of(event.getName(), event.getLabels());
        long timeMs = event.getEventTime().toEpochMilli();
        long arrivalMs = context.currentSystemTimeMs();
        for (AlertRule rule : watching) {
            if (!rule.watches(event.getName(), event.getLabels())) {
                continue;
            }
            String key = AlertSeries.storeKey(rule.name(), seriesKey);
            AlertSeries stored = store.get(key);
            SeriesState state = stored == null ? SeriesState.INACTIVE : stored.state();
            Step step = AlertTracker.observe(rule, state, event.getValue(), timeMs, arrivalMs);
            AlertSeries series = stored != null ? stored
                    : new AlertSeries(rule.name(), event.getName(), event.getLabels(), state);
            apply(rule, key, seriesKey, series, stored != null, step);
        }
    }

    private void punctuate(long nowMs) {
        RuleSet current = rules.get();
        List<KeyValue<String, AlertSeries>> entries = new ArrayList<>();
        try (KeyValueIterator<String, AlertSeries> all = store.all()) {
            all.forEachRemaining(entries::add); // not written while iterating
        }
        for (KeyValue<String, AlertSeries> entry : entries) {
            AlertSeries series = entry.value;
            String seriesKey = series.seriesKey(entry.key);
            AlertRule rule = current.named(series.rule());
            if (rule == null || !rule.watches(series.metric(), series.labels())) {
                retire(entry.key, seriesKey, series, rule, nowMs);
                continue;
            }
            apply(rule, entry.key, seriesKey, series, true,
                    AlertTracker.tick(rule, series.state(), nowMs, startedMs, config.staleness().toMillis()));
        }
    }

    /**
     * Stores the step's state, or deletes it when there is nothing to remember (neither pending nor firing: only
     * absent rules need every series they have seen), and emits the step's notification.
     */
    private void apply(AlertRule rule, String key, String seriesKey, AlertSeries series, boolean stored, Step step) {
        SeriesState next = step.next();
        boolean keep = next != null && (rule.absent() || next.firing() || next.pending());
        if (!keep) {
            if (stored) {
                store.delete(key);
            }
        } else if (!stored || !next.equals(series.state())) {
            store.put(key, series.with(next));
        }
        if (step.emitted() != null) {
            emit(rule, series, seriesKey, step.emitted(), step.value(), step.startedMs(), step.endedMs());
        }
    }

    /** A rule that is gone, or no longer watches the series: a firing alert resolves, the state goes. */
    private void retire(String key, String seriesKey, AlertSeries series, AlertRule rule, long nowMs) {
        store.delete(key);
        if (series.state().firing()) {
            AlertRule last = rule != null ? rule : removedRule(series);
            log.info("Alert rule {} no longer watches {}: resolving its alert.", series.rule(), seriesKey);
            emit(last, series, seriesKey, AlertState.RESOLVED, series.state().lastValue(),
                    series.state().firingSinceMs(), Math.max(nowMs, series.state().lastSeenMs()));
        }
    }

    /** A stand-in for a rule removed from the file, to describe the resolution of its alerts. */
    private static AlertRule removedRule(AlertSeries series) {
        return new AlertRule(series.rule(), series.metric(), List.of(), Condition.NE, 0, null, null,
                Severity.INFO, List.of(),
                new Template("{{rule}} was removed; its alert on {{metric}} resolves"), null);
    }

    private void emit(AlertRule rule, AlertSeries series, String seriesKey, AlertState state, double value,
                      long startedMs, long endedMs) {
        double reported = Double.isFinite(value) ? value : 0;
        AlertEvent alert = AlertEvent.newBuilder()
                .setFingerprint(AlertSeries.fingerprint(rule.name(), seriesKey))
                .setRule(rule.name())
                .setState(state)
                .setSeverity(rule.severity())
                .setMetric(series.metric())
                .setLabels(series.labels())
                .setValue(reported)
                .setCondition(rule.condition().code())
                .setThreshold(rule.threshold())
                .setForMs(rule.forDuration().toMillis())
                .setStartsAt(Instant.ofEpochMilli(startedMs))
                .setEndsAt(state == AlertState.RESOLVED ? Instant.ofEpochMilli(endedMs) : null)
                .setSummary(rule.summary().render(rule, reported, series.labels()))
                .setDescription(rule.description() == null ? null
                        : rule.description().render(rule, reported, series.labels()))
                .setChannels(List.copyOf(rule.channels()))
                .build();
        long timestamp = state == AlertState.FIRING ? startedMs : endedMs;
        context.forward(new Record<>(alert.getFingerprint(), alert, Math.max(0, timestamp)));
        (state == AlertState.FIRING ? fired : resolved).record();
        log.info("{} {} {} {}: {}", state, rule.severity().name().toLowerCase(Locale.ROOT), rule.name(), seriesKey,
                alert.getSummary());
    }
}
