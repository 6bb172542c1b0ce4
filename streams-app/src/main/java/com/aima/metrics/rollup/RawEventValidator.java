package com.aima.metrics.rollup;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.MetricEvent;
import java.time.Duration;
import java.time.Instant;

/** Rejects raw events the rollups cannot use; each reason names the field and its value. */
final class RawEventValidator {

    private final long maxFutureSkewMs;
    private final double maxMagnitude;

    /**
     * @param maxFutureSkew how far ahead of the wall clock an event time may be
     * @param maxMagnitude  the largest absolute value the quantile sketch can track
     */
    RawEventValidator(Duration maxFutureSkew, double maxMagnitude) {
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
        this.maxMagnitude = maxMagnitude;
    }

    /** Why {@code event} is unusable, or null when it is fine. */
    String problem(MetricEvent event, long nowMs) {
        if (event.getName() == null || event.getName().isBlank()) {
            return "Field 'name' is empty.";
        }
        if (!SeriesKey.METRIC_NAME.matcher(event.getName()).matches()) {
            return "Field 'name' is '" + event.getName() + "'; metric names match " + SeriesKey.METRIC_NAME + ".";
        }
        for (String label : event.getLabels().keySet()) {
            if (!SeriesKey.LABEL_NAME.matcher(label).matches()) {
                return "Label name '" + label + "' of metric '" + event.getName() + "' does not match "
                        + SeriesKey.LABEL_NAME + ".";
            }
        }
        double value = event.getValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "Field 'value' of metric '" + event.getName() + "' is " + value + "; only finite numbers roll up.";
        }
        if (Math.abs(value) > maxMagnitude) {
            return "Field 'value' of metric '" + event.getName() + "' is " + value + ", beyond the " + maxMagnitude
                    + " that the quantile sketch can track.";
        }
        long eventTime = event.getEventTime().toEpochMilli();
        if (eventTime < 0) {
            return "Field 'eventTime' of metric '" + event.getName() + "' is " + event.getEventTime()
                    + ", before 1970.";
        }
        if (eventTime > nowMs + maxFutureSkewMs) {
            return "Field 'eventTime' of metric '" + event.getName() + "' is " + event.getEventTime() + ", more than "
                    + Duration.ofMillis(maxFutureSkewMs) + " ahead of the clock (" + Instant.ofEpochMilli(nowMs)
                    + ").";
        }
        return null;
    }
}
