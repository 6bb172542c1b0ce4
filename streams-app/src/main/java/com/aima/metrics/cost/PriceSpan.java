package com.aima.metrics.cost;

import java.time.Instant;

/**
 * A stretch of time [start, end) over which one rate is in force for one {@link PriceKey}; {@code rate} is null when
 * no price is in force (the time is unpriced).
 */
public record PriceSpan(Instant start, Instant end, Rate rate) {
}
