package com.aima.metrics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.devstack.FreePorts;
import com.aima.metrics.schema.MetricEvent;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client's HTTP behaviour (headers, authentication, fail-over, error mapping) against a real local HTTP
 * server that answers like a registry. The full protocol against a real registry is in the ITs.
 */
class RestSchemaRegistryClientTest {

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{\"id\":42}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    private RestSchemaRegistryClient client(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.putIfAbsent(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url());
        return new RestSchemaRegistryClient(new AvroSerdeConfig(config));
    }

    @Test
    void registersUnderTheEncodedSubjectPath() {
        int id = client(Map.of()).register("aima.metrics.raw-value", MetricEvent.getClassSchema());

        assertThat(id).isEqualTo(42);
        assertThat(paths).containsExactly("POST /apis/ccompat/v7/subjects/aima.metrics.raw-value/versions");
        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void sendsBasicAuthFromUserInfo() {
        client(Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG, "alice:s3cret"))
                .register("t-value", MetricEvent.getClassSchema());

        assertThat(authorizations).containsExactly("Basic YWxpY2U6czNjcmV0");
    }

    @Test
    void sendsBasicAuthFromTheUrlAndNeverShowsIt() {
        String withUser = url().replace("http://", "http://bob:pw@");
        RestSchemaRegistryClient client = client(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, withUser));

        client.register("t-value", MetricEvent.getClassSchema());

        assertThat(authorizations).containsExactly("Basic Ym9iOnB3");
        assertThat(client.location()).doesNotContain("bob").doesNotContain("pw");
    }

    @Test
    void sendsABearerToken() {
        client(Map.of(AvroSerdeConfig.BEARER_AUTH_TOKEN_CONFIG, "tok-1")).lookup("t-value",
                MetricEvent.getClassSchema());

        assertThat(authorizations).containsExactly("Bearer tok-1");
        assertThat(paths).containsExactly("POST /apis/ccompat/v7/subjects/t-value");
    }

    @Test
    void failsOverToTheNextUrlWhenOneIsUnreachable() {
        String dead = "http://127.0.0.1:" + FreePorts.pick();
        RestSchemaRegistryClient client = client(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, dead + "," + url()));

        assertThat(client.register("t-value", MetricEvent.getClassSchema())).isEqualTo(42);
    }

    @Test
    void anUnreachableRegistryIsNamedInTheError() {
        String dead = "http://127.0.0.1:" + FreePorts.pick();
        RestSchemaRegistryClient client = client(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, dead));

        assertThatThrownBy(() -> client.schemaById(3))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(dead)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("schema id 3")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus())
                        .isEqualTo(SchemaRegistryException.UNREACHABLE));
    }

    @Test
    void mapsAConfluentErrorBody() {
        status = 409;
        body = "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}";

        assertThatThrownBy(() -> client(Map.of()).register("t-value", MetricEvent.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("incompatible")
                .hasMessageContaining("'t-value'")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isIncompatible()).isTrue());
    }
}
