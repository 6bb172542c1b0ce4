package com.aima.metrics.collector.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.collector.EventSink;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelPolicyTest {

    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
    /** {@code printf 'alice@example.com' | openssl dgst -sha256 -hmac '0123456789abcdef-test-key'}. */
    private static final String EXPECTED_ALICE = "3a001c319b6d22ba87c265c7c4fdf3c830decb4beb282dd13d109578e4908697";

    private final LabelPolicy policy = new LabelPolicy(
            Map.of("job_queue_length", Set.of("queue", "project")),
            Set.of("gpu", "node", "job_id", "user_id"),
            Set.of("user_id"),
            KEY);

    @Test
    void keepsOnlyAllowedLabelsPerMetric() {
        assertThat(policy.apply("job_queue_length", Map.of("queue", "video", "project", "p1", "gpu", "0")))
                .isEqualTo(Map.of("queue", "video", "project", "p1"));
        assertThat(policy.apply("gpu_utilization_percent", Map.of("gpu", "0", "node", "n1", "hostname_ip", "10.0.0.1")))
                .isEqualTo(Map.of("gpu", "0", "node", "n1"));
        assertThat(policy.dropped()).isEqualTo(2);
    }

    @Test
    void hashesPersonalValuesWithTheKey() {
        Map<String, String> labels = policy.apply("job_inference_time_ms", Map.of("user_id", "alice@example.com"));

        assertThat(labels.get("user_id")).doesNotContain("alice").isEqualTo(EXPECTED_ALICE);
        assertThat(new LabelPolicy(Map.of(), Set.of("user_id"), Set.of("user_id"),
                "another-key-of-16+bytes".getBytes(StandardCharsets.UTF_8))
                .apply("m", Map.of("user_id", "alice@example.com")).get("user_id"))
                .as("another deployment's key gives another value").isNotEqualTo(EXPECTED_ALICE);
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new LabelPolicy(Map.of(), Set.of(), Set.of(), new byte[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16 bytes, not 8");
    }

    @Test
    void theGuardFiltersEveryEventBeforeItReachesTheNextSink() {
        List<MetricEvent> passed = new ArrayList<>();
        EventSink guarded = policy.guard(new EventSink() {
            @Override
            public void publishMetrics(List<MetricEvent> events) {
                passed.addAll(events);
            }

            @Override
            public void publishJob(JobEvent event) {
                throw new UnsupportedOperationException();
            }
        });
        MetricEvent event = MetricEvent.newBuilder().setName("job_inference_time_ms").setUnit("ms").setValue(3)
                .setEventTime(Instant.EPOCH).setLabels(Map.of("user_id", "alice@example.com", "ip", "10.0.0.1"))
                .setSource(Source.newBuilder().setHost("n").setCollectorId("c").setKind(SourceKind.JOB).build())
                .build();

        guarded.publishMetrics(List.of(event));

        assertThat(passed).singleElement().satisfies(e -> assertThat(e.getLabels())
                .isEqualTo(Map.of("user_id", EXPECTED_ALICE)));
    }
}
