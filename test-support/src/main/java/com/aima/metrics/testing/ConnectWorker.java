package com.aima.metrics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.aima.metrics.devstack.EmbeddedConnect;
import org.awaitility.Awaitility;

/**
 * A real Kafka Connect worker in this JVM: Connect's standalone herder (the code path of {@code connect-standalone.sh})
 * against a test broker, with plugins found on the class path by {@code plugin.discovery=service_load} (a plugin ships
 * {@code META-INF/services/org.apache.kafka.connect.sink.SinkConnector}; the worker starts in about 3 s instead of 8-17
 * s of class-path scanning) and its REST API on a free port of 127.0.0.1. Connectors are created, stopped, reset and
 * deleted through that REST API, as an operator would. Sink offsets live in the broker (consumer group
 * {@code connect-<connector>}), so a second worker started against the same broker continues where the first left off.
 *
 * <p>The caller closes the worker. Needs {@code org.apache.kafka:connect-runtime} on the test class path (an optional
 * dependency of this module).
 */
public final class ConnectWorker implements AutoCloseable {

    /** How long to wait for a connector or task to reach a state, and for one REST call. */
    public static final Duration STATE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final EmbeddedConnect connect;
    private final Path offsetsFile;
    private final URI restUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private ConnectWorker(EmbeddedConnect connect, Path offsetsFile) {
        this.connect = connect;
        this.offsetsFile = offsetsFile;
        this.restUrl = connect.restUrl();
    }

    /** Starts a worker against {@code kafka} with this harness's defaults (see {@link #start(KafkaBroker, Map)}). */
    public static ConnectWorker start(KafkaBroker kafka) {
        return start(kafka, Map.of());
    }

    /**
     * Starts a worker against {@code kafka} and waits until its REST API answers. Defaults: byte-array key and value
     * converters (connectors set their own), offsets committed every second ({@code offset.flush.interval.ms=1000}),
     * source offsets in a temporary file; {@code workerOverrides} replaces any of them or adds worker settings.
     *
     * @throws IllegalStateException if the worker does not start; Connect's own exit on a failed start is turned into
     *                               this exception instead of ending the test JVM
     */
    public static ConnectWorker start(KafkaBroker kafka, Map<String, String> workerOverrides) {
        Path offsetsFile;
        try {
            offsetsFile = Files.createTempFile("connect-offsets-", ".dat");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the standalone worker's offsets file.", e);
        }
        ConnectWorker worker = new ConnectWorker(EmbeddedConnect.start(kafka.bootstrapServers(), offsetsFile,
                workerOverrides), offsetsFile);
        worker.awaitReady();
        return worker;
    }

    /** The REST API's root, for example {@code http://127.0.0.1:40123/}. */
    public URI restUrl() {
        return restUrl;
    }

    /** Class names of the connector plugins the worker found. */
    public List<String> connectorPlugins() {
        List<String> classes = new ArrayList<>();
        get("connector-plugins?connectorsOnly=true").forEach(plugin -> classes.add(plugin.path("class").asText()));
        return classes;
    }

    /**
     * The worker's validation of {@code config} for {@code connectorClass}: the error messages by key, only keys that
     * have errors.
     */
    public Map<String, List<String>> validate(String connectorClass, Map<String, String> config) {
        Map<String, String> body = new HashMap<>(config);
        body.put("connector.class", connectorClass);
        JsonNode result = send("PUT", "connector-plugins/" + encode(connectorClass) + "/config/validate", body);
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode entry : result.path("configs")) {
            JsonNode value = entry.path("value");
            List<String> messages = new ArrayList<>();
            value.path("errors").forEach(message -> messages.add(message.asText()));
            if (!messages.isEmpty()) {
                errors.put(value.path("name").asText(), messages);
            }
        }
        return errors;
    }

    /** Creates (or reconfigures) connector {@code name} and waits until it and {@code tasks} tasks run. */
    public void createConnector(String name, Map<String, String> config, int tasks) {
        send("PUT", "connectors/" + encode(name) + "/config", config);
        awaitState(name, "RUNNING", tasks);
    }

    /** The connector's status as the REST API gives it: {@code connector.state}, {@code tasks[i].state}, traces. */
    public JsonNode status(String name) {
        return get("connectors/" + encode(name) + "/status");
    }

    /** Stops connector {@code name} (its tasks end, its configuration stays) and waits until it is STOPPED. */
    public void stopConnector(String name) {
        send("PUT", "connectors/" + encode(name) + "/stop", null);
        awaitState(name, "STOPPED", 0);
    }

    /** Resumes a stopped or paused connector and waits until it and {@code tasks} tasks run. */
    public void resumeConnector(String name, int tasks) {
        send("PUT", "connectors/" + encode(name) + "/resume", null);
        awaitState(name, "RUNNING", tasks);
    }

    /**
     * Forgets a stopped connector's offsets; for a sink, its consumer group's committed offsets, so that the next start
     * reads its topics from {@code auto.offset.reset} (earliest, for sinks) again.
     */
    public void resetOffsets(String name) {
        send("DELETE", "connectors/" + encode(name) + "/offsets", null);
    }

    /** The committed offsets of a sink connector: offset by {@code topic-partition}. */
    public Map<String, Long> sinkOffsets(String name) {
        Map<String, Long> offsets = new HashMap<>();
        for (JsonNode entry : get("connectors/" + encode(name) + "/offsets").path("offsets")) {
            JsonNode partition = entry.path("partition");
            offsets.put(partition.path("kafka_topic").asText() + "-" + partition.path("kafka_partition").asInt(),
                    entry.path("offset").path("kafka_offset").asLong());
        }
        return offsets;
    }

    /** Restarts the connector and all its tasks and waits until they run again. */
    public void restartConnector(String name, int tasks) {
        send("POST", "connectors/" + encode(name) + "/restart?includeTasks=true&onlyFailed=false", null);
        awaitState(name, "RUNNING", tasks);
    }

    /** Deletes connector {@code name}; its tasks are stopped first. */
    public void deleteConnector(String name) {
        send("DELETE", "connectors/" + encode(name), null);
    }

    /**
     * Waits until the connector is in {@code state} with {@code tasks} tasks all in that state.
     *
     * @throws org.awaitility.core.ConditionTimeoutException after {@link #STATE_TIMEOUT}, with the last status
     */
    public void awaitState(String name, String state, int tasks) {
        Awaitility.await("connector " + name + " " + state + " with " + tasks + " task(s)")
                .atMost(STATE_TIMEOUT).pollInterval(POLL_INTERVAL)
                .until(() -> statusOrNull(name), status -> status != null && hasState(status, state, tasks));
    }

    private JsonNode statusOrNull(String name) {
        HttpResponse<String> response = call("GET", "connectors/" + encode(name) + "/status", null);
        return response.statusCode() == 200 ? parse(response.body()) : null;
    }

    private static boolean hasState(JsonNode status, String state, int tasks) {
        if (!state.equals(status.path("connector").path("state").asText())) {
            return false;
        }
        JsonNode taskStates = status.path("tasks");
        for (JsonNode task : taskStates) {
            if ("FAILED".equals(task.path("state").asText())) {
                throw new IllegalStateException("Task " + task.path("id").asInt() + " failed: "
                        + task.path("trace").asText());
            }
        }
        if (taskStates.size() != tasks) {
            return false;
        }
        for (JsonNode task : taskStates) {
            if (!state.equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private void awaitReady() {
        Awaitility.await("Connect worker REST API at " + restUrl).atMost(STATE_TIMEOUT).pollInterval(POLL_INTERVAL)
                .ignoreExceptions()
                .until(() -> call("GET", "", null).statusCode() == 200);
    }

    private JsonNode get(String path) {
        return send("GET", path, null);
    }

    private JsonNode send(String method, String path, Object body) {
        HttpResponse<String> response = call(method, path, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + restUrl + path + " answered HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body().isEmpty() ? json.nullNode() : parse(response.body());
    }

    private HttpResponse<String> call(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
            HttpRequest request = HttpRequest.newBuilder(restUrl.resolve(path))
                    .timeout(STATE_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .method(method, publisher)
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + restUrl + path + " failed.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + restUrl + path + ".", e);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("The Connect REST API answered something that is not JSON: " + body, e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Stops every connector and task (committing sink offsets, as a worker shut down cleanly does) and the worker. */
    @Override
    public void close() {
        try {
            connect.close();
        } finally {
            try {
                Files.deleteIfExists(offsetsFile);
            } catch (IOException e) {
                // A temporary file left behind is harmless.
            }
        }
    }
}
