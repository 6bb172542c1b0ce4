package com.aima.metrics.notify;

import static com.aima.metrics.notify.Alerts.gpuHot;
import static com.aima.metrics.notify.Alerts.gpuHotResolved;
import static com.aima.metrics.notify.Alerts.memoryHigh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.Severity;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmsChannelTest {

    private static final String TEXT = """
            [FIRING:1, RESOLVED:1]
            CRITICAL gpu_memory_high: GPU "1" on n2
            RESOLVED gpu_temperature_high: GPU 0 on n1 is at 91.5 C""";

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
    void rendersTheJsonTemplateOncePerRecipientWithEscapedText() throws Exception {
        Channel sms = sms(Map.of(
                ChannelConfig.SMS_TO_CONFIG, "+491701234567, +49 170 7654321",
                ChannelConfig.SMS_BODY_TEMPLATE_CONFIG, "{\"recipient\":\"{{to}}\",\"message\":\"{{text}}\"}",
                ChannelConfig.SMS_HEADERS_CONFIG, "Authorization: Bearer t0k3n"));

        sms.deliver(List.of(gpuHotResolved(), quotedCritical()));

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests()).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("Authorization")).isEqualTo("Bearer t0k3n");
            assertThat(request.json().get("message").asText()).isEqualTo(TEXT);
        });
        assertThat(server.requests().get(0).text()).contains("GPU \\\"1\\\" on n2\\nRESOLVED");
        assertThat(server.requests()).extracting(request -> request.json().get("recipient").asText())
                .containsExactly("+491701234567", "+49 170 7654321");
    }

    @Test
    void rendersATwilioStyleFormTemplate() throws Exception {
        Channel sms = sms(Map.of(
                ChannelConfig.SMS_CONTENT_TYPE_CONFIG, SmsChannel.FORM,
                ChannelConfig.SMS_BODY_TEMPLATE_CONFIG, "To={{to}}&From=%2B15005550006&Body={{text}}"));

        sms.deliver(List.of(gpuHotResolved(), quotedCritical()));

        RecordingHttpServer.Request request = server.onlyRequest();
        assertThat(request.header("Content-Type")).isEqualTo(SmsChannel.FORM);
        assertThat(form(request.text()))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("To", "+491701234567", "From", "+15005550006", "Body", TEXT));
    }

    @Test
    void getAppendsTheRenderedTemplateToTheQuery() throws Exception {
        Channel sms = sms(Map.of(
                ChannelConfig.SMS_URL_CONFIG, server.url("/send?key=k1").toString(),
                ChannelConfig.SMS_METHOD_CONFIG, "GET",
                ChannelConfig.SMS_BODY_TEMPLATE_CONFIG, "to={{to}}&text={{text}}"));

        sms.deliver(List.of(gpuHot()));

        RecordingHttpServer.Request request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(form(request.uri().getRawQuery())).containsExactlyInAnyOrderEntriesOf(Map.of("key", "k1",
                "to", "+491701234567", "text", "[FIRING:1]\nCRITICAL gpu_temperature_high: GPU 0 on n1 is at 91.5 C"));
    }

    @Test
    void cutsTheTextToTheMaximumLength() throws Exception {
        Channel sms = sms(Map.of(ChannelConfig.SMS_MAX_LENGTH_CONFIG, "40"));

        sms.deliver(List.of(gpuHot(), memoryHigh()));

        assertThat(server.onlyRequest().json().get("text").asText())
                .isEqualTo("[FIRING:2]\nCRITICAL gpu_temperature_h...")
                .hasSize(40);
    }

    @Test
    void retriesOnlyTheRecipientsThatFailedRetryably() throws Exception {
        Channel sms = sms(Map.of(ChannelConfig.SMS_TO_CONFIG, "+4911111, +4922222, +4933333"));
        server.respond(200, "ok").respond(503, "busy").respond(400, "bad number");

        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> sms.deliver(List.of(gpuHot())));
        sms.deliver(List.of(gpuHot()));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).startsWith("sms: 2 of 3 recipients failed; first: sms: POST ")
                .contains("answered HTTP 503: busy");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(server.requests()).extracting(request -> request.json().get("to").asText())
                .containsExactly("+4911111", "+4922222", "+4933333", "+4922222");
    }

    @Test
    void failsWithoutRetryWhenNoFailureIsRetryable() {
        Channel sms = sms(Map.of());
        server.respond(401, "unauthorized");

        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> sms.deliver(List.of(gpuHot())));

        assertThat(failure.retryable()).isFalse();
    }

    /** A critical alert whose summary has quotes, a line break and spaces to fold. */
    private static AlertEvent quotedCritical() {
        return AlertEvent.newBuilder(memoryHigh())
                .setSeverity(Severity.CRITICAL)
                .setSummary("GPU \"1\"\n  on n2")
                .build();
    }

    private Channel sms(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                ChannelConfig.SMS_URL_CONFIG, server.url("/messages").toString(),
                ChannelConfig.SMS_TO_CONFIG, "+491701234567"));
        all.putAll(settings);
        return Channels.create(all).get("sms");
    }

    private static Map<String, String> form(String encoded) {
        return Arrays.stream(encoded.split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }
}
