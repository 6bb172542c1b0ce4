package com.aima.metrics.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * Sends the requests of the HTTP channels (Slack, Teams, webhook, SMS) and turns every answer but 2xx into a
 * {@link DeliveryException}: retryable for HTTP 429, 5xx and I/O failures (refused connection, time-out), not for
 * other statuses. Messages name the channel, method, scheme and host of the URL and the status, never the URL's path
 * or query, which for webhooks is the credential. Thread-safe; one instance serves all channels of a task.
 */
final class HttpSender {

    /** Characters of an error response's body kept in the exception's message. */
    static final int MAX_ERROR_BODY_CHARS = 200;

    static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

    private static final String USER_AGENT = "aima-metrics-notify";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Duration timeout;

    /** @param timeout for connecting and, separately, for the whole exchange of each request */
    HttpSender(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A request to {@code uri} with this sender's time-out and user agent. */
    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT);
    }

    /** {@code message} as JSON bytes. */
    static byte[] json(String channel, JsonNode message) throws DeliveryException {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new DeliveryException(channel + ": the message could not be written as JSON.", false, e);
        }
    }

    /** POSTs {@code message} as JSON to {@code uri}; see {@link #send}. */
    void postJson(String channel, URI uri, JsonNode message) throws DeliveryException {
        send(channel, request(uri)
                .header("Content-Type", JSON_CONTENT_TYPE)
                .POST(BodyPublishers.ofByteArray(json(channel, message)))
                .build());
    }

    /**
     * Sends {@code request} and returns when the endpoint answered 2xx.
     *
     * @throws DeliveryException for any other answer or when none came; carries {@code Retry-After} when given in
     *                           seconds
     */
    void send(String channel, HttpRequest request) throws DeliveryException {
        HttpResponse<String> response;
        try {
            response = client.send(request, BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException(channel + ": " + describe(request) + " failed: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(channel + ": " + describe(request) + " was interrupted.", true, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        boolean retryable = status == 429 || status >= 500;
        throw new DeliveryException(
                channel + ": " + describe(request) + " answered HTTP " + status + ": " + trim(response.body()),
                retryable, retryAfter(response), null);
    }

    /** {@code POST https://hooks.slack.com/…}: the URL without path, query and user info. */
    static String describe(HttpRequest request) {
        return request.method() + " " + masked(request.uri());
    }

    static String masked(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        boolean hidden = uri.getRawPath() != null && uri.getRawPath().length() > 1 || uri.getRawQuery() != null;
        return uri.getScheme() + "://" + uri.getHost() + port + (hidden ? "/\u2026" : "");
    }

    private static String trim(String body) {
        String text = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        return text.length() <= MAX_ERROR_BODY_CHARS ? text : text.substring(0, MAX_ERROR_BODY_CHARS) + "\u2026";
    }

    /** Retry-After in delta-seconds; the HTTP-date form, rare for webhooks, is ignored. */
    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
                .filter(value -> value.strip().matches("\\d{1,9}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value.strip())))
                .orElse(null);
    }
}
