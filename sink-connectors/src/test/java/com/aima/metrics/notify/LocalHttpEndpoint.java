package com.aima.metrics.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP endpoint on a free port of 127.0.0.1 (the JDK's server) that records every POST of the webhook channel
 * and answers 200, or the status a test sets: 503 for "down", 400 for alerts of a rule it
 * rejects.
 */
final class LocalHttpEndpoint implements AutoCloseable {

    /** One request: the status answered, the alerts posted, the body as received and its X-Signature header. */
    record Post(int status, List<JsonNode> alerts, byte[] body, String signature) {

        boolean accepted() {
            return status / 100 == 2;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String rejectedRule;

    private LocalHttpEndpoint(HttpServer server) {
        this.server = server;
        server.createContext("/hook", this::handle);
        server.start();
    }

    static LocalHttpEndpoint start() {
        try {
            return new LocalHttpEndpoint(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the test HTTP endpoint.", e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** Answers every later request with {@code status}. */
    void respondWith(int status) {
        this.status = status;
    }

    /** Answers 400 to a request with an alert of {@code rule}. */
    void reject(String rule) {
        this.rejectedRule = rule;
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    List<Post> accepted() {
        return posts.stream().filter(Post::accepted).toList();
    }

    long refused() {
        return posts.stream().filter(post -> !post.accepted()).count();
    }

    /** {@code fingerprint:state} of every alert in an accepted request, in order. */
    List<String> acceptedAlerts() {
        return accepted().stream().flatMap(post -> post.alerts().stream())
                .map(alert -> alert.path("fingerprint").asText() + ":" + alert.path("state").asText()).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<JsonNode> alerts = new ArrayList<>();
            JSON.readTree(body).path("alerts").forEach(alerts::add);
            int answer = status;
            if (rejectedRule != null && alerts.stream().anyMatch(a -> rejectedRule.equals(a.path("rule").asText()))) {
                answer = 400;
            }
            posts.add(new Post(answer, alerts, body,
                    exchange.getRequestHeaders().getFirst(WebhookChannel.SIGNATURE_HEADER)));
            exchange.sendResponseHeaders(answer, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
