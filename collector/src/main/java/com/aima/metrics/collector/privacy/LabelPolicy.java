package com.aima.metrics.collector.privacy;

import com.aima.metrics.collector.EventSink;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What labels may leave the node (seed 004 section 7.1): per metric an allowlist of label names (a default list for
 * metrics without their own), and label names whose values identify a person (user ids, e-mail addresses) and are
 * replaced by their HMAC-SHA256 with the deployment's key, as 64 hex digits, so the same person maps to the same value
 * without the value being readable. Labels not allowed are dropped and counted. Thread-safe.
 */
public final class LabelPolicy {

    /** The shortest HMAC key accepted, in bytes (128 bits). */
    public static final int MIN_KEY_BYTES = 16;
    /** The name under which {@code allow} lists the labels of job events. */
    public static final String JOB_EVENT = "job_event";
    private static final String HMAC = "HmacSHA256";

    private final Map<String, Set<String>> allowedByMetric;
    private final Set<String> defaultAllowed;
    private final Set<String> personal;
    private final ThreadLocal<Mac> macs;
    private long dropped;

    /**
     * @param allowedByMetric label names allowed per metric name
     * @param defaultAllowed  label names allowed for metrics not in {@code allowedByMetric}
     * @param personal        label names whose values are hashed (they must also be allowed to be kept)
     * @param hmacKey         the deployment's HMAC key, at least {@value #MIN_KEY_BYTES} bytes
     * @throws IllegalArgumentException if the key is shorter
     */
    public LabelPolicy(Map<String, Set<String>> allowedByMetric, Set<String> defaultAllowed, Set<String> personal,
                       byte[] hmacKey) {
        if (hmacKey == null || hmacKey.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The label HMAC key must have at least " + MIN_KEY_BYTES
                    + " bytes, not " + (hmacKey == null ? 0 : hmacKey.length) + ".");
        }
        this.allowedByMetric = Map.copyOf(allowedByMetric);
        this.defaultAllowed = Set.copyOf(defaultAllowed);
        this.personal = Set.copyOf(personal);
        SecretKeySpec key = new SecretKeySpec(hmacKey.clone(), HMAC);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM.", e);
            }
        });
    }

    /** The labels of {@code metric} that may leave the node, personal values hashed. */
    public Map<String, String> apply(String metric, Map<String, String> labels) {
        Set<String> allowed = allowedByMetric.getOrDefault(metric, defaultAllowed);
        Map<String, String> kept = new HashMap<>(labels.size());
        int droppedHere = 0;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!allowed.contains(label.getKey())) {
                droppedHere++;
            } else if (personal.contains(label.getKey())) {
                kept.put(label.getKey(), hmacHex(label.getValue()));
            } else {
                kept.put(label.getKey(), label.getValue());
            }
        }
        if (droppedHere > 0) {
            synchronized (this) {
                dropped += droppedHere;
            }
        }
        return kept;
    }

    /**
     * A sink that applies this policy to the labels of every event, metric and job alike, before passing it to
     * {@code next}: the one place through which every source's events leave the node.
     */
    public EventSink guard(EventSink next) {
        return new EventSink() {
            @Override
            public void publishMetrics(List<MetricEvent> events) {
                for (MetricEvent event : events) {
                    event.setLabels(apply(event.getName(), event.getLabels()));
                }
                next.publishMetrics(events);
            }

            @Override
            public void publishJob(JobEvent event) {
                event.setLabels(apply(JOB_EVENT, event.getLabels()));
                next.publishJob(event);
            }
        };
    }

    /** Labels dropped so far because they were not allowed. */
    public synchronized long dropped() {
        return dropped;
    }

    /** HMAC-SHA256 of {@code value} (UTF-8) with this policy's key, as 64 lower-case hex digits. */
    public String hmacHex(String value) {
        // doFinal resets the Mac for the next value: one keyed instance per thread, not a provider lookup per value
        return HexFormat.of().formatHex(macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }
}
