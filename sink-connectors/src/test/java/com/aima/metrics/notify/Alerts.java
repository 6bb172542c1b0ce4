package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.serde.TrustedClasses;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** AlertEvents for tests, with fixed times, and their Confluent wire-format bytes. */
final class Alerts {

    static final Instant STARTS_AT = Instant.parse("2025-03-01T10:00:00Z");

    static {
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
}
