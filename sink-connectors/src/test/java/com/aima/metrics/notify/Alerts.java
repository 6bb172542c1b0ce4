package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.serde.TrustedClasses;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** AlertEvents for the sink's and the channels' tests, with fixed times, and their Confluent wire-format bytes. */
final class Alerts {

    static final Instant STARTS_AT = Instant.parse("2026-11-22T10:02:00Z");
    static final Instant ENDS_AT = Instant.parse("2026-11-22T10:14:30Z");

    static {
        // AlertEvent.newBuilder(other) copies the enums through Avro, which loads only trusted classes.
        TrustedClasses.trustSchemaPackage();
    }

    private Alerts() {
    }

    /** A FIRING alert of {@code rule} for the series {@code labels}, routed by its rule to {@code channels}. */
    static AlertEvent firing(String fingerprint, String rule, Severity severity, Map<String, String> labels,
                             List<String> channels) {
        return AlertEvent.newBuilder()
                .setFingerprint(fingerprint)
                .setRule(rule)
                .setState(AlertState.FIRING)
                .setSeverity(severity)
                .setMetric("gpu_temperature_celsius")
                .setLabels(labels)
                .setValue(91.0)
                .setCondition("gt")
                .setThreshold(85.0)
                .setForMs(60_000)
                .setStartsAt(STARTS_AT)
                .setEndsAt(null)
                .setSummary("GPU " + labels.getOrDefault("gpu", "?") + " is hot")
                .setDescription(null)
                .setChannels(channels)
                .build();
    }

    /** A critical FIRING alert with labels node=gpu-1, gpu=0, routed to {@code channels}. */
    static AlertEvent firing(String fingerprint, String... channels) {
        return firing(fingerprint, "gpu_hot", Severity.CRITICAL, Map.of("node", "gpu-1", "gpu", "0"),
                List.of(channels));
    }

    /** {@code alert} resolved one hour after it started. */
    static AlertEvent resolved(AlertEvent alert) {
        return AlertEvent.newBuilder(alert).setState(AlertState.RESOLVED).setValue(70.0)
                .setEndsAt(alert.getStartsAt().plusSeconds(3600)).build();
    }

    /** {@code alert} firing again, as a new instance that started {@code laterSeconds} after it. */
    static AlertEvent refired(AlertEvent alert, long laterSeconds) {
        return AlertEvent.newBuilder(alert).setStartsAt(alert.getStartsAt().plusSeconds(laterSeconds)).build();
    }

    /** {@code alert} in the Confluent wire format, its schema registered in the mock registry of {@code registryUrl}. */
    static byte[] bytes(String registryUrl, String topic, AlertEvent alert) {
        try (SpecificAvroSerializer<AlertEvent> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", registryUrl), false);
            return serializer.serialize(topic, alert);
        }
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
