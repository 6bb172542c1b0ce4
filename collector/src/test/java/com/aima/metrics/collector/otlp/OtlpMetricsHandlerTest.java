package com.aima.metrics.collector.otlp;

import static com.aima.metrics.collector.otlp.OtlpRequests.TIME;
import static com.aima.metrics.collector.otlp.OtlpRequests.gauge;
import static com.aima.metrics.collector.otlp.OtlpRequests.point;
import static com.aima.metrics.collector.otlp.OtlpRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.aima.metrics.schema.MetricEvent;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpMetricsHandlerTest {

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final int LIMIT_BYTES = 2048;

    private final RecordingSink sink = new RecordingSink();
    private final OtlpMetricsHandler handler =
            new OtlpMetricsHandler(new OtlpMetricsMapper("collector-host", "collector-1"), sink, LIMIT_BYTES);
    private final TestServer server = new TestServer(OtlpMetricsHandler.PATH, handler);

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void acceptsProtobufAndAnswersInProtobuf() throws IOException {
        byte[] body = request(gauge("job.inference.time", "ms", point(42.5)),
                gauge("job.queue.length", "{job}", point(3L))).toByteArray();

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, PROTOBUF, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        assertThat(ExportMetricsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
        assertThat(sink.metrics).extracting(MetricEvent::getName, MetricEvent::getValue, MetricEvent::getEventTime)
                .containsExactly(tuple("job_inference_time_ms", 42.5, TIME), tuple("job_queue_length", 3.0, TIME));
        assertThat(handler.acceptedDataPoints()).isEqualTo(2);
        assertThat(handler.failedRequests()).isZero();
    }

    @Test
    void acceptsOtlpJsonWithStringInt64sIntegerEnumsAndUnknownFields() {
        String json = """
                {"resourceMetrics": [{
                  "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "media-worker"}}]},
                  "scopeMetrics": [{
                    "scope": {"name": "aima.worker", "version": "1.2.0"},
                    "metrics": [
                      {"name": "job.inference.time", "unit": "ms", "gauge": {"dataPoints": [{
                        "asDouble": 42.5, "timeUnixNano": "1795000000123000000",
                        "attributes": [{"key": "job_id", "value": {"stringValue": "job-1"}}]}]}},
                      {"name": "job.frames.processed", "unit": "{frame}", "sum": {
                        "aggregationTemporality": 2, "isMonotonic": true,
                        "dataPoints": [{"asInt": "1200", "timeUnixNano": "1795000000123000000",
                          "exemplars": [{"asInt": "1", "timeUnixNano": "1795000000000000000",
                                         "traceId": "5b8efff798038103d269b633813fc60c",
                                         "spanId": "eee19b7ec3c1b174"}]}]},
                       "aFieldFromTheFuture": {"x": 1}}
                    ]}]}]}
                """;

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, JSON + "; charset=utf-8",
                json.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(sink.metrics).extracting(MetricEvent::getName, MetricEvent::getValue, MetricEvent::getLabels)
                .containsExactly(
                        tuple("job_inference_time_ms", 42.5, Map.of("service", "media-worker", "job_id", "job-1")),
                        tuple("job_frames_processed_total", 1200.0, Map.of("service", "media-worker")));
        assertThat(sink.metrics.get(0).getEventTime().toEpochMilli()).isEqualTo(1_795_000_000_123L);
    }

    @Test
    void acceptsGzipInBothEncodings() {
        byte[] protobuf = request(gauge("job.inference.time", "ms", point(1.0))).toByteArray();
        byte[] json = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"job.wait.time","unit":"s",
                "gauge":{"dataPoints":[{"asDouble":2.5,"timeUnixNano":"1795000000000000000"}]}}]}]}]}
                """.getBytes(StandardCharsets.UTF_8);

        assertThat(server.postGzip(OtlpMetricsHandler.PATH, PROTOBUF, protobuf).statusCode()).isEqualTo(200);
        assertThat(server.postGzip(OtlpMetricsHandler.PATH, JSON, json).statusCode()).isEqualTo(200);

        assertThat(sink.metrics).extracting(MetricEvent::getName, MetricEvent::getValue)
                .containsExactly(tuple("job_inference_time_ms", 1.0), tuple("job_wait_time_seconds", 2.5));
    }

    @Test
    void answersPartialSuccessForRejectedPointsAndKeepsTheValidOnes() throws IOException {
        byte[] body = request(gauge("job.inference.time", "ms", point(Double.NaN), point(7.0), point(Double.NaN)))
                .toByteArray();

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, PROTOBUF, body);

        assertThat(response.statusCode()).isEqualTo(200);
        ExportMetricsServiceResponse answer = ExportMetricsServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedDataPoints()).isEqualTo(2);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .isEqualTo("metric 'job.inference.time': value is NaN (2 data points)");
        assertThat(sink.metrics).extracting(MetricEvent::getValue).containsExactly(7.0);
        assertThat(handler.acceptedDataPoints()).isEqualTo(1);
        assertThat(handler.rejectedDataPoints()).isEqualTo(2);
    }

    @Test
    void answersPartialSuccessInJsonWithInt64AsString() throws IOException {
        byte[] json = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"job.wait.time","unit":"s",
                "summary":{"dataPoints":[{"count":"3","sum":9.0,"timeUnixNano":"1795000000000000000"}]}},
                {"name":"job.queue.length","unit":"{job}",
                "gauge":{"dataPoints":[{"asInt":"5","timeUnixNano":"1795000000000000000"}]}}]}]}]}
                """.getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, JSON, json);

        assertThat(response.statusCode()).isEqualTo(200);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"partialSuccess\":{\"rejectedDataPoints\":\"1\",\"errorMessage\":");
        ExportMetricsServiceResponse.Builder answer = ExportMetricsServiceResponse.newBuilder();
        JsonFormat.parser().merge(text, answer);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .isEqualTo("metric 'job.wait.time': summaries are not supported; export histograms or gauges "
                        + "(1 data point)");
        assertThat(sink.metrics).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("job_queue_length");
            assertThat(event.getValue()).isEqualTo(5.0);
        });
    }

    @Test
    void refusesARequestWhoseEveryPointIsRejectedWith400() throws IOException {
        byte[] json = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"job.wait.time","unit":"s",
                "summary":{"dataPoints":[{"count":"3","sum":9.0,"timeUnixNano":"1795000000000000000"}]}}]}]}]}
                """.getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, JSON, json);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("Every data point was rejected (1)")
                .contains("job.wait.time").contains("summaries are not supported");
        assertThat(sink.metrics).isEmpty();
        assertThat(handler.rejectedDataPoints()).isEqualTo(1);
    }

    @Test
    void skipsAMetricOfAnUnknownTypeWithAWarning() throws IOException {
        // A data type a newer OTLP version might add as field 13 of Metric: unknown to this receiver.
        Metric future = Metric.newBuilder().setName("job.future.kind").setUnit("ms")
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(13, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("\n\u0001x")).build()).build())
                .build();
        byte[] body = request(future, gauge("job.inference.time", "ms", point(3.0))).toByteArray();

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, PROTOBUF, body);

        assertThat(response.statusCode()).isEqualTo(200);
        ExportMetricsServiceResponse answer = ExportMetricsServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedDataPoints()).isZero();
        assertThat(answer.getPartialSuccess().getErrorMessage()).isEqualTo("metric 'job.future.kind': no gauge, "
                + "sum or histogram data (an unknown or unset type); skipped");
        assertThat(sink.metrics).extracting(MetricEvent::getName).containsExactly("job_inference_time_ms");
    }

    @Test
    void rejectsATruncatedProtobufBodyWith400() throws IOException {
        byte[] body = request(gauge("job.inference.time", "ms", point(42.5))).toByteArray();

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, PROTOBUF,
                Arrays.copyOf(body, body.length - 5));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        Status status = status(response.body());
        assertThat(status.code()).isEqualTo(3);
        assertThat(status.message())
                .startsWith("The body is not a valid ExportMetricsServiceRequest in application/x-protobuf: ")
                .contains("truncated");
        assertThat(sink.metrics).isEmpty();
        assertThat(handler.failedRequests()).isEqualTo(1);
    }

    @Test
    void rejectsBadJsonAndBrokenGzipWith400() {
        HttpResponse<byte[]> badJson = server.post(OtlpMetricsHandler.PATH, JSON,
                "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> wrongShape = server.post(OtlpMetricsHandler.PATH, JSON,
                "{\"resourceMetrics\": 5}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> brokenGzip = server.send(HttpRequest.newBuilder(server.uri(OtlpMetricsHandler.PATH))
                .header("Content-Type", JSON).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray("not gzip".getBytes(StandardCharsets.UTF_8))));

        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(new String(badJson.body(), StandardCharsets.UTF_8))
                .startsWith("{\"code\":3,\"message\":\"The body is not a valid ExportMetricsServiceRequest in "
                        + "application/json: ");
        assertThat(wrongShape.statusCode()).isEqualTo(400);
        assertThat(brokenGzip.statusCode()).isEqualTo(400);
        assertThat(new String(brokenGzip.body(), StandardCharsets.UTF_8))
                .startsWith("{\"code\":3,\"message\":\"The body is not valid gzip: ");
        assertThat(handler.failedRequests()).isEqualTo(3);
    }

    @Test
    void rejectsOtherContentTypesAndEncodingsWith415() {
        HttpResponse<byte[]> text = server.post(OtlpMetricsHandler.PATH, "text/plain", new byte[] {1});
        HttpResponse<byte[]> brotli = server.send(HttpRequest.newBuilder(server.uri(OtlpMetricsHandler.PATH))
                .header("Content-Type", PROTOBUF).header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})));

        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":3,\"message\":"
                + "\"Content-Type 'text/plain' is not supported; send application/x-protobuf or application/json.\"}");
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(status(brotli.body()).message())
                .isEqualTo("Content-Encoding 'br' is not supported; send gzip or none.");
    }

    @Test
    void rejectsBodiesOverTheLimitWith413() {
        byte[] tooLarge = new byte[LIMIT_BYTES + 1];
        byte[] bomb = new byte[100 * LIMIT_BYTES];

        HttpResponse<byte[]> withLength = server.post(OtlpMetricsHandler.PATH, PROTOBUF, tooLarge);
        HttpResponse<byte[]> chunked = server.send(HttpRequest.newBuilder(server.uri(OtlpMetricsHandler.PATH))
                .header("Content-Type", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooLarge))));
        HttpResponse<byte[]> gzipBomb = server.postGzip(OtlpMetricsHandler.PATH, PROTOBUF, bomb);

        assertThat(withLength.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(gzipBomb.statusCode()).isEqualTo(413);
        assertThat(status(gzipBomb.body()))
                .isEqualTo(new Status(8, "The body is larger than the limit of " + LIMIT_BYTES + " bytes."));
        assertThat(server.post(OtlpMetricsHandler.PATH, PROTOBUF, new byte[0]).statusCode())
                .as("an empty export is fine").isEqualTo(200);
    }

    @Test
    void rejectsOtherMethodsWith405AndOtherPathsWith404() {
        HttpResponse<byte[]> get = server.send(HttpRequest.newBuilder(server.uri(OtlpMetricsHandler.PATH)).GET());
        HttpResponse<byte[]> other = server.post(OtlpMetricsHandler.PATH + "/extra", PROTOBUF, new byte[0]);

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(handler.failedRequests()).isEqualTo(2);
    }

    @Test
    void answers503WhenTheSinkFails() {
        sink.failing = true;

        HttpResponse<byte[]> response = server.post(OtlpMetricsHandler.PATH, PROTOBUF,
                request(gauge("job.inference.time", "ms", point(1.0))).toByteArray());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(status(response.body()))
                .isEqualTo(new Status(14, "The collector could not store the metrics; retry later."));
        assertThat(handler.acceptedDataPoints()).isZero();
        assertThat(handler.failedRequests()).isEqualTo(1);
    }

    /** A {@code google.rpc.Status} as JSON or protobuf, read by hand as the receiver writes it. */
    private static Status status(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("{")) {
            int code = Integer.parseInt(text.replaceAll("^\\{\"code\":(\\d+),.*", "$1"));
            return new Status(code, text.replaceAll("^.*\"message\":\"(.*)\"}$", "$1"));
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            int code = 0;
            String message = "";
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> code = in.readInt32();
                    case 2 -> message = in.readString();
                    default -> in.skipField(tag);
                }
            }
            return new Status(code, message);
        } catch (IOException e) {
            throw new AssertionError("The body is not a google.rpc.Status: " + text, e);
        }
    }

    private record Status(int code, String message) {
    }
}
