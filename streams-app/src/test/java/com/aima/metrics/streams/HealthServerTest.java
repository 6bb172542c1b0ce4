package com.aima.metrics.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    private final AtomicReference<State> rollups = new AtomicReference<>(State.CREATED);
    private final AtomicReference<State> alerts = new AtomicReference<>(State.CREATED);
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void readyOnlyWhenEveryApplicationRuns() throws Exception {
        try (HealthServer server = HealthServer.start(0, states())) {
            assertThat(get(server, HealthServer.READY_PATH).statusCode()).isEqualTo(503);
            rollups.set(State.RUNNING);
            alerts.set(State.REBALANCING);
            assertThat(get(server, HealthServer.READY_PATH).statusCode()).isEqualTo(503);
            alerts.set(State.RUNNING);
            HttpResponse<String> ready = get(server, HealthServer.READY_PATH);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("rollups=RUNNING alerts=RUNNING\n");
        }
    }

    @Test
    void liveWhileStartingOrRebalancingNotAfterAFailure() throws Exception {
        try (HealthServer server = HealthServer.start(0, states())) {
            assertThat(get(server, HealthServer.LIVE_PATH).statusCode()).isEqualTo(200);
            rollups.set(State.REBALANCING);
            assertThat(get(server, HealthServer.LIVE_PATH).statusCode()).isEqualTo(200);
            alerts.set(State.ERROR);
            HttpResponse<String> live = get(server, HealthServer.LIVE_PATH);
            assertThat(live.statusCode()).isEqualTo(503);
            assertThat(live.body()).isEqualTo("rollups=REBALANCING alerts=ERROR\n");
            alerts.set(State.NOT_RUNNING);
            assertThat(get(server, HealthServer.LIVE_PATH).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void refusesOtherMethodsAndPaths() throws Exception {
        try (HealthServer server = HealthServer.start(0, states())) {
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(server, HealthServer.LIVE_PATH))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(get(server, "/other").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void healthPortIsOptionalAndChecked() {
        assertThat(StreamsApp.healthPort(Map.of())).isNull();
        assertThat(StreamsApp.healthPort(Map.of(StreamsApp.HEALTH_PORT_CONFIG, "8080"))).isEqualTo(8080);
        assertThatThrownBy(() -> StreamsApp.healthPort(Map.of(StreamsApp.HEALTH_PORT_CONFIG, "http")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamsApp.HEALTH_PORT_CONFIG);
        assertThatThrownBy(() -> StreamsApp.healthPort(Map.of(StreamsApp.HEALTH_PORT_CONFIG, 70_000)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("0 to 65535");
    }

    private Map<String, Supplier<State>> states() {
        Map<String, Supplier<State>> states = new LinkedHashMap<>();
        states.put("rollups", rollups::get);
        states.put("alerts", alerts::get);
        return states;
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(HealthServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
