package com.aima.metrics.collector;

import com.aima.metrics.schema.MetricEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every {@link MetricSource} metric at its own interval (the source's default unless configured) and hands
 * the events to the {@link EventSink}. Metrics of one source that
 * share an interval are read in one call. Samples fall on multiples of the interval since the epoch, so that every
 * node samples at the same instants. A source that throws is logged and counted, and tried again at its next turn.
 *
 * <p>{@link #runDue} is the whole schedule, driven by the caller's clock: {@link Collector} calls it from one thread
 * at the instant it returned; tests call it with the instants they choose.
 */
public final class SampleScheduler {

    private static final Logger log = LoggerFactory.getLogger(SampleScheduler.class);

    private final List<Task> tasks = new ArrayList<>();
    private final EventSink sink;

    /** One source's metrics that share an interval, and when they are due next. */
    private static final class Task {
        final MetricSource source;
        final Duration interval;
        final Set<String> metrics;
        final Health health;
        Instant due;

        Task(MetricSource source, Duration interval, Set<String> metrics, Health health) {
            this.source = source;
            this.interval = interval;
            this.metrics = metrics;
            this.health = health;
        }
    }

    /** What one source has done so far. */
    public record Health(String source, AtomicLong samples, AtomicLong events, AtomicLong errors) {
        Health(String source) {
            this(source, new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private final Map<String, Health> health = new TreeMap<>();

    /**
     * @param sources   the sources to sample
     * @param intervals configured intervals by metric name, overriding the sources' defaults; a name no source knows
     *                  is an error
     * @param sink      where the events go
     * @param start     the first instant samples may fall on
     * @throws IllegalArgumentException for an interval of a metric no source reads, or one not positive
     */
    public SampleScheduler(List<MetricSource> sources, Map<String, Duration> intervals, EventSink sink,
                           Instant start) {
        this.sink = sink;
        Set<String> known = new TreeSet<>();
        for (MetricSource source : sources) {
            known.addAll(source.defaultIntervals().keySet());
        }
        for (Map.Entry<String, Duration> configured : intervals.entrySet()) {
            if (!known.contains(configured.getKey())) {
                throw new IllegalArgumentException("intervals: no source collects a metric named '"
                        + configured.getKey() + "'; known metrics: " + known + ".");
            }
            if (configured.getValue().isNegative() || configured.getValue().isZero()
                    || configured.getValue().toMillis() == 0) {
                throw new IllegalArgumentException("intervals." + configured.getKey() + ": '" + configured.getValue()
                        + "' is not a positive interval of at least 1 ms.");
            }
        }
        for (MetricSource source : sources) {
            Health sourceHealth = health.computeIfAbsent(source.name(), Health::new);
            Map<Duration, Set<String>> byInterval = new TreeMap<>();
            source.defaultIntervals().forEach((metric, interval) -> byInterval
                    .computeIfAbsent(intervals.getOrDefault(metric, interval), i -> new TreeSet<>()).add(metric));
            byInterval.forEach((interval, metrics) -> {
                Task task = new Task(source, interval, Set.copyOf(metrics), sourceHealth);
                task.due = alignUp(start, interval);
                tasks.add(task);
                log.info("Sampling {} every {}: {}", source.name(), interval, metrics);
            });
        }
    }

    /**
     * Samples every task due at or before {@code now} and returns the instant the next one is due. A task that fell
     * more than one interval behind (the process was suspended) samples once and skips to its next slot after now.
     */
    public Instant runDue(Instant now) {
        Instant next = Instant.MAX;
        for (Task task : tasks) {
            if (!task.due.isAfter(now)) {
                run(task, task.due);
                task.due = task.due.plus(task.interval);
                if (!task.due.isAfter(now)) {
                    task.due = alignUp(now.plusMillis(1), task.interval);
                }
            }
            if (task.due.isBefore(next)) {
                next = task.due;
            }
        }
        return next;
    }

    /** Per source: samples taken, events produced and failed samples. */
    public Map<String, Health> health() {
        return Map.copyOf(health);
    }

    private void run(Task task, Instant at) {
        try {
            List<MetricEvent> events = task.source.sample(task.metrics, at);
            if (!events.isEmpty()) {
                sink.publishMetrics(events);
            }
            task.health.samples().incrementAndGet();
            task.health.events().addAndGet(events.size());
        } catch (RuntimeException | LinkageError e) { // LinkageError: a native function the library lacks
            long errors = task.health.errors().incrementAndGet();
            if (Long.bitCount(errors) == 1) { // 1st, 2nd, 4th, 8th ... failure: a broken source does not flood the log
                log.warn("Sampling {} {} failed ({} failures so far): {}", task.source.name(), task.metrics, errors,
                        e.toString(), e);
            }
        }
    }

    /** The first multiple of {@code interval} since the epoch at or after {@code instant}. */
    static Instant alignUp(Instant instant, Duration interval) {
        long millis = instant.toEpochMilli();
        long step = interval.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(millis + step - 1, step) * step);
    }
}
