package com.aima.metrics.collector.otlp;

import static com.aima.metrics.collector.otlp.OtlpRequests.TIME;
import static com.aima.metrics.collector.otlp.OtlpRequests.attribute;
import static com.aima.metrics.collector.otlp.OtlpRequests.gauge;
import static com.aima.metrics.collector.otlp.OtlpRequests.histogram;
import static com.aima.metrics.collector.otlp.OtlpRequests.histogramPoint;
import static com.aima.metrics.collector.otlp.OtlpRequests.point;
import static com.aima.metrics.collector.otlp.OtlpRequests.request;
import static com.aima.metrics.collector.otlp.OtlpRequests.sum;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OtlpMetricsMapperTest {

    private static final Map<String, String> LABELS =
            Map.of("service", "media-worker", "node", "gpu-node-7", "job_id", "job-1");

    private final OtlpMetricsMapper mapper = new OtlpMetricsMapper("collector-host", "collector-1");

    @Test
    void mapsGaugesAndSumsToOneEventPerPoint() {
        OtlpMetricsMapper.Result result = mapper.map(request(
                gauge("job.inference.time", "ms", point(42.5)),
                gauge("job.queue.length", "{job}", point(7L)),
                sum("job.frames.processed", "{frame}", true, AGGREGATION_TEMPORALITY_CUMULATIVE, point(1200L)),
                sum("job.frames.decoded", "{frame}", true, AGGREGATION_TEMPORALITY_DELTA, point(30L)),
                sum("job.memory.reserved", "By", false, AGGREGATION_TEMPORALITY_CUMULATIVE, point(2048L))));

        assertThat(result.events()).extracting(MetricEvent::getName, MetricEvent::getValue, MetricEvent::getUnit)
                .containsExactly(
                        tuple("job_inference_time_ms", 42.5, "ms"),
                        tuple("job_queue_length", 7.0, "count"),
                        tuple("job_frames_processed_total", 1200.0, "count"),
                        tuple("job_frames_decoded", 30.0, "count"),
                        tuple("job_memory_reserved_bytes", 2048.0, "bytes"));
        assertThat(result.events()).allSatisfy(event -> {
            assertThat(event.getEventTime()).isEqualTo(TIME);
            assertThat(event.getLabels()).isEqualTo(LABELS);
            assertThat(event.getSource()).isEqualTo(new Source("collector-host", "collector-1", SourceKind.JOB));
            assertThat(SeriesKey.METRIC_NAME.matcher(event.getName()).matches()).isTrue();
        });
        assertThat(result.acceptedDataPoints()).isEqualTo(5);
        assertThat(result.rejectedDataPoints()).isZero();
        assertThat(result.errorMessage()).isEmpty();
    }

    @Test
    void mapsAHistogramToCountSumAvgMinMaxAndCumulativeBuckets() {
        OtlpMetricsMapper.Result result = mapper.map(request(
                histogram("job.inference.time", "ms", histogramPoint(260.0, 4.0, 120.0, 2, 3, 1))));

        Map<String, Double> values = result.events().stream().collect(Collectors.toMap(
                event -> SeriesKey.of(event.getName(), Map.of("le", event.getLabels().getOrDefault("le", ""))),
                MetricEvent::getValue));
        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of(
                "job_inference_time_ms_count{le=\"\"}", 6.0,
                "job_inference_time_ms_sum{le=\"\"}", 260.0,
                "job_inference_time_ms_avg{le=\"\"}", 260.0 / 6,
                "job_inference_time_ms_min{le=\"\"}", 4.0,
                "job_inference_time_ms_max{le=\"\"}", 120.0,
                "job_inference_time_ms_bucket{le=\"10\"}", 2.0,
                "job_inference_time_ms_bucket{le=\"50\"}", 5.0,
                "job_inference_time_ms_bucket{le=\"+Inf\"}", 6.0));
        Map<String, String> units = result.events().stream()
                .collect(Collectors.toMap(MetricEvent::getName, MetricEvent::getUnit, (a, b) -> a));
        assertThat(units).containsEntry("job_inference_time_ms_count", "count")
                .containsEntry("job_inference_time_ms_sum", "ms")
                .containsEntry("job_inference_time_ms_bucket", "count");
        assertThat(result.acceptedDataPoints()).isEqualTo(1);
    }

    @Test
    void aHistogramWithoutSumBucketsOrMinMaxGivesItsCount() {
        OtlpMetricsMapper.Result result = mapper.map(request(histogram("job.batch.processing.time", "ms",
                HistogramDataPoint.newBuilder()
                        .setTimeUnixNano(OtlpRequests.TIME_UNIX_NANO).setCount(0))));

        assertThat(result.events()).extracting(MetricEvent::getName, MetricEvent::getValue)
                .containsExactly(tuple("job_batch_processing_time_ms_count", 0.0));
    }

    /** Seed 004 section 2.2: every job metric, as a worker instrumented with OpenTelemetry would send it. */
    @Test
    void mapsEveryJobMetricOfTheSpecification() {
        OtlpMetricsMapper.Result result = mapper.map(request(
                histogram("job.frame.processing.time", "ms", histogramPoint(900, 20, 60, 0, 25, 0)),
                histogram("job.inference.time", "ms", histogramPoint(120, 8, 16, 10, 0, 0)),
                histogram("job.batch.processing.time", "ms", histogramPoint(1500, 700, 800, 0, 0, 2)),
                histogram("job.model.load.time", "ms", histogramPoint(4200, 4200, 4200, 0, 0, 1)),
                histogram("job.data.transfer.time", "ms", histogramPoint(30, 1, 9, 6, 0, 0)),
                histogram("job.cuda.kernel.time", "ms", histogramPoint(75, 0.5, 4, 40, 0, 0)),
                gauge("job.queue.length", "{job}", point(12L)),
                histogram("job.wait.time", "s", histogramPoint(95, 15, 80, 0, 1, 1))));

        Map<String, MetricEvent> averages = result.events().stream()
                .filter(event -> event.getName().endsWith("_avg") || event.getName().equals("job_queue_length"))
                .collect(Collectors.toMap(MetricEvent::getName, Function.identity()));
        assertThat(averages.keySet()).containsExactlyInAnyOrder(
                "job_frame_processing_time_ms_avg", "job_inference_time_ms_avg", "job_batch_processing_time_ms_avg",
                "job_model_load_time_ms_avg", "job_data_transfer_time_ms_avg", "job_cuda_kernel_time_ms_avg",
                "job_queue_length", "job_wait_time_seconds_avg");
        assertThat(averages.get("job_frame_processing_time_ms_avg").getValue()).isEqualTo(36.0);
        assertThat(averages.get("job_inference_time_ms_avg").getValue()).isEqualTo(12.0);
        assertThat(averages.get("job_model_load_time_ms_avg").getValue()).isEqualTo(4200.0);
        assertThat(averages.get("job_queue_length").getValue()).isEqualTo(12.0);
        assertThat(averages.get("job_queue_length").getUnit()).isEqualTo("count");
        assertThat(averages.get("job_wait_time_seconds_avg").getValue()).isEqualTo(47.5);
        assertThat(averages.get("job_wait_time_seconds_avg").getUnit()).isEqualTo("seconds");
        assertThat(result.events()).allSatisfy(event -> {
            assertThat(SeriesKey.METRIC_NAME.matcher(event.getName()).matches()).isTrue();
            assertThat(event.getLabels()).containsEntry("job_id", "job-1");
        });
        assertThat(result.acceptedDataPoints()).isEqualTo(8);
        assertThat(result.rejectedDataPoints()).isZero();
    }

    @Test
    void rejectsNonFiniteAndMissingValuesAndKeepsTheRest() {
        OtlpMetricsMapper.Result result = mapper.map(request(
                gauge("job.inference.time", "ms", point(Double.NaN), point(12.0), point(Double.POSITIVE_INFINITY)),
                gauge("job.queue.length", "{job}", NumberDataPoint.newBuilder()
                        .setTimeUnixNano(OtlpRequests.TIME_UNIX_NANO)),
                gauge("job.wait.time", "s", point(3.0).setTimeUnixNano(0)),
                histogram("job.batch.processing.time", "ms", histogramPoint(Double.NaN, 1, 2, 1, 0, 0))));

        assertThat(result.events()).extracting(MetricEvent::getName, MetricEvent::getValue)
                .containsExactly(tuple("job_inference_time_ms", 12.0));
        assertThat(result.acceptedDataPoints()).isEqualTo(1);
        assertThat(result.rejectedDataPoints()).isEqualTo(5);
        assertThat(result.errorMessage()).isEqualTo(String.join("; ",
                "metric 'job.inference.time': value is NaN (1 data point)",
                "metric 'job.inference.time': value is infinite (1 data point)",
                "metric 'job.queue.length': missing value (1 data point)",
                "metric 'job.wait.time': missing time_unix_nano (1 data point)",
                "metric 'job.batch.processing.time': sum is NaN (1 data point)"));
    }

    @Test
    void rejectsExponentialHistogramsSummariesAndInvalidNamesAndSkipsUnknownTypes() {
        Metric exponential = Metric.newBuilder().setName("job.inference.time").setUnit("ms")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(1))
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(2)))
                .build();
        Metric summary = Metric.newBuilder().setName("job.wait.time").setUnit("s")
                .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setCount(1)))
                .build();
        Metric noData = Metric.newBuilder().setName("job.future.kind").build();

        OtlpMetricsMapper.Result result = mapper.map(request(exponential, summary, noData,
                gauge("job inference time", "ms", point(1.0)), gauge("job.ok", "", point(1.0))));

        assertThat(result.events()).extracting(MetricEvent::getName).containsExactly("job_ok");
        assertThat(result.rejectedDataPoints()).isEqualTo(4);
        assertThat(result.errorMessage())
                .contains("metric 'job.inference.time': exponential histograms are not supported; "
                        + "export explicit-bucket histograms (2 data points)")
                .contains("metric 'job.wait.time': summaries are not supported; export histograms or gauges "
                        + "(1 data point)")
                .contains("metric 'job.future.kind': no gauge, sum or histogram data (an unknown or unset type); "
                        + "skipped;")
                .contains("metric 'job inference time': invalid metric name (1 data point)");
    }

    @Test
    void rejectsBrokenHistogramsAndClashingLabels() {
        OtlpMetricsMapper.Result result = mapper.map(request(
                histogram("job.a", "ms", histogramPoint(1, 1, 1, 1, 0)),
                histogram("job.b", "ms", histogramPoint(1, 1, 1, 1, 0, 0).setExplicitBounds(1, 5)),
                gauge("job.c", "ms", point(1.0).addAttributes(attribute("job.id", "job-2"))),
                gauge("job.d", "ms", point(1.0).addAttributes(attribute("", "x")))));

        assertThat(result.events()).isEmpty();
        assertThat(result.rejectedDataPoints()).isEqualTo(4);
        assertThat(result.errorMessage()).isEqualTo(String.join("; ",
                "metric 'job.a': 2 bucket counts for 2 explicit bounds (must be one more) (1 data point)",
                "metric 'job.b': explicit bounds not increasing (1 data point)",
                "metric 'job.c': attributes 'job_id' and 'job.id' both become label job_id (1 data point)",
                "metric 'job.d': empty attribute key (1 data point)"));
    }

    @Test
    void skipsPointsWithoutRecordedValueAndLetsPointAttributesWin() {
        OtlpMetricsMapper.Result result = mapper.map(request(gauge("job.inference.time", "ms",
                point(Double.NaN).setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE),
                point(5.0).addAttributes(attribute("service.name", "override")))));

        assertThat(result.events()).hasSize(1);
        assertThat(result.events().get(0).getLabels())
                .containsEntry("service", "media-worker")
                .containsEntry("service_name", "override");
        assertThat(result.rejectedDataPoints()).isZero();
        assertThat(result.acceptedDataPoints()).isEqualTo(1);
    }

    @Test
    void namesTheFirstProblemsAndCountsTheRest() {
        List<Metric> broken = IntStream.range(0, OtlpMetricsMapper.MAX_PROBLEMS_NAMED + 3)
                .mapToObj(i -> gauge("job.m" + i, "ms", point(Double.NaN), point(Double.NaN)))
                .toList();

        OtlpMetricsMapper.Result result = mapper.map(request(broken.toArray(Metric[]::new)));

        assertThat(result.rejectedDataPoints()).isEqualTo(2L * broken.size());
        assertThat(result.errorMessage()).startsWith("metric 'job.m0': value is NaN (2 data points); ")
                .endsWith("metric 'job.m9': value is NaN (2 data points); and 3 more problems");
    }
}
