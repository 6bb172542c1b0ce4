package com.aima.metrics.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.collector.privacy.LabelPolicy;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobEventHandlerTest {

    private static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
    /** As in {@code LabelPolicyTest}: HMAC-SHA256 of alice@example.com with {@link #KEY}. */
    private static final String ALICE_HASH = "3a001c319b6d22ba87c265c7c4fdf3c830decb4beb282dd13d109578e4908697";
    private static final String STARTED = """
            {"eventId": "e-1", "jobId": "job-1", "type": "STARTED", "eventTime": "2026-11-18T10:15:00Z",
             "project": "p1", "analysisType": "VIDEO", "provider": "aws", "pricingModel": "spot",
             "gpuType": "NVIDIA H100 80GB HBM3", "node": "gpu-node-7", "assignedDevices": ["GPU-1"],
             "submitter": "alice@example.com"}
            """;

    private final RecordingSink sink = new RecordingSink();
    private final JobEventHandler handler =
            new JobEventHandler(sink, new LabelPolicy(Map.of(), Set.of(), Set.of(), KEY));
    private final TestServer server = new TestServer(JobEventHandler.PATH, handler);

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void publishesAJobEventWithTheSubmitterHashed() throws IOException {
        HttpResponse<byte[]> response = post(STARTED);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"accepted\":1,\"eventIds\":[\"e-1\"]}"));
        assertThat(sink.jobs).hasSize(1);
        JobEvent event = sink.jobs.get(0);
        assertThat(event.getType()).isEqualTo(JobEventType.STARTED);
        assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-11-18T10:15:00Z"));
        assertThat(event.getProvider()).isEqualTo("aws");
        assertThat(event.getSubmitterHash()).isEqualTo(ALICE_HASH);
        assertThat(event.toString()).doesNotContain("alice");
        assertThat(handler.acceptedEvents()).isEqualTo(1);
    }

    @Test
    void publishesAnArrayAndGeneratesMissingEventIds() throws IOException {
        HttpResponse<byte[]> response = post("[" + STARTED + ", " + STARTED.replace("\"eventId\": \"e-1\",", "")
                .replace("STARTED", "PROGRESS") + "]");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("accepted").intValue()).isEqualTo(2);
        assertThat(answer.get("eventIds").get(0).textValue()).isEqualTo("e-1");
        assertThat(sink.jobs).extracting(JobEvent::getEventId)
                .containsExactly("e-1", answer.get("eventIds").get(1).textValue());
        assertThat(sink.jobs.get(1).getEventId()).hasSize(36);
    }

    @Test
    void acceptsGzip() {
        HttpResponse<byte[]> response = server.postGzip(JobEventHandler.PATH, JSON_TYPE,
                STARTED.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sink.jobs).hasSize(1);
    }

    @Test
    void rejectsABadEventWith400NamingTheFieldAndPublishesNothingOfTheRequest() {
        HttpResponse<byte[]> response = post("[" + STARTED + ", " + STARTED.replace("\"STARTED\"", "\"STARTD\"") + "]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON_TYPE);
        assertThat(message(response)).isEqualTo(
                "[1].type: 'STARTD' is not one of SUBMITTED, STARTED, PROGRESS, COMPLETED, FAILED, CANCELLED, UNKNOWN.");
        assertThat(sink.jobs).isEmpty();
        assertThat(handler.failedRequests()).isEqualTo(1);
    }

    @Test
    void rejectsMissingFieldsClearIdsAsHashesAndBadJson() {
        assertThat(message(post(STARTED.replace("\"project\": \"p1\",", ""))))
                .isEqualTo("project: required field is missing.");
        assertThat(message(post(STARTED.replace("\"submitter\"", "\"submitterHash\""))))
                .isEqualTo("submitterHash: must be 64 hex digits (an HMAC-SHA256); send the clear id as 'submitter' "
                        + "to have the collector hash it.")
                .doesNotContain("alice");
        assertThat(message(post("{\"jobId\": ")))
                .startsWith("The body is not valid JSON: ");
        assertThat(sink.jobs).isEmpty();
        assertThat(handler.failedRequests()).isEqualTo(3);
    }

    @Test
    void refusesASubmitterWithoutAKey() {
        JobEventHandler keyless = new JobEventHandler(sink, null, JobEventHandler.DEFAULT_MAX_BODY_BYTES);
        try (TestServer other = new TestServer(JobEventHandler.PATH, keyless)) {
            HttpResponse<byte[]> response = other.post(JobEventHandler.PATH, JSON_TYPE,
                    STARTED.getBytes(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(message(response))
                    .isEqualTo("submitter: this collector has no HMAC key to hash submitters; leave the field out.");
        }
    }

    @Test
    void answers415405413And503() {
        JobEventHandler small = new JobEventHandler(sink, null, 64);
        try (TestServer limited = new TestServer(JobEventHandler.PATH, small)) {
            assertThat(limited.post(JobEventHandler.PATH, JSON_TYPE, STARTED.getBytes(StandardCharsets.UTF_8))
                    .statusCode()).isEqualTo(413);
        }
        HttpResponse<byte[]> text = server.post(JobEventHandler.PATH, "text/plain",
                STARTED.getBytes(StandardCharsets.UTF_8));
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(message(text)).isEqualTo("Content-Type 'text/plain' is not supported; send application/json.");
        assertThat(server.send(HttpRequest.newBuilder(server.uri(JobEventHandler.PATH)).GET()).statusCode())
                .isEqualTo(405);

        sink.failing = true;
        HttpResponse<byte[]> failed = post(STARTED);
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(message(failed)).startsWith("The collector could not store job event e-1;");
        assertThat(handler.acceptedEvents()).isZero();
    }

    private HttpResponse<byte[]> post(String json) {
        return server.post(JobEventHandler.PATH, JSON_TYPE, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String message(HttpResponse<byte[]> response) {
        try {
            JsonNode status = JSON.readTree(response.body());
            assertThat(status.get("code").intValue()).isPositive();
            return status.get("message").textValue();
        } catch (IOException e) {
            throw new AssertionError("The error body is not JSON.", e);
        }
    }
}
