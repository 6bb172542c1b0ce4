package com.aima.metrics.collector.otlp;

import com.aima.metrics.schema.MetricEvent;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What one export maps to so far: the events, the accepted and rejected point counts, and each distinct problem with
 * the number of points it cost, to name the first {@link OtlpMetricsMapper#MAX_PROBLEMS_NAMED} in the error message.
 * Not thread-safe; one per export.
 */
final class MappingBatch {

    private final List<MetricEvent> events = new ArrayList<>();
    private final Map<String, Long> pointsByProblem = new LinkedHashMap<>();
    private long accepted;
    private long rejected;

    void accept(List<MetricEvent> pointEvents) {
        events.addAll(pointEvents);
        accepted++;
    }

    void reject(Metric metric, long points, String problem) {
        rejected += points;
        pointsByProblem.merge(describe(metric, problem), points, Long::sum);
    }

    /** A problem that rejects no point, such as a metric without data. */
    void warn(Metric metric, String problem) {
        pointsByProblem.merge(describe(metric, problem), 0L, Long::sum);
    }

    OtlpMetricsMapper.Result result() {
        StringJoiner message = new StringJoiner("; ");
        int named = 0;
        for (Map.Entry<String, Long> problem : pointsByProblem.entrySet()) {
            if (named++ == OtlpMetricsMapper.MAX_PROBLEMS_NAMED) {
                message.add("and " + (pointsByProblem.size() - OtlpMetricsMapper.MAX_PROBLEMS_NAMED)
                        + " more problems");
                break;
            }
            long points = problem.getValue();
            message.add(points == 0 ? problem.getKey()
                    : problem.getKey() + " (" + points + (points == 1 ? " data point)" : " data points)"));
        }
        return new OtlpMetricsMapper.Result(List.copyOf(events), accepted, rejected, message.toString());
    }

    private static String describe(Metric metric, String problem) {
        return "metric '" + metric.getName() + "': " + problem;
    }
}
