package com.aima.metrics.cost;

/**
 * A project's budget in millionths of the catalog's currency: per calendar month (UTC) and optionally per UTC day.
 *
 * @param dailyMicros null when the project has no daily budget
 */
public record Budget(String project, long monthlyMicros, Long dailyMicros) {
}
