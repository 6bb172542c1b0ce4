package com.aima.metrics.dashboards;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fills InfluxDB with the pipeline's records, as the InfluxDB sink stores them.
 *
 * <p><b>Stand-in.</b> The sink connector ({@code com.aima.metrics.influx}) is not on this branch yet, so
 * {@link #write} maps the records itself, following the schema the sink implements (docs/dashboards.md). When the
 * sink is merged, {@link #write} becomes a call of its mapping ({@code InfluxPoints}) or of {@code InfluxSinkTask},
 * and every private method below it goes away; the data set and the tests do not change.
 */
final class InfluxFill {

    /** Labels of cost records that hold numbers: the sink writes them as float fields, not tags. */
    private static final Set<String> NUMERIC_COST_LABELS = Set.of("bias", "budget_micros", "units_per_gpu_hour");
    private static final int BATCH = 5_000;

    private final InfluxHttp influx;

    InfluxFill(InfluxHttp influx) {
        this.influx = influx;
    }

    /**
     * Writes {@link MetricEvent}s, {@link MetricRollup}s, {@link CostRecord}s and {@link AlertEvent}s.
     *
     * @throws IOException when InfluxDB refuses any point (for example one older than its retention policy keeps)
     */
    void write(List<? extends SpecificRecord> records) throws IOException {
        // STAND-IN for the InfluxDB sink: replace this body with the sink's mapping when it is merged.
        Map<String, List<String>> linesByPolicy = new TreeMap<>();
        for (SpecificRecord record : records) {
            Line line = line(record);
            linesByPolicy.computeIfAbsent(line.retentionPolicy(), policy -> new ArrayList<>()).add(line.text());
        }
        for (Map.Entry<String, List<String>> policy : linesByPolicy.entrySet()) {
            List<String> lines = policy.getValue();
            for (int from = 0; from < lines.size(); from += BATCH) {
                influx.write(policy.getKey(), lines.subList(from, Math.min(lines.size(), from + BATCH)));
            }
        }
    }

    private record Line(String retentionPolicy, String text) {
    }

    private static Line line(SpecificRecord record) {
        if (record instanceof MetricEvent event) {
            return new Line(AimaDatabase.RAW.name(), text(event.getName(), event.getLabels(),
                    Map.of("value", event.getValue()), event.getEventTime()));
        }
        if (record instanceof MetricRollup rollup) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("count", rollup.getCount());
            fields.put("sum", rollup.getSum());
            fields.put("min", rollup.getMin());
            fields.put("max", rollup.getMax());
            fields.put("avg", rollup.getAvg());
            fields.put("p50", rollup.getP50());
            fields.put("p95", rollup.getP95());
            fields.put("p99", rollup.getP99());
            fields.put("revision", (long) rollup.getRevision());
            fields.put("final", rollup.getFinal$());
            String policy = switch (rollup.getTier()) {
                case HOUR -> AimaDatabase.ROLLUP_1H.name();
                case DAY -> AimaDatabase.ROLLUP_1D.name();
                case MONTH -> AimaDatabase.ROLLUP_1MO.name();
                case YEAR -> AimaDatabase.ROLLUP_1Y.name();
            };
            return new Line(policy, text(rollup.getName(), rollup.getLabels(), fields, rollup.getWindowStart()));
        }
        if (record instanceof CostRecord cost) {
            return new Line(AimaDatabase.COSTS.name(), costLine(cost));
        }
        if (record instanceof AlertEvent alert) {
            Map<String, String> tags = new TreeMap<>(alert.getLabels());
            tags.put("rule", alert.getRule());
            tags.put("severity", alert.getSeverity().name());
            tags.put("state", alert.getState().name());
            tags.put("metric", alert.getMetric());
            tags.put("fingerprint", alert.getFingerprint());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("value", alert.getValue());
            fields.put("threshold", alert.getThreshold());
            fields.put("summary", alert.getSummary());
            fields.put("firing", alert.getState() == AlertState.FIRING ? 1L : 0L);
            Instant time = alert.getState() == AlertState.FIRING ? alert.getStartsAt() : alert.getEndsAt();
            return new Line(AimaDatabase.ALERTS.name(), text("alerts", tags, fields, time));
        }
        throw new IllegalArgumentException("No InfluxDB mapping for " + record.getClass().getName() + ".");
    }

    private static String costLine(CostRecord cost) {
        Map<String, String> tags = new TreeMap<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("amount", cost.getAmountMicros() / 1e6);
        fields.put("amount_micros", cost.getAmountMicros());
        fields.put("gpu_seconds", cost.getGpuSeconds());
        putIfPresent(fields, "ratio", cost.getRatio());
        putIfPresent(fields, "estimate", cost.getEstimateMicros() == null ? null : cost.getEstimateMicros() / 1e6);
        putIfPresent(fields, "energy_joules", cost.getEnergyJoules());
        for (Map.Entry<String, String> label : cost.getLabels().entrySet()) {
            if (NUMERIC_COST_LABELS.contains(label.getKey())) {
                try {
                    fields.put(label.getKey(), Double.parseDouble(label.getValue()));
                } catch (NumberFormatException notANumber) {
                    // "none" (a project without a budget): no field
                }
            } else {
                // The cost engine names a budget's period budget_period; the schema's tag is period.
                tags.put(label.getKey().equals("budget_period") ? "period" : label.getKey(), label.getValue());
            }
        }
        putIfPresent(tags, "project", cost.getProject());
        putIfPresent(tags, "provider", cost.getProvider());
        putIfPresent(tags, "gpu_type", cost.getGpuType());
        putIfPresent(tags, "analysis_type", cost.getAnalysisType() == null ? null : cost.getAnalysisType().name());
        putIfPresent(tags, "job_id", cost.getJobId());
        tags.put("currency", cost.getCurrency());
        tags.put("priced", Boolean.toString(cost.getPriced()));
        String measurement = "cost_" + cost.getKind().name().toLowerCase(Locale.ROOT);
        return text(measurement, tags, fields, cost.getWindowStart());
    }

    private static <V> void putIfPresent(Map<String, V> map, String key, V value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** One point in line protocol: tags sorted, empty tag values left out, time in milliseconds. */
    private static String text(String measurement, Map<String, String> tags, Map<String, ?> fields, Instant time) {
        StringBuilder line = new StringBuilder(escape(measurement, ", "));
        new TreeMap<>(tags).forEach((key, value) -> {
            if (!value.isEmpty()) {
                line.append(',').append(escape(key, ",= ")).append('=').append(escape(value, ",= "));
            }
        });
        char separator = ' ';
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            line.append(separator).append(escape(field.getKey(), ",= ")).append('=').append(value(field.getValue()));
            separator = ',';
        }
        return line.append(' ').append(time.toEpochMilli()).toString();
    }

    private static String value(Object value) {
        if (value instanceof Double number) {
            if (number.isNaN() || number.isInfinite()) {
                throw new IllegalArgumentException("InfluxDB cannot store the float " + number + ".");
            }
            return BigDecimal.valueOf(number).toPlainString();
        }
        if (value instanceof Long || value instanceof Integer) {
            return value + "i";
        }
        if (value instanceof Boolean) {
            return value.toString();
        }
        return '"' + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String escape(String text, String special) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (special.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
