package com.aima.metrics.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpSenderTest {

    private static final String SECRET_PATH = "/services/T000/B000/XXXXsecretXXXX";

    private RecordingHttpServer server;
    private final HttpSender http = new HttpSender(Duration.ofMillis(500));

    @BeforeEach
    void startServer() throws IOException {
        server = new RecordingHttpServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void returnsOn2xx() throws DeliveryException {
        server.respond(202, "");

        http.send("teams", post(server.url(SECRET_PATH)));

        assertThat(server.onlyRequest().header("User-Agent")).isEqualTo("aima-metrics-notify");
    }

    @ParameterizedTest(name = "HTTP {0} -> retryable {1}")
    @CsvSource({"500, true", "503, true", "429, true", "400, false", "404, false", "410, false", "301, false"})
    void failsRetryablyOnlyOn429And5xx(int status, boolean retryable) {
        server.respond(status, "invalid_payload\n  details");

        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> http.send("slack", post(server.url(SECRET_PATH))));

        assertThat(failure.retryable()).isEqualTo(retryable);
        assertThat(failure.getMessage())
                .isEqualTo("slack: POST " + "http://127.0.0.1:" + server.url("/").getPort() + "/\u2026 answered HTTP "
                        + status + ": invalid_payload details")
                .doesNotContain("secret");
    }

    @Test
    void exposesRetryAfterInSeconds() {
        server.respond(429, "rate_limited", Map.of("Retry-After", "30"));

        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> http.send("slack", post(server.url(SECRET_PATH))));

        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void keepsTheStartOfALongErrorBody() {
        server.respond(400, "x".repeat(1_000));

        assertThatThrownBy(() -> http.send("webhook", post(server.url("/hook"))))
                .hasMessageEndingWith(": " + "x".repeat(HttpSender.MAX_ERROR_BODY_CHARS) + "\u2026");
    }

    @Test
    void refusedConnectionIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> http.send("sms", post(URI.create("http://127.0.0.1:" + closedPort + "/send?token=abc"))));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).startsWith("sms: POST http://127.0.0.1:" + closedPort + "/\u2026 failed: ")
                .doesNotContain("token");
        assertThat(failure).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void timeOutIsRetryable() {
        server.hang();

        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> http.send("webhook", post(server.url("/slow"))));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasCauseInstanceOf(HttpTimeoutException.class);
    }

    private HttpRequest post(URI uri) {
        return http.request(uri).POST(BodyPublishers.ofString("{}")).build();
    }
}
