package com.aima.metrics.alert;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.streams.Decoding;
import com.aima.metrics.streams.Decoding.UndecodableException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The derived series {@value #METRIC}: failed ÷ finished jobs over a sliding window of event time (seed 004 section
 * 5.3.2: "error rate above 5 % in the last 5 minutes"), published to the raw topic like any metric, so that alert
 * rules, rollups and dashboards see it. A job is finished when it COMPLETED or FAILED; a CANCELLED job is neither a
 * success nor an error and is left out.
 *
 * <p>Two steps: {@link Outcomes} turns job events into outcomes keyed by one constant key, so that after a
 * repartition into one partition every finished job of the platform reaches one {@link Window}. The window counts
 * outcomes in one-second buckets of a changelogged store (an outcome counts while its second is in the window) and publishes the rate after every outcome, and every emit
 * interval (wall clock) while no job finishes, so that the rate falls as old failures leave the window: to 0 % once
 * the window is empty.
 */
public final class JobErrorRate {

    /** Name of the derived metric. */
    public static final String METRIC = "job_error_rate_percent";
    /** The key every outcome is repartitioned by: the error rate is one platform-wide series. */
    static final String ALL_JOBS = "all";
    static final String FAILED = "failed";
    static final String COMPLETED = "completed";
    private static final long BUCKET_MS = 1_000;
    /** Who publishes the derived series. */
    private static final Source SOURCE = Source.newBuilder().setHost("streams-app").setCollectorId("job-error-rate")
            .setKind(SourceKind.JOB).build();

    private JobErrorRate() {
    }

    /** Job events → "failed" or "completed" under {@link #ALL_JOBS}, at the event's time; other events dropped. */
    static final class Outcomes implements Processor<String, byte[], String, String> {

        private final Deserializer<JobEvent> jobs;
        private ProcessorContext<String, String> context;

        Outcomes(Deserializer<JobEvent> jobs) {
            this.jobs = jobs;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            JobEvent job;
            try {
                job = Decoding.decode(jobs, context, record);
            } catch (UndecodableException e) {
                return; // not a job event; the jobs topic's consumers that own it dead-letter it
            }
            if (job == null) {
                return;
            }
            if (job.getType() == JobEventType.COMPLETED || job.getType() == JobEventType.FAILED) {
                context.forward(new Record<>(ALL_JOBS, job.getType() == JobEventType.FAILED ? FAILED : COMPLETED,
                        job.getEventTime().toEpochMilli()));
            }
        }
    }

    /** Counts outcomes in a sliding window and publishes the rate as a {@link MetricEvent}. */
    static final class Window implements Processor<String, String, String, MetricEvent> {

        private final AlertConfig config;
        private final long windowMs;
        /** Bucket start → {finished, failed}; mirrors the store. */
        private final TreeMap<Long, long[]> buckets = new TreeMap<>();
        private ProcessorContext<String, MetricEvent> context;
        private KeyValueStore<Long, String> store;
        private long clockMs = -1;
        private long lastArrivalMs;
        private long lastEmittedMs = -1;
        private boolean emptyReported;

        Window(AlertConfig config) {
            this.config = config;
            this.windowMs = config.errorRateWindow().toMillis();
        }

        @Override
        public void init(ProcessorContext<String, MetricEvent> context) {
            this.context = context;
            store = context.getStateStore(AlertTopology.JOB_OUTCOME_STORE);
            try (KeyValueIterator<Long, String> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<Long, String> bucket = all.next();
                    String[] counts = bucket.value.split(",");
                    buckets.put(bucket.key, new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1])});
                    clockMs = Math.max(clockMs, bucket.key);
                }
            }
            lastArrivalMs = context.currentSystemTimeMs();
            emptyReported = buckets.isEmpty();
            context.schedule(config.errorRateEmitInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }

        @Override
        public void process(Record<String, String> record) {
            long timeMs = record.timestamp();
            lastArrivalMs = context.currentSystemTimeMs();
            clockMs = Math.max(clockMs, timeMs);
            long bucket = timeMs - Math.floorMod(timeMs, BUCKET_MS);
            if (bucket < clockMs - windowMs) {
                return; // older than the window: it no longer counts
            }
            long[] counts = buckets.computeIfAbsent(bucket, b -> new long[2]);
            counts[0]++;
            if (FAILED.equals(record.value())) {
                counts[1]++;
            }
            store.put(bucket, counts[0] + "," + counts[1]);
            publish(clockMs);
        }

        private void punctuate(long nowMs) {
            if (clockMs < 0 || (buckets.isEmpty() && emptyReported)) {
                return;
            }
            publish(clockMs + Math.max(0, nowMs - lastArrivalMs));
        }

        /** Drops buckets that left the window ending at {@code nowMs} and publishes the rate over the rest. */
        private void publish(long nowMs) {
            Map<Long, long[]> expired = buckets.headMap(nowMs - windowMs, false);
            expired.keySet().forEach(store::delete);
            expired.clear();
            long finished = 0;
            long failed = 0;
            for (long[] counts : buckets.values()) {
                finished += counts[0];
                failed += counts[1];
            }
            emptyReported = finished == 0;
            long timeMs = Math.max(nowMs, lastEmittedMs);
            lastEmittedMs = timeMs;
            double percent = finished == 0 ? 0 : 100.0 * failed / finished;
            MetricEvent rate = MetricEvent.newBuilder()
                    .setName(METRIC)
                    .setValue(percent)
                    .setUnit("percent")
                    .setEventTime(Instant.ofEpochMilli(timeMs))
                    .setLabels(Map.of())
                    .setSource(SOURCE)
                    .build();
            context.forward(new Record<>(SeriesKey.of(METRIC, Map.of()), rate, timeMs));
        }
    }
}
