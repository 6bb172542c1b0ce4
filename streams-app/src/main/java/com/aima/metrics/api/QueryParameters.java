package com.aima.metrics.api;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.cost.CostViews.View;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.rollup.Tier;
import com.aima.metrics.rollup.WindowScheme;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads and validates the query parameters of the metric endpoints. Every refusal is a 400 {@link ApiException}
 * naming the parameter and its value, and what is accepted instead.
 */
public final class QueryParameters {

    public static final String START_TIME = "start_time";
    public static final String END_TIME = "end_time";
    public static final String LABELS = "labels";
    public static final String LIMIT = "limit";
    public static final String INTERVAL = "interval";
    public static final String MATCH = "match";
    /** The range before end_time (default: now) when a query names no start_time: an hour (seed 004 section 5.2). */
    public static final Duration DEFAULT_RANGE = Duration.ofHours(1);

    /** The range before end_time when a cost query names no start_time: a day. */
    public static final Duration DEFAULT_COST_RANGE = Duration.ofDays(1);

    private static final Set<String> COST_PARAMETERS = Set.of(START_TIME, END_TIME, LABELS, LIMIT,
            CostQuery.PROJECT, CostQuery.JOB_ID, CostQuery.PROVIDER, CostQuery.GPU_TYPE, CostQuery.ANALYSIS_TYPE);
    private static final Set<String> RAW_PARAMETERS = Set.of(START_TIME, END_TIME, LABELS, LIMIT, MATCH);
    private static final Set<String> AGGREGATED_PARAMETERS = Set.of(START_TIME, END_TIME, LABELS, LIMIT, MATCH,
            INTERVAL);

    private final int limitDefault;
    private final int limitMax;
    private final int maxWindows;
    private final Function<Tier, WindowScheme> windows;

    /**
     * @param limitDefault rows when no limit is named
     * @param limitMax     the largest limit accepted
     * @param maxWindows   the most windows an aggregated query may span
     * @param windows      each tier's windows (the rollup configuration)
     */
    public QueryParameters(int limitDefault, int limitMax, int maxWindows, Function<Tier, WindowScheme> windows) {
        this.limitDefault = limitDefault;
        this.limitMax = limitMax;
        this.maxWindows = maxWindows;
        this.windows = windows;
    }

    /** The parameters of a raw query string ({@code a=1&b=2}, percent-encoded); a repeated parameter is refused. */
    public static Map<String, String> split(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
            if (parameters.put(name, value) != null) {
                throw ApiException.badParameter(name, "Parameter '" + name + "' is given more than once.");
            }
        }
        return parameters;
    }

    /** The metric in a path, checked against the metric name rules. */
    public static String metric(String name) {
        if (!SeriesKey.METRIC_NAME.matcher(name).matches()) {
            throw ApiException.badParameter("metric_name", "'" + name + "' is not a metric name: letters, digits,"
                    + " '_' and ':', not starting with a digit.");
        }
        return name;
    }

    /**
     * The query of {@code /metrics/raw/{metric}} ({@code tier} null) or {@code /metrics/aggregated/{metric}}.
     *
     * @param now the time the default range ends at
     */
    public MetricQuery parse(String metric, Map<String, String> parameters, boolean aggregated, Instant now) {
        onlyKnown(parameters, aggregated ? AGGREGATED_PARAMETERS : RAW_PARAMETERS);
        Instant[] range = range(parameters, now, DEFAULT_RANGE);
        Instant start = range[0];
        Instant end = range[1];
        Tier tier = aggregated ? tier(parameters.get(INTERVAL)) : null;
        if (tier != null) {
            WindowScheme scheme = windows.apply(tier);
            long count = 0;
            for (long window = scheme.startOf(start.toEpochMilli()); window < end.toEpochMilli() && count <= maxWindows;
                 window = scheme.endOf(window)) {
                count++;
            }
            if (count > maxWindows) {
                throw ApiException.badParameter(START_TIME, "start_time " + start + " to end_time " + end
                        + " spans more than " + maxWindows + " windows of interval " + tier.label() + ": narrow the"
                        + " range or take a coarser interval.");
            }
        }
        boolean exact = match(parameters.get(MATCH));
        Map<String, String> labels = labels(parameters.get(LABELS));
        return new MetricQuery(metric(metric), tier, labels, exact, start.toEpochMilli(), end.toEpochMilli(),
                limit(parameters.get(LIMIT)));
    }

    /**
     * The query of {@code /costs/{view}}: the time range (default: the day before now), the filters {@code project},
     * {@code job_id}, {@code provider}, {@code gpu_type}, {@code analysis_type} and {@code labels}, and the limit.
     */
    public CostQuery parseCosts(View view, Map<String, String> parameters, Instant now) {
        onlyKnown(parameters, COST_PARAMETERS);
        Instant[] range = range(parameters, now, DEFAULT_COST_RANGE);
        String analysisType = parameters.get(CostQuery.ANALYSIS_TYPE);
        if (analysisType != null) {
            String upper = analysisType.trim().toUpperCase(Locale.ROOT);
            if (Arrays.stream(AnalysisType.values()).noneMatch(type -> type.name().equals(upper))) {
                throw ApiException.badParameter(CostQuery.ANALYSIS_TYPE, "analysis_type '" + analysisType
                        + "' is not one of " + Arrays.stream(AnalysisType.values())
                        .map(type -> type.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ".");
            }
            analysisType = upper;
        }
        return new CostQuery(view, range[0].toEpochMilli(), range[1].toEpochMilli(),
                filter(parameters, CostQuery.PROJECT), filter(parameters, CostQuery.JOB_ID),
                filter(parameters, CostQuery.PROVIDER), filter(parameters, CostQuery.GPU_TYPE), analysisType,
                labels(parameters.get(LABELS)), limit(parameters.get(LIMIT)));
    }

    /** Refuses the first parameter not in {@code known} (400 naming it, and what the endpoint takes). */
    static void onlyKnown(Map<String, String> parameters, Set<String> known) {
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badParameter(name, "Unknown parameter '" + name + "'; this endpoint takes "
                        + (known.isEmpty() ? "none" : known.stream().sorted().collect(Collectors.joining(", ")))
                        + ".");
            }
        }
    }

    /** [start, end): end_time or now, start_time or {@code defaultRange} before the end; the end after the start. */
    private static Instant[] range(Map<String, String> parameters, Instant now, Duration defaultRange) {
        Instant start = time(parameters, START_TIME);
        Instant end = time(parameters, END_TIME);
        if (end == null) {
            end = now;
        }
        if (start == null) {
            start = end.minus(defaultRange);
        }
        if (!end.isAfter(start)) {
            throw ApiException.badParameter(END_TIME, "end_time " + end + " must be after start_time " + start + ".");
        }
        return new Instant[] {start, end};
    }

    /** An equality filter: null when absent, refused when blank. */
    private static String filter(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value != null && value.isBlank()) {
            throw ApiException.badParameter(name, name + " is empty; leave it out to take every value.");
        }
        return value;
    }

    private int limit(String value) {
        if (value == null) {
            return limitDefault;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(LIMIT, "limit '" + value + "' is not a whole number.");
        }
        if (limit <= 0 || limit > limitMax) {
            throw ApiException.badParameter(LIMIT, "limit " + limit + " is out of range: from 1 to " + limitMax
                    + ".");
        }
        return limit;
    }

    private static Instant time(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            // An unencoded '+' of an offset arrives as a space.
            return OffsetDateTime.parse(value.trim().replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter(name, name + " '" + value + "' is not an ISO-8601 time with offset,"
                    + " for example 2026-12-08T10:00:00Z or 2026-12-08T11:00:00+01:00.");
        }
    }

    private static Tier tier(String value) {
        if (value == null) {
            return Tier.HOUR;
        }
        return Arrays.stream(Tier.values()).filter(tier -> tier.label().equals(value)).findFirst()
                .orElseThrow(() -> ApiException.badParameter(INTERVAL, "interval '" + value + "' is not one of "
                        + Arrays.stream(Tier.values()).map(Tier::label).collect(Collectors.joining(", ")) + "."));
    }

    private static boolean match(String value) {
        if (value == null || value.equals("subset")) {
            return false;
        }
        if (value.equals("exact")) {
            return true;
        }
        throw ApiException.badParameter(MATCH, "match '" + value + "' is not subset (series having these labels,"
                + " the default) or exact (the one series with exactly these labels).");
    }

    /** {@code k1=v1,k2=v2}: label names as in Prometheus, values up to the next comma. */
    static Map<String, String> labels(String value) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return labels;
        }
        for (String pair : value.split(",", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
            if (eq < 0 || !SeriesKey.LABEL_NAME.matcher(name).matches()) {
                throw ApiException.badParameter(LABELS, "labels '" + value + "': '" + pair + "' is not label=value"
                        + " (label names: letters, digits and '_', not starting with a digit; pairs separated by"
                        + " commas).");
            }
            if (labels.put(name, pair.substring(eq + 1)) != null) {
                throw ApiException.badParameter(LABELS, "labels '" + value + "' names label '" + name + "' twice.");
            }
        }
        return labels;
    }

    private static String decode(String text, String what) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(what, "'" + text + "' in " + what + " is not valid percent-encoding.");
        }
    }
}
