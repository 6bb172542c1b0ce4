package com.aima.metrics.rollup;

import com.aima.metrics.schema.MetricEvent;
import java.time.Duration;
import java.time.Instant;

/** Rejects raw events the rollups cannot use; each reason names the field and its value. */
final class RawEventValidator {

    private final long maxFutureSkewMs;

    RawEventValidator(Duration maxFutureSkew) {
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    /** Why {@code event} is unusable, or null when it is fine. */
    String problem(MetricEvent event, long nowMs) {
        if (event.getName() == null || event.getName().isBlank()) {
            return "Field 'name' is empty.";
        }
        double value = event.getValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "Field 'value' of metric '" + event.getName() + "' is " + value + "; only finite numbers roll up.";
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
