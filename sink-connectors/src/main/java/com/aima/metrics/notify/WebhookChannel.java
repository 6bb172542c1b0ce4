package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts a group of alerts as JSON to an external system:
 * <pre>{@code
 * {"version": "1", "id": "<delivery key>", "groupKey": "<group key>", "status": "firing",
 *  "alerts": [{"fingerprint": "…", "rule": "gpu_temperature_high", "state": "FIRING", "severity": "CRITICAL",
 *              "metric": "gpu_temperature_celsius", "labels": {"gpu": "0", "node": "n1"}, "value": 91.5,
 *              "condition": "gt", "threshold": 85.0, "forMs": 300000, "startsAt": "2026-11-22T10:02:00Z",
 *              "endsAt": null, "summary": "…", "description": null}]}
 * }</pre>
 * {@code status} is {@code firing} while any alert of the group fires, else {@code resolved}. Headers:
 * <ul>
 *   <li>{@value #IDEMPOTENCY_KEY_HEADER}: the {@code id}, the same for the same alerts in the same states (see
 *       {@link AlertGroup#deliveryKey()}), so a receiver can drop a message that is sent again after a failure;</li>
 *   <li>{@value #SIGNATURE_HEADER}: {@code sha256=} and the hex HMAC-SHA256 of the exact body bytes keyed with the
 *       UTF-8 bytes of {@code webhook.secret}, only when a secret is set. The signature covers no time stamp, so it
 *       proves origin and integrity but not freshness; receivers that care keep the ids they have seen;</li>
 *   <li>the configured extra headers ({@code webhook.headers}), which cannot replace the ones above.</li>
 * </ul>
 */
final class WebhookChannel implements Channel {

    static final String NAME = "webhook";
    static final String VERSION = "1";
    static final String SIGNATURE_HEADER = "X-Signature";
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final byte[] secret;
    private final Map<String, String> headers;
    private final HttpSender http;

    /** @param secret the HMAC key, or null to send no signature */
    WebhookChannel(URI url, String secret, Map<String, String> headers, HttpSender http) {
        this.url = url;
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.headers = Map.copyOf(headers);
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void deliver(List<AlertEvent> alerts) throws DeliveryException {
        AlertGroup group = AlertGroup.of(alerts);
        byte[] body = HttpSender.json(NAME, payload(group));
        HttpRequest.Builder request = http.request(url);
        headers.forEach(request::header);
        request.setHeader("Content-Type", HttpSender.JSON_CONTENT_TYPE)
                .setHeader(IDEMPOTENCY_KEY_HEADER, group.deliveryKey());
        if (secret != null) {
            request.setHeader(SIGNATURE_HEADER, "sha256=" + hmacSha256Hex(secret, body));
        }
        http.send(NAME, request.POST(BodyPublishers.ofByteArray(body)).build());
    }

    static ObjectNode payload(AlertGroup group) {
        ObjectNode payload = JSON.createObjectNode()
                .put("version", VERSION)
                .put("id", group.deliveryKey())
                .put("groupKey", group.groupKey())
                .put("status", group.firing() > 0 ? "firing" : "resolved");
        ArrayNode list = payload.putArray("alerts");
        for (AlertEvent alert : group.alerts()) {
            ObjectNode item = list.addObject()
                    .put("fingerprint", alert.getFingerprint())
                    .put("rule", alert.getRule())
                    .put("state", alert.getState().name())
                    .put("severity", alert.getSeverity().name())
                    .put("metric", alert.getMetric());
            ObjectNode labels = item.putObject("labels");
            AlertFormat.sortedLabels(alert).forEach(labels::put);
            item.put("value", alert.getValue())
                    .put("condition", alert.getCondition())
                    .put("threshold", alert.getThreshold())
                    .put("forMs", alert.getForMs())
                    .put("startsAt", alert.getStartsAt().toString())
                    .put("endsAt", alert.getEndsAt() == null ? null : alert.getEndsAt().toString())
                    .put("summary", alert.getSummary())
                    .put("description", alert.getDescription());
        }
        return payload;
    }

    static String hmacSha256Hex(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java platform has HmacSHA256.", e);
        }
    }
}
