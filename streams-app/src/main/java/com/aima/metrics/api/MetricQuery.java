package com.aima.metrics.api;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.rollup.Tier;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One validated query of {@code /metrics/raw/{metric}} or {@code /metrics/aggregated/{metric}}: the metric, the tier
 * (null for raw points), the label filter, the time range [{@code fromMs}, {@code toMs}) and the row limit.
 *
 * @param metric the metric name (valid per {@link SeriesKey#METRIC_NAME})
 * @param tier   the rollup tier of an aggregated query; null for raw points
 * @param labels label equalities every returned series must have (a series may have more labels, unless exact)
 * @param exact  whether {@code labels} are the series' complete labels: one series, answered by the instance owning it
 * @param fromMs inclusive start, ms since the epoch: raw points by event time, rollups by window start
 * @param toMs   exclusive end
 * @param limit  the most rows returned
 */
public record MetricQuery(String metric, Tier tier, Map<String, String> labels, boolean exact, long fromMs, long toMs,
                          int limit) {

    public MetricQuery {
        labels = Map.copyOf(labels);
    }

    /** Whether this asks for raw points. */
    public boolean raw() {
        return tier == null;
    }

    /** The one series an exact query names, else null. */
    public String exactSeries() {
        return exact ? SeriesKey.of(metric, labels) : null;
    }

    /** Whether the series {@code seriesKey} (of this query's metric) passes the label filter. */
    public boolean matches(String seriesKey) {
        if (exact) {
            return seriesKey.equals(exactSeries());
        }
        if (labels.isEmpty()) {
            return true;
        }
        Map<String, String> actual = SeriesKey.parse(seriesKey).labels();
        return labels.entrySet().stream().allMatch(label -> label.getValue().equals(actual.get(label.getKey())));
    }

    /**
     * The query string that asks another instance for exactly this query: the times and the limit pinned, so that
     * defaults taken from the clock cannot differ between instances.
     */
    public String toQueryString() {
        StringBuilder query = new StringBuilder();
        query.append("start_time=").append(Instant.ofEpochMilli(fromMs))
                .append("&end_time=").append(Instant.ofEpochMilli(toMs))
                .append("&limit=").append(limit);
        if (tier != null) {
            query.append("&interval=").append(tier.label());
        }
        if (!labels.isEmpty()) {
            String filter = new TreeMap<>(labels).entrySet().stream()
                    .map(label -> label.getKey() + "=" + label.getValue()).collect(Collectors.joining(","));
            query.append("&labels=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8));
        }
        if (exact) {
            query.append("&match=exact");
        }
        return query.toString();
    }
}
