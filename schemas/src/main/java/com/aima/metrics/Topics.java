package com.aima.metrics;

import java.time.Duration;

/**
 * Names and retention of the pipeline's topics, shared by every module and its tests so that no name is typed twice.
 * Retention follows seed 004 section 4.1: raw data is kept 24 hours.
 */
public final class Topics {

    /** Raw {@code MetricEvent}s from the collectors, keyed by series (metric name and sorted labels). */
    public static final String METRICS_RAW = "aima.metrics.raw";

    /** {@code JobEvent}s from the media workers, keyed by job id. */
    public static final String JOBS = "aima.jobs";

    /** How long raw metrics are kept on {@link #METRICS_RAW} (spec: 24 h). */
    public static final Duration RAW_RETENTION = Duration.ofHours(24);

    /**
     * How long job events are kept on {@link #JOBS}: long enough for a month-end cost run over the month's jobs.
     */
    public static final Duration JOBS_RETENTION = Duration.ofDays(35);

    private Topics() {
    }
}
