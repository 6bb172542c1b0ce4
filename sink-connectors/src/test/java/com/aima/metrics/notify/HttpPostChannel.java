package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A minimal webhook channel for the integration test, until the real channels (another branch) are merged: POSTs
 * {@code {"alerts":[{fingerprint, rule, state, startsAt, summary}, ...]}} and maps the answer the way the
 * {@link Channel} contract asks (2xx delivered; 429, 5xx and I/O errors retryable; other statuses not).
 */
final class HttpPostChannel implements Channel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    HttpPostChannel(String name, URI url) {
        this.name = name;
        this.url = url;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(List<AlertEvent> alerts) throws DeliveryException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("alerts");
        for (AlertEvent alert : alerts) {
            array.addObject()
                    .put("fingerprint", alert.getFingerprint())
                    .put("rule", alert.getRule())
                    .put("state", alert.getState().name())
                    .put("startsAt", alert.getStartsAt().toString())
                    .put("summary", alert.getSummary());
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new DeliveryException("Webhook " + url + " is unreachable: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("Interrupted while posting to " + url + ".", true, e);
        }
        if (status / 100 != 2) {
            throw new DeliveryException("Webhook " + url + " answered HTTP " + status + ".",
                    status == 429 || status >= 500);
        }
    }
}
