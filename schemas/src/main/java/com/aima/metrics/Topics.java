package com.aima.metrics;

import java.time.Duration;
import java.util.List;

/**
 * Names and retention of the pipeline's topics, shared by every module and its tests so that no name is typed twice.
 * Retention follows seed 004 section 4.1: raw 24 h, hourly rollups 7 days, daily 30 days, monthly 1 year, yearly
 * unlimited.
 */
public final class Topics {

    /** Raw {@code MetricEvent}s from the collectors, keyed by series ({@link SeriesKey}). */
    public static final String METRICS_RAW = "aima.metrics.raw";
    /** Raw records the rollup application could not use, with the reason in headers. */
    public static final String METRICS_DLQ = "aima.metrics.raw.dlq";
    /** Raw records that arrived after their window closed, with the reason in headers. */
    public static final String METRICS_LATE = "aima.metrics.late";
    /** {@code JobEvent}s from the media workers, keyed by job id. */
    public static final String JOBS = "aima.jobs";
    /** Job events the cost engine could not use (undecodable, contradicting the job's history), with the reason in headers. */
    public static final String JOBS_DLQ = "aima.jobs.dlq";
    /**
     * {@code CostRecord}s from the cost engine: device-hours, job costs, cost per media minute, budget use, estimate
     * accuracy and provider options, keyed by what they are about (device, job, project, analysis type).
     */
    public static final String COSTS = "aima.costs";
    /** Hourly {@code MetricRollup}s, keyed by series. */
    public static final String ROLLUPS_HOUR = "aima.rollups.1h";
    /** Daily {@code MetricRollup}s, keyed by series. */
    public static final String ROLLUPS_DAY = "aima.rollups.1d";
    /** Calendar-month {@code MetricRollup}s (UTC), keyed by series. */
    public static final String ROLLUPS_MONTH = "aima.rollups.1mo";
    /** Calendar-year {@code MetricRollup}s (UTC), keyed by series. */
    public static final String ROLLUPS_YEAR = "aima.rollups.1y";

    /** {@code AlertEvent}s from the alert engine, keyed by the alert's fingerprint: one FIRING and one RESOLVED each. */
    public static final String ALERTS = "aima.alerts";

    /**
     * {@code AuditEvent}s from the metrics REST API, keyed by the caller's subject: every access, who, what, when and
     * the result (seed 004 section 7.2).
     */
    public static final String AUDIT = "aima.audit";

    /** Retention of {@link #METRICS_RAW} (spec: 24 h). */
    public static final Duration RAW_RETENTION = Duration.ofHours(24);
    /** Retention of the dead-letter and late topics: a week to look at and replay them. */
    public static final Duration DIAGNOSTIC_RETENTION = Duration.ofDays(7);
    /** Retention of {@link #JOBS}: long enough for a month-end cost run over the month's jobs. */
    public static final Duration JOBS_RETENTION = Duration.ofDays(35);
    /** Retention of {@link #ALERTS}: a month of alert history to look back on and to replay to a new channel. */
    public static final Duration ALERTS_RETENTION = Duration.ofDays(30);
    /** Retention of {@link #COSTS}: a year of cost history, like the monthly rollups; S3 keeps it longer. */
    public static final Duration COSTS_RETENTION = Duration.ofDays(366);
    /** Retention of {@link #AUDIT}: a year of access history for reviews; S3 keeps it longer. */
    public static final Duration AUDIT_RETENTION = Duration.ofDays(366);
    /** Retention of hourly rollups (spec: 7 days). */
    public static final Duration HOUR_RETENTION = Duration.ofDays(7);
    /** Retention of daily rollups (spec: 30 days). */
    public static final Duration DAY_RETENTION = Duration.ofDays(30);
    /** Retention of monthly rollups (spec: 1 year; 366 days so a leap year's months fit). */
    public static final Duration MONTH_RETENTION = Duration.ofDays(366);

    /** Every topic the pipeline owns, with its retention; null retention means unlimited. */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(METRICS_RAW, RAW_RETENTION),
            new TopicSpec(METRICS_DLQ, DIAGNOSTIC_RETENTION),
            new TopicSpec(METRICS_LATE, DIAGNOSTIC_RETENTION),
            new TopicSpec(JOBS, JOBS_RETENTION),
            new TopicSpec(JOBS_DLQ, DIAGNOSTIC_RETENTION),
            new TopicSpec(COSTS, COSTS_RETENTION),
            new TopicSpec(ALERTS, ALERTS_RETENTION),
            new TopicSpec(AUDIT, AUDIT_RETENTION),
            new TopicSpec(ROLLUPS_HOUR, HOUR_RETENTION),
            new TopicSpec(ROLLUPS_DAY, DAY_RETENTION),
            new TopicSpec(ROLLUPS_MONTH, MONTH_RETENTION),
            new TopicSpec(ROLLUPS_YEAR, null));

    /** A topic and its retention (null: unlimited). */
    public record TopicSpec(String name, Duration retention) {

        /** The topic's {@code retention.ms}: -1 for unlimited. */
        public long retentionMs() {
            return retention == null ? -1 : retention.toMillis();
        }
    }

    private Topics() {
    }
}
