package com.aima.metrics.notify;

import static com.aima.metrics.notify.Alerts.gpuHot;
import static com.aima.metrics.notify.Alerts.gpuHotResolved;
import static com.aima.metrics.notify.Alerts.memoryHigh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {

    private static final String SECRET = "s3cr3t-\u00e4";

    private RecordingHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsEveryFieldOfEveryAlert() throws Exception {
        webhook(Map.of()).deliver(List.of(gpuHotResolved(), memoryHigh()));

        JsonNode payload = server.onlyRequest().json();
        assertThat(payload.get("version").asText()).isEqualTo("1");
        assertThat(payload.get("status").asText()).isEqualTo("firing");
        assertThat(payload.get("groupKey").asText()).hasSize(64);
        assertThat(payload.get("alerts")).hasSize(2);
        JsonNode firing = payload.at("/alerts/0");
        assertThat(firing.get("fingerprint").asText()).isEqualTo("b3c4");
        assertThat(firing.get("endsAt").isNull()).isTrue();
        assertThat(firing.get("description").isNull()).isTrue();
        JsonNode resolved = payload.at("/alerts/1");
        assertThat(resolved.toString()).isEqualTo("{\"fingerprint\":\"f1a2\",\"rule\":\"gpu_temperature_high\","
                + "\"state\":\"RESOLVED\",\"severity\":\"CRITICAL\",\"metric\":\"gpu_temperature_celsius\","
                + "\"labels\":{\"gpu\":\"0\",\"node\":\"n1\"},\"value\":80.0,\"condition\":\"gt\",\"threshold\":85.0,"
                + "\"forMs\":300000,\"startsAt\":\"2026-11-22T10:02:00Z\",\"endsAt\":\"2026-11-22T10:14:30Z\","
                + "\"summary\":\"GPU 0 on n1 is at 91.5 C\",\"description\":\"Check the fans of n1.\"}");
    }

    @Test
    void signsTheExactBodyAndSendsTheIdempotencyKeyAndExtraHeaders() throws Exception {
        webhook(Map.of(ChannelConfig.WEBHOOK_SECRET_CONFIG, SECRET,
                ChannelConfig.WEBHOOK_HEADERS_CONFIG, "Authorization: Bearer abc, X-Team: gpu-ops"))
                .deliver(List.of(gpuHot()));

        RecordingHttpServer.Request request = server.onlyRequest();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(request.header(WebhookChannel.SIGNATURE_HEADER))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
        assertThat(request.header(WebhookChannel.IDEMPOTENCY_KEY_HEADER))
                .isEqualTo(request.json().get("id").asText())
                .hasSize(64);
        assertThat(request.header("Authorization")).isEqualTo("Bearer abc");
        assertThat(request.header("X-Team")).isEqualTo("gpu-ops");
        assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    }

    @Test
    void sendsNoSignatureWithoutASecret() throws Exception {
        webhook(Map.of()).deliver(List.of(gpuHot()));

        assertThat(server.onlyRequest().headers()).doesNotContainKey(WebhookChannel.SIGNATURE_HEADER);
    }

    @Test
    void idempotencyKeyFollowsTheAlertsAndTheirStatesNotTheirOrder() throws Exception {
        Channel webhook = webhook(Map.of());
        webhook.deliver(List.of(gpuHot(), memoryHigh()));
        webhook.deliver(List.of(memoryHigh(), gpuHot()));
        webhook.deliver(List.of(gpuHotResolved(), memoryHigh()));

        List<String> keys = server.requests().stream()
                .map(request -> request.header(WebhookChannel.IDEMPOTENCY_KEY_HEADER))
                .toList();
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
        assertThat(keys.get(2)).isNotEqualTo(keys.get(0));
        List<String> groupKeys = server.requests().stream()
                .map(request -> request.json().get("groupKey").asText())
                .distinct()
                .toList();
        assertThat(groupKeys).hasSize(1);
    }

    private Channel webhook(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(ChannelConfig.WEBHOOK_URL_CONFIG, server.url("/alerts").toString());
        return Channels.create(all).get("webhook");
    }
}
