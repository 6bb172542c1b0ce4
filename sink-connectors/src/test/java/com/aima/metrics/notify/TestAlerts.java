package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.serde.TrustedClasses;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Alert events with fixed times for the channel tests. */
final class TestAlerts {

    static final Instant STARTS_AT = Instant.parse("2026-11-22T10:02:00Z");
    static final Instant ENDS_AT = Instant.parse("2026-11-22T10:14:30Z");

    static {
        // AlertEvent.newBuilder(other) copies the enums through Avro, which loads only trusted classes.
        TrustedClasses.trustSchemaPackage();
    }

    private TestAlerts() {
    }

    /** A critical GPU temperature alert, firing. */
    static AlertEvent gpuHot() {
        return builder("f1a2", "gpu_temperature_high", Severity.CRITICAL)
                .setMetric("gpu_temperature_celsius")
                .setLabels(Map.of("node", "n1", "gpu", "0"))
                .setValue(91.5)
                .setThreshold(85)
                .setSummary("GPU 0 on n1 is at 91.5 C")
                .setDescription("Check the fans of n1.")
                .build();
    }

    /** A warning about GPU memory, firing. */
    static AlertEvent memoryHigh() {
        return builder("b3c4", "gpu_memory_high", Severity.WARNING)
                .setMetric("gpu_memory_utilization_percent")
                .setLabels(Map.of("node", "n2", "gpu", "1"))
                .setValue(93)
                .setThreshold(90)
                .setSummary("GPU 1 on n2 uses 93% of its memory")
                .build();
    }

    /** {@link #gpuHot()} resolved at {@link #ENDS_AT}. */
    static AlertEvent gpuHotResolved() {
        return AlertEvent.newBuilder(gpuHot())
                .setState(AlertState.RESOLVED)
                .setValue(80)
                .setEndsAt(ENDS_AT)
                .build();
    }

    /** An info alert with the given rule, fingerprint and summary. */
    static AlertEvent info(String rule, String fingerprint, String summary) {
        return builder(fingerprint, rule, Severity.INFO)
                .setMetric("job_queue_length")
                .setValue(21)
                .setThreshold(20)
                .setSummary(summary)
                .build();
    }

    /** {@code count} distinct info alerts. */
    static List<AlertEvent> many(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> info("queue_long_" + i, String.format("%04x", i), "Queue " + i + " is long"))
                .toList();
    }

    private static AlertEvent.Builder builder(String fingerprint, String rule, Severity severity) {
        return AlertEvent.newBuilder()
                .setFingerprint(fingerprint)
                .setRule(rule)
                .setState(AlertState.FIRING)
                .setSeverity(severity)
                .setCondition("gt")
                .setForMs(300_000)
                .setStartsAt(STARTS_AT)
                .setEndsAt(null)
                .setDescription(null)
                .setChannels(List.of("slack"));
    }
}
