package com.aima.metrics.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostEstimate;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.JobFailure;
import com.aima.metrics.schema.JobPriority;
import com.aima.metrics.schema.Severity;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobEventJsonTest {

    private static final String HASH = "ab".repeat(32);
    private static final String MINIMAL = """
            "jobId": "job-1", "type": "SUBMITTED", "eventTime": 1795000000123, "project": "p1",
            "analysisType": "VIDEO"
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobEventJson reader = new JobEventJson(id -> HASH);

    @Test
    void readsEveryFieldWithPlainValues() throws InvalidJobEventException {
        JobEvent event = single("""
                {"eventId": "e-1", "jobId": "job-1", "type": "completed",
                 "eventTime": "2026-11-18T11:15:00.123+01:00", "project": "p1", "analysisType": "AUDIO",
                 "mediaDurationMs": 600000, "mediaProcessedMs": 600000, "priority": "HIGH",
                 "provider": "aws", "pricingModel": "spot", "gpuType": "NVIDIA H100 80GB HBM3", "node": "gpu-node-7",
                 "assignedDevices": ["GPU-1", "GPU-2"],
                 "costEstimate": {"amountMicros": 1250000, "currency": "usd", "estimatedGpuSeconds": 600.5,
                                  "estimatedAt": 1795000000000, "confirmedByUser": true},
                 "progressPercent": 100, "checkpointSequence": 4,
                 "failure": {"category": "gpu_lost", "severity": "WARNING", "retryable": true, "message": "retried"},
                 "submitter": "alice@example.com", "labels": {"model": "whisper-large", "pipeline_version": 3}}
                """);

        assertThat(event).isEqualTo(JobEvent.newBuilder()
                .setEventId("e-1").setJobId("job-1").setType(JobEventType.COMPLETED)
                .setEventTime(Instant.parse("2026-11-18T10:15:00.123Z")).setProject("p1")
                .setAnalysisType(AnalysisType.AUDIO).setMediaDurationMs(600_000L).setMediaProcessedMs(600_000L)
                .setPriority(JobPriority.HIGH).setProvider("aws").setPricingModel("spot")
                .setGpuType("NVIDIA H100 80GB HBM3").setNode("gpu-node-7").setAssignedDevices(List.of("GPU-1", "GPU-2"))
                .setCostEstimate(new CostEstimate(1_250_000L, "USD", 600.5, Instant.ofEpochMilli(1_795_000_000_000L),
                        true))
                .setProgressPercent(100.0).setCheckpointSequence(4)
                .setFailure(new JobFailure("gpu_lost", Severity.WARNING, true, "retried"))
                .setSubmitterHash(HASH)
                .setLabels(Map.of("model", "whisper-large", "pipeline_version", "3"))
                .build());
    }

    @Test
    void fillsDefaultsAndGeneratesTheEventId() throws InvalidJobEventException {
        JobEvent event = single("{" + MINIMAL + ", \"provider\": null}");

        assertThat(UUID.fromString(event.getEventId())).isNotNull();
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_795_000_000_123L));
        assertThat(event.getPriority()).isEqualTo(JobPriority.NORMAL);
        assertThat(event.getProvider()).isNull();
        assertThat(event.getAssignedDevices()).isEmpty();
        assertThat(event.getLabels()).isEmpty();
        assertThat(event.getSubmitterHash()).isNull();
        assertThat(single("{" + MINIMAL + "}").getEventId()).isNotEqualTo(event.getEventId());
    }

    @Test
    void readsAnArrayWholeOrNotAtAll() throws InvalidJobEventException {
        assertThat(reader.parse(bytes("[{" + MINIMAL + "}, {" + MINIMAL.replace("job-1", "job-2") + "}]")))
                .extracting(JobEvent::getJobId).containsExactly("job-1", "job-2");
        assertThat(reader.parse(bytes("[]"))).isEmpty();
        assertThatThrownBy(() -> reader.parse(bytes("[{" + MINIMAL + "}, {" + MINIMAL.replace("VIDEO", "FILM") + "}]")))
                .hasMessage("[1].analysisType: 'FILM' is not one of VIDEO, IMAGE, AUDIO, UNKNOWN.");
        assertThatThrownBy(() -> reader.parse(bytes("[{" + MINIMAL + "}, 7]")))
                .hasMessage("[1]: expected a JSON object, got 7.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            "type": "STARTD"                        | type: 'STARTD' is not one of SUBMITTED, STARTED, PROGRESS, COMPLETED, FAILED, CANCELLED, UNKNOWN.
            "provider": {"string": "aws"}           | provider: expected a string, got {"string":"aws"}.
            "eventTime": 1795000000                 | eventTime: 1795000000 is before 2000-01-01 as epoch milliseconds; send milliseconds, not seconds.
            "eventTime": "2026-11-18 10:15"         | eventTime: expected an ISO-8601 date-time with offset such as 2026-11-22T10:00:00Z, or epoch milliseconds, got '2026-11-18 10:15'.
            "eventTime": 1.5e12                     | eventTime: expected epoch milliseconds or an ISO-8601 date-time string, got 1.5E12.
            "mediaDurationMs": -1                   | mediaDurationMs: -1 must be at least 0.
            "mediaDurationMs": "600000"             | mediaDurationMs: expected an integer, got '600000'.
            "progressPercent": 120                  | progressPercent: 120 must be between 0.0 and 100.0.
            "checkpointSequence": 3000000000        | checkpointSequence: 3000000000 is larger than 2147483647.
            "assignedDevices": ["GPU-1", 2]         | assignedDevices[1]: expected a string, got 2.
            "labels": {"user id": "x"}              | labels: 'user id' is not a valid label name (letters, digits and _, not starting with a digit).
            "labels": {"model": ["a"]}              | labels.model: expected a string, got ["a"].
            "costEstimate": {"amountMicros": 5}     | costEstimate.estimatedGpuSeconds: required field is missing.
            "costEstimate": {"amountMicros": 5, "estimatedGpuSeconds": 1, "estimatedAt": 1795000000000, "currency": "euro"} | costEstimate.currency: 'euro' is not an ISO-4217 code such as EUR.
            "failure": {"category": "oom", "severity": "FATAL"} | failure.severity: 'FATAL' is not one of CRITICAL, WARNING, INFO.
            "failure": {"category": "oom", "reason": "x"} | failure.reason: unknown field; the fields are [category, severity, retryable, message].
            "submiter": "alice"                     | submiter: unknown field; the fields are [eventId, jobId, type, eventTime, project, analysisType, mediaDurationMs, mediaProcessedMs, priority, provider, pricingModel, gpuType, node, assignedDevices, costEstimate, progressPercent, checkpointSequence, failure, submitter, submitterHash, labels].
            "submitterHash": "alice@example.com"    | submitterHash: must be 64 hex digits (an HMAC-SHA256); send the clear id as 'submitter' to have the collector hash it.
            "submitter": "alice", "submitterHash": "ab" | submitter: send either submitter (hashed here) or submitterHash, not both.
            """)
    void namesTheFieldAndTheValueAtFault(String fields, String message) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree("{" + MINIMAL + "}");
        event.setAll((ObjectNode) JSON.readTree("{" + fields + "}"));

        assertThatThrownBy(() -> single(JSON.writeValueAsString(event)))
                .isInstanceOf(InvalidJobEventException.class)
                .hasMessage(message);
    }

    @Test
    void namesMissingRequiredFields() {
        assertThatThrownBy(() -> single("{" + MINIMAL.replace("\"jobId\": \"job-1\",", "") + "}"))
                .hasMessage("jobId: required field is missing.");
        assertThatThrownBy(() -> single("{" + MINIMAL.replace("\"project\": \"p1\"", "\"project\": \" \"") + "}"))
                .hasMessage("project: required field is missing (got an empty string).");
        assertThatThrownBy(() -> single("{" + MINIMAL.replace("\"type\": \"SUBMITTED\",", "\"type\": null,") + "}"))
                .hasMessage("type: required field is missing.");
        assertThatThrownBy(() -> single("{" + MINIMAL.replace("\"eventTime\": 1795000000123,", "") + "}"))
                .hasMessage("eventTime: required field is missing.");
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertThatThrownBy(() -> reader.parse(bytes("{\"jobId\": ")))
                .hasMessageStartingWith("The body is not valid JSON: Unexpected end-of-input");
        assertThatThrownBy(() -> reader.parse(bytes("{\"jobId\": \"a\", \"jobId\": \"b\"}")))
                .hasMessageStartingWith("The body is not valid JSON: Duplicate field 'jobId'");
        assertThatThrownBy(() -> reader.parse(bytes("{} {}")))
                .hasMessageStartingWith("The body is not valid JSON: Trailing token");
        assertThatThrownBy(() -> reader.parse(bytes("")))
                .hasMessage("The body is empty; send a JSON object or an array of them.");
        assertThatThrownBy(() -> reader.parse(bytes("\"job\"")))
                .hasMessage("The body: expected a JSON object, got 'job'.");
    }

    @Test
    void hashesTheSubmitterAndRefusesItWithoutAHasher() throws InvalidJobEventException {
        JobEventJson hashing = new JobEventJson(id -> id.equals("alice") ? HASH : "wrong");

        assertThat(hashing.parse(bytes("{" + MINIMAL + ", \"submitter\": \"alice\"}")).get(0).getSubmitterHash())
                .isEqualTo(HASH);
        assertThat(hashing.parse(bytes("{" + MINIMAL + ", \"submitterHash\": \"" + HASH.toUpperCase() + "\"}"))
                .get(0).getSubmitterHash()).isEqualTo(HASH);
        assertThatThrownBy(() -> new JobEventJson(null).parse(bytes("{" + MINIMAL + ", \"submitter\": \"alice\"}")))
                .hasMessage("submitter: this collector has no HMAC key to hash submitters; leave the field out.");
    }

    private JobEvent single(String json) throws InvalidJobEventException {
        List<JobEvent> events = reader.parse(bytes(json));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
