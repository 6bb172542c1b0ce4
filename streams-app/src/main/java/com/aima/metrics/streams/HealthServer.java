package com.aima.metrics.streams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Health endpoints of the streams application for container health checks and Kubernetes probes, over the JDK's HTTP
 * server (one thread; each request reads the applications' states and nothing else):
 * <ul>
 *   <li>{@code GET /health/live}: 200 unless an application has failed or stopped ({@code ERROR},
 *       {@code PENDING_ERROR}, {@code NOT_RUNNING}, {@code PENDING_SHUTDOWN}): a liveness probe that restarts the
 *       process only when Kafka Streams cannot recover by itself. Rebalancing and state restoration count as live.</li>
 *   <li>{@code GET /health/ready}: 200 when every application is {@code RUNNING}, else 503.</li>
 * </ul>
 * The body is one line naming each application and its state, for example {@code rollups=RUNNING alerts=RUNNING}.
 */
public final class HealthServer implements AutoCloseable {

    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    private static final Set<State> DEAD = EnumSet.of(State.ERROR, State.PENDING_ERROR, State.NOT_RUNNING,
            State.PENDING_SHUTDOWN);

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts the endpoints on {@code port} of every interface.
     *
     * @param port   the port; 0 picks a free one ({@link #port()})
     * @param states each application's name and its current state, read on every request
     * @throws IOException when the port cannot be bound
     */
    public static HealthServer start(int port, Map<String, Supplier<State>> states) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext(LIVE_PATH, exchange -> answer(exchange, states,
                current -> current.values().stream().noneMatch(DEAD::contains)));
        server.createContext(READY_PATH, exchange -> answer(exchange, states,
                current -> current.values().stream().allMatch(state -> state == State.RUNNING)));
        server.start();
        return new HealthServer(server);
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Map<String, Supplier<State>> states,
                               Predicate<Map<String, State>> healthy) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Map<String, State> current = states.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    entry -> entry.getValue().get(), (a, b) -> a, LinkedHashMap::new));
            byte[] body = (current.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                    .collect(Collectors.joining(" ")) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(healthy.test(current) ? 200 : 503, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
