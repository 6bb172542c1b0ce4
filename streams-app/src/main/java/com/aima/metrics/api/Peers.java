package com.aima.metrics.api;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks other instances for their part of an answer: the same path and pinned query with the caller's own
 * {@code Authorization} and {@value ApiServer#SCOPE_HEADER}: {@value ApiServer#SCOPE_LOCAL}, so that the other
 * instance checks the caller's token and permission itself and answers from its own stores only. Thread-safe.
 */
final class Peers {

    private final HttpClient client;
    private final String scheme;
    private final Duration timeout;
    private final ObjectMapper json;

    /**
     * @param ssl     the TLS context for calls to HTTPS peers, or null for plain HTTP
     * @param timeout the time-out of one call
     */
    Peers(SSLContext ssl, Duration timeout, ObjectMapper json) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
        this.scheme = ssl == null ? "http" : "https";
        this.timeout = timeout;
        this.json = json;
    }

    <R> CompletableFuture<Partial<R>> fetch(HostInfo host, String pathAndQuery, String authorization,
                                            Class<R> rowType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + host.host() + ":"
                        + host.port() + pathAndQuery)).timeout(timeout).GET()
                .header(ApiServer.SCOPE_HEADER, ApiServer.SCOPE_LOCAL).header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        JavaType type = json.getTypeFactory().constructParametricType(Partial.class, rowType);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw ApiException.unavailable("Instance " + host.host() + ":" + host.port() + " answered "
                        + response.statusCode() + " to its part of the query; retry.");
            }
            try {
                return json.readValue(response.body(), type);
            } catch (IOException e) {
                throw new UncheckedIOException("Instance " + host.host() + ":" + host.port()
                        + " sent an unreadable part: " + e.getMessage(), e);
            }
        });
    }
}
