package com.aima.metrics.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.SourceKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real OpenTelemetry Java SDK exporting over OTLP/HTTP (protobuf, gzip, the JDK's HttpClient) to the receiver, as
 * a media worker would: a histogram, a counter and a gauge, delta temporality.
 */
class OtlpSdkExportTest {

    private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("job_id");

    private final RecordingSink sink = new RecordingSink();
    private final OtlpMetricsHandler handler =
            new OtlpMetricsHandler(new OtlpMetricsMapper("collector-host", "collector-1"), sink);
    private final List<String> requestHeaders = new CopyOnWriteArrayList<>();
    private final TestServer server = new TestServer(OtlpMetricsHandler.PATH, exchange -> {
        requestHeaders.add(exchange.getRequestHeaders().getFirst("Content-Type") + ", "
                + exchange.getRequestHeaders().getFirst("Content-Encoding"));
        handler.handle(exchange);
    });
    private final SdkMeterProvider meters = SdkMeterProvider.builder()
            .setResource(Resource.create(Attributes.of(
                    AttributeKey.stringKey("service.name"), "media-worker",
                    AttributeKey.stringKey("host.name"), "gpu-node-7")))
            // Exports only when flushed: the test decides when.
            .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                            .setEndpoint(server.uri(OtlpMetricsHandler.PATH).toString())
                            .setCompression("gzip")
                            .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
                            .build())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();

    @AfterEach
    void stop() {
        meters.shutdown().join(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void receivesWhatTheSdkExports() {
        Meter meter = meters.get("aima.media-worker");
        DoubleHistogram inferenceTime = meter.histogramBuilder("job.inference.time").setUnit("ms")
                .setExplicitBucketBoundariesAdvice(List.of(10.0, 50.0)).build();
        LongCounter frames = meter.counterBuilder("job.frames.processed").setUnit("{frame}").build();
        meter.gaugeBuilder("job.queue.length").setUnit("{job}").ofLongs()
                .buildWithCallback(gauge -> gauge.record(12, Attributes.of(AttributeKey.stringKey("queue"), "video")));
        Attributes job = Attributes.of(JOB_ID, "job-1");
        inferenceTime.record(8.0, job);
        inferenceTime.record(20.0, job);
        inferenceTime.record(80.0, job);
        frames.add(25, job);
        Instant before = Instant.now();

        CompletableResultCode flushed = meters.forceFlush().join(10, TimeUnit.SECONDS);

        assertThat(flushed.isSuccess()).as("the export succeeded").isTrue();
        assertThat(requestHeaders).containsExactly("application/x-protobuf, gzip");
        Map<String, Double> values = sink.metrics.stream().collect(Collectors.toMap(
                event -> event.getName() + event.getLabels().getOrDefault("le", ""), MetricEvent::getValue));
        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("job_inference_time_ms_count", 3.0),
                Map.entry("job_inference_time_ms_sum", 108.0),
                Map.entry("job_inference_time_ms_avg", 36.0),
                Map.entry("job_inference_time_ms_min", 8.0),
                Map.entry("job_inference_time_ms_max", 80.0),
                Map.entry("job_inference_time_ms_bucket10", 1.0),
                Map.entry("job_inference_time_ms_bucket50", 2.0),
                Map.entry("job_inference_time_ms_bucket+Inf", 3.0),
                Map.entry("job_frames_processed", 25.0),
                Map.entry("job_queue_length", 12.0)));
        assertThat(sink.metrics).filteredOn(event -> event.getName().startsWith("job_inference_time_ms_"))
                .extracting(event -> event.getLabels().get("job_id"), event -> event.getLabels().get("service"),
                        event -> event.getLabels().get("node"))
                .containsOnly(tuple("job-1", "media-worker", "gpu-node-7"));
        assertThat(sink.metrics).allSatisfy(event -> {
            assertThat(event.getSource().getKind()).isEqualTo(SourceKind.JOB);
            assertThat(event.getEventTime()).isBetween(before.minusSeconds(1), Instant.now());
        });
        assertThat(handler.acceptedDataPoints()).isEqualTo(3);
        assertThat(handler.rejectedDataPoints()).isZero();
        assertThat(handler.failedRequests()).isZero();
    }
}
