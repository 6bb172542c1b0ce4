package com.aima.metrics.collector.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
}
