package com.aima.metrics.api;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.cost.CostViews.View;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricRollup;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The rows the API answers with, in JSON (field names of seed 004 section 5.2: {@code timestamp}, {@code metric_name},
 * {@code value}, {@code labels}; {@code start_time}, {@code end_time}, {@code min_value}, {@code max_value},
 * {@code avg_value}, {@code percentile_95} and the rest) and in CSV (the same columns, labels as {@code k1=v1,k2=v2}).
 * Times are UTC with milliseconds, fixed width, so that their text order is their time order.
 */
public final class Rows {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Rows() {
    }

    /** A row that can be written as a CSV record. */
    public interface Row {
        /** The values in the order of the type's CSV header. */
        List<Object> csv();
    }

    /** A row of an answer merged from several instances' parts: it has its place in the answer's order. */
    public interface MergedRow extends Row {
        /**
         * The row's place in an answer: its fixed-width time, a space, then what tells rows of one time apart (the
         * series, or the alert's fingerprint), so that text order is (time, then series) order. Computed on each
         * call: callers that sort many rows compute it once per row ({@link TopRows}).
         */
        @JsonIgnore
        String sortKey();
    }

    /** {@code ms} as {@code 2026-12-08T10:00:00.000Z}. */
    public static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }

    /** Labels as in the {@code labels} parameter, sorted by name: {@code gpu=0,node=n1}. */
    static String labelText(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream().map(label -> label.getKey() + "=" + label.getValue())
                .collect(Collectors.joining(","));
    }

    /** One raw sample. */
    @JsonPropertyOrder({"timestamp", "metric_name", "value", "unit", "labels"})
    public record RawRow(@JsonProperty("timestamp") String timestamp,
                         @JsonProperty("metric_name") String metricName,
                         @JsonProperty("value") double value,
                         @JsonProperty("unit") String unit,
                         @JsonProperty("labels") Map<String, String> labels) implements MergedRow {

        public static final List<String> CSV_HEADER = List.of("timestamp", "metric_name", "value", "unit", "labels");

        @Override
        public String sortKey() {
            return timestamp + ' ' + SeriesKey.of(metricName, labels);
        }

        @Override
        public List<Object> csv() {
            return List.of(timestamp, metricName, value, unit, labelText(labels));
        }
    }

    /** One window of one series. */
    @JsonPropertyOrder({"start_time", "end_time", "metric_name", "labels", "unit", "interval", "count", "sum",
            "min_value", "max_value", "avg_value", "percentile_50", "percentile_95", "percentile_99", "final",
            "revision"})
    public record RollupRow(@JsonProperty("start_time") String startTime,
                            @JsonProperty("end_time") String endTime,
                            @JsonProperty("metric_name") String metricName,
                            @JsonProperty("labels") Map<String, String> labels,
                            @JsonProperty("unit") String unit,
                            @JsonProperty("interval") String interval,
                            @JsonProperty("count") long count,
                            @JsonProperty("sum") double sum,
                            @JsonProperty("min_value") double minValue,
                            @JsonProperty("max_value") double maxValue,
                            @JsonProperty("avg_value") double avgValue,
                            @JsonProperty("percentile_50") double percentile50,
                            @JsonProperty("percentile_95") double percentile95,
                            @JsonProperty("percentile_99") double percentile99,
                            @JsonProperty("final") boolean isFinal,
                            @JsonProperty("revision") int revision) implements MergedRow {

        public static final List<String> CSV_HEADER = List.of("start_time", "end_time", "metric_name", "labels",
                "unit", "interval", "count", "sum", "min_value", "max_value", "avg_value", "percentile_50",
                "percentile_95", "percentile_99", "final", "revision");

        @Override
        public String sortKey() {
            return startTime + ' ' + SeriesKey.of(metricName, labels);
        }

        static RollupRow of(MetricRollup rollup, String interval) {
            return new RollupRow(time(rollup.getWindowStart().toEpochMilli()),
                    time(rollup.getWindowEnd().toEpochMilli()), rollup.getName(), Map.copyOf(rollup.getLabels()),
                    rollup.getUnit(), interval, rollup.getCount(), rollup.getSum(), rollup.getMin(), rollup.getMax(),
                    rollup.getAvg(), rollup.getP50(), rollup.getP95(), rollup.getP99(), rollup.getFinal$(),
                    rollup.getRevision());
        }

        @Override
        public List<Object> csv() {
            return List.of(startTime, endTime, metricName, labelText(labels), unit, interval, count, sum, minValue,
                    maxValue, avgValue, percentile50, percentile95, percentile99, isFinal, revision);
        }
    }

    /** One firing alert. */
    @JsonPropertyOrder({"fingerprint", "rule", "metric_name", "labels", "severity", "state", "since", "value",
            "last_seen"})
    public record AlertRow(@JsonProperty("fingerprint") String fingerprint,
                           @JsonProperty("rule") String rule,
                           @JsonProperty("metric_name") String metricName,
                           @JsonProperty("labels") Map<String, String> labels,
                           @JsonProperty("severity") String severity,
                           @JsonProperty("state") String state,
                           @JsonProperty("since") String since,
                           @JsonProperty("value") double value,
                           @JsonProperty("last_seen") String lastSeen) implements MergedRow {

        public static final List<String> CSV_HEADER = List.of("fingerprint", "rule", "metric_name", "labels",
                "severity", "state", "since", "value", "last_seen");

        @Override
        public String sortKey() {
            return since + ' ' + fingerprint;
        }

        @Override
        public List<Object> csv() {
            // Arrays.asList: the severity is null when the rule is no longer configured
            return Arrays.asList(fingerprint, rule, metricName, labelText(labels), severity, state, since, value,
                    lastSeen);
        }
    }

    /**
     * One cost record ({@code CostRecord} on {@code aima.costs}): money in the currency's units, exact to the
     * micro-unit; GPU time in hours.
     */
    @JsonPropertyOrder({"view", "start_time", "end_time", "project", "job_id", "provider", "gpu_type",
            "analysis_type", "gpu_hours", "amount", "currency", "priced", "ratio", "estimate", "energy_joules",
            "labels"})
    public record CostRow(@JsonProperty("view") String view,
                          @JsonProperty("start_time") String startTime,
                          @JsonProperty("end_time") String endTime,
                          @JsonProperty("project") String project,
                          @JsonProperty("job_id") String jobId,
                          @JsonProperty("provider") String provider,
                          @JsonProperty("gpu_type") String gpuType,
                          @JsonProperty("analysis_type") String analysisType,
                          @JsonProperty("gpu_hours") double gpuHours,
                          @JsonProperty("amount") BigDecimal amount,
                          @JsonProperty("currency") String currency,
                          @JsonProperty("priced") boolean priced,
                          @JsonProperty("ratio") Double ratio,
                          @JsonProperty("estimate") BigDecimal estimate,
                          @JsonProperty("energy_joules") Double energyJoules,
                          @JsonProperty("labels") Map<String, String> labels) implements Row {

        public static final List<String> CSV_HEADER = List.of("view", "start_time", "end_time", "project", "job_id",
                "provider", "gpu_type", "analysis_type", "gpu_hours", "amount", "currency", "priced", "ratio",
                "estimate", "energy_joules", "labels");

        static CostRow of(View view, CostRecord record) {
            return new CostRow(view.path(), time(record.getWindowStart().toEpochMilli()),
                    time(record.getWindowEnd().toEpochMilli()), record.getProject(), record.getJobId(),
                    record.getProvider(), record.getGpuType(),
                    record.getAnalysisType() == null ? null : record.getAnalysisType().name().toLowerCase(Locale.ROOT),
                    record.getGpuSeconds() / 3600, money(record.getAmountMicros()), record.getCurrency(),
                    record.getPriced(), record.getRatio(), record.getEstimateMicros() == null ? null
                            : money(record.getEstimateMicros()), record.getEnergyJoules(),
                    Map.copyOf(record.getLabels()));
        }

        /** Micro-units as currency units, exact: 291250 → 0.29125. */
        static BigDecimal money(long micros) {
            BigDecimal units = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
            return units.scale() < 0 ? units.setScale(0) : units;
        }

        @Override
        public List<Object> csv() {
            return Arrays.asList(view, startTime, endTime, project, jobId, provider, gpuType, analysisType, gpuHours,
                    amount == null ? null : amount.toPlainString(), currency, priced, ratio,
                    estimate == null ? null : estimate.toPlainString(), energyJoules, labelText(labels));
        }
    }
}
