package com.aima.metrics.api;

import com.aima.metrics.cost.CostViews.View;
import com.aima.metrics.schema.CostRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One validated query of {@code /costs/{view}}: the view, the time range [{@code fromMs}, {@code toMs}) (see
 * {@link View} for the time of each view's records), equality filters on the record's fields and labels, and the
 * row limit. A null filter passes every record.
 *
 * @param analysisType an {@code AnalysisType} symbol
 */
public record CostQuery(View view, long fromMs, long toMs, String project, String jobId, String provider,
                        String gpuType, String analysisType, Map<String, String> labels, int limit) {

    public static final String PROJECT = "project";
    public static final String JOB_ID = "job_id";
    public static final String PROVIDER = "provider";
    public static final String GPU_TYPE = "gpu_type";
    public static final String ANALYSIS_TYPE = "analysis_type";

    public CostQuery {
        labels = Map.copyOf(labels);
    }

    /** Whether {@code record} passes every filter. */
    public boolean matches(CostRecord record) {
        return passes(project, record.getProject()) && passes(jobId, record.getJobId())
                && passes(provider, record.getProvider()) && passes(gpuType, record.getGpuType())
                && passes(analysisType, record.getAnalysisType() == null ? null : record.getAnalysisType().name())
                && labels.entrySet().stream().allMatch(label ->
                        label.getValue().equals(record.getLabels().get(label.getKey())));
    }

    private static boolean passes(String filter, String value) {
        return filter == null || filter.equals(value);
    }

    /** The query string that asks another instance for exactly this query, the times and the limit pinned. */
    public String toQueryString() {
        StringBuilder query = new StringBuilder();
        query.append("start_time=").append(Instant.ofEpochMilli(fromMs))
                .append("&end_time=").append(Instant.ofEpochMilli(toMs))
                .append("&limit=").append(limit);
        append(query, PROJECT, project);
        append(query, JOB_ID, jobId);
        append(query, PROVIDER, provider);
        append(query, GPU_TYPE, gpuType);
        append(query, ANALYSIS_TYPE, analysisType);
        if (!labels.isEmpty()) {
            append(query, QueryParameters.LABELS, new TreeMap<>(labels).entrySet().stream()
                    .map(label -> label.getKey() + "=" + label.getValue()).collect(Collectors.joining(",")));
        }
        return query.toString();
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value != null) {
            query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
    }
}
