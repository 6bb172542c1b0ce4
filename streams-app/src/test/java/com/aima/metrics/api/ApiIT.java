package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.alert.AlertHarness;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.rollup.RollupQueries;
import com.aima.metrics.schema.AuditEvent;
import com.aima.metrics.schema.AuditOutcome;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.streams.StreamsTestSettings;
import com.aima.metrics.streams.TestConsumers;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API on two streams-app instances sharing the real broker and registry (4 partitions, so each instance
 * owns some series): a query to either instance returns the same complete answer, an exact-series query is answered
 * through the owner, CSV carries the same numbers as JSON, bad input and unknown metrics are refused with the
 * parameter named, alerts and the live stream are filtered by permission, and every access is on the audit topic.
 */
@RealKafkaAndRegistry
class ApiIT {

    private static final Instant H0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
    private static final String METRIC = "gpu_utilization_percent";
    private static final String SECURITY = """
            roles:
              admin: ["metrics:read:*", "alerts:read"]
              utilization: ["metrics:read:gpu_utilization_percent", "alerts:read"]
            tokens:
              - name: admin
                token: admin-token
                roles: [admin]
              - name: utilization
                token: utilization-token
                roles: [utilization]
            rate_limit:
              requests_per_second: 1000
            """;
    private static final String RULES = """
            rules:
              - name: hot
                metric: gpu_temperature_celsius
                condition: gt
                threshold: 85
                severity: critical
            """;

    private final ApiClient client = new ApiClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eitherInstanceAnswersCompletelyAndOnlyWhatTheTokenMayRead(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        StreamsTestSettings.recreateTopics(kafka, 4);
        Files.writeString(dir.resolve("security.yaml"), SECURITY);
        Files.writeString(dir.resolve("rules.yaml"), RULES);
        String applicationId = "api-it-" + UUID.randomUUID();
        Map<String, Object> serde = registry.serdeConfig();
        Serializer<MetricEvent> events = SpecificAvroSerde.forValues(MetricEvent.class, serde).serializer();

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new ByteArraySerializer());
             StreamsApp.Running a = StreamsApp.start(settings(kafka, registry, applicationId, "a"));
             StreamsApp.Running b = StreamsApp.start(settings(kafka, registry, applicationId, "b"))) {
            // 8 series, a sample every 10 minutes from H0 to H2 + 20 min: hours H0 and H1 close in every partition.
            for (int node = 0; node < 4; node++) {
                for (int gpu = 0; gpu < 2; gpu++) {
                    for (int step = 0; step <= 14; step++) {
                        send(producer, events, METRIC, Map.of("node", "n" + node, "gpu", Integer.toString(gpu)),
                                H0.plus(Duration.ofMinutes(10L * step)), value(node, gpu, step));
                    }
                }
            }
            send(producer, events, "gpu_temperature_celsius", Map.of("node", "n1", "gpu", "0"),
                    Instant.now().minusSeconds(30), 90);
            String hours = "/metrics/aggregated/" + METRIC + "?interval=1h&start_time=" + H0 + "&end_time="
                    + H0.plus(Duration.ofHours(2));
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> response = client.get(a, hours, "admin-token", null);
                return response.statusCode() == 200 && json.readTree(response.body()).size() == 16
                        && allFinal(json.readTree(response.body()));
            });

            // The same complete answer from either instance, each holding only some of the partitions.
            assertThat(RollupQueries.activePartitions(a.rollups())).isNotEmpty();
            assertThat(RollupQueries.activePartitions(b.rollups())).isNotEmpty();
            for (String query : List.of(hours, hours + "&labels=node=n1", "/metrics/raw/" + METRIC + "?start_time="
                    + H0 + "&end_time=" + H0.plus(Duration.ofHours(3)) + "&labels=gpu=1&limit=10000",
                    "/metrics/raw/" + METRIC + "?start_time=" + H0 + "&limit=5")) {
                HttpResponse<String> fromA = client.get(a, query, "admin-token", null);
                HttpResponse<String> fromB = client.get(b, query, "admin-token", null);
                assertThat(fromA.statusCode()).as(query + ": " + fromA.body()).isEqualTo(200);
                assertThat(fromB.body()).as(query).isEqualTo(fromA.body());
            }
            JsonNode all = json.readTree(client.get(a, hours, "admin-token", null).body());
            JsonNode first = all.get(0);
            assertThat(first.get("start_time").asText()).isEqualTo(Rows.time(H0.toEpochMilli()));
            assertThat(first.get("count").asLong()).isEqualTo(6);
            JsonNode n1 = json.readTree(client.get(b, hours + "&labels=node=n1", "admin-token", null).body());
            assertThat(n1).hasSize(4);
            n1.forEach(row -> assertThat(row.get("labels").get("node").asText()).isEqualTo("n1"));
            // exact numbers of one window: node 2, gpu 1, hour H1 (steps 6..11)
            JsonNode exact = json.readTree(client.get(a, hours + "&labels=node=n2,gpu=1&match=exact", "admin-token", null)
                    .body());
            assertThat(exact).hasSize(2);
            JsonNode h1 = exact.get(1);
            double sum = 0;
            for (int step = 6; step <= 11; step++) {
                sum += value(2, 1, step);
            }
            assertThat(h1.get("sum").asDouble()).isEqualTo(sum);
            assertThat(h1.get("min_value").asDouble()).isEqualTo(value(2, 1, 6));
            assertThat(h1.get("max_value").asDouble()).isEqualTo(value(2, 1, 11));
            assertThat(json.readTree(client.get(b, hours + "&labels=node=n2,gpu=1&match=exact", "admin-token", null)
                    .body())).isEqualTo(exact);
            HttpResponse<String> limited = client.get(b, "/metrics/raw/" + METRIC + "?start_time=" + H0 + "&limit=5",
                    "admin-token", null);
            assertThat(json.readTree(limited.body())).hasSize(5);
            assertThat(limited.headers().firstValue(Responses.TRUNCATED_HEADER)).hasValue("true");

            // CSV: the same numbers as JSON
            List<Map<String, String>> csv = ApiClient.csv(client.get(b, hours, "admin-token", "text/csv").body());
            assertThat(csv).hasSize(all.size());
            for (int i = 0; i < all.size(); i++) {
                for (String column : List.of("count", "sum", "min_value", "max_value", "avg_value", "percentile_50",
                        "percentile_95", "percentile_99")) {
                    assertThat(Double.parseDouble(csv.get(i).get(column))).as(column)
                            .isEqualTo(all.get(i).get(column).asDouble());
                }
                assertThat(csv.get(i).get("start_time")).isEqualTo(all.get(i).get("start_time").asText());
            }

            // bad input and unknown metrics
            assertProblem(client.get(a, "/metrics/aggregated/" + METRIC + "?interval=2h", "admin-token", null), 400,
                    "interval");
            assertProblem(client.get(a, "/metrics/raw/" + METRIC + "?start_time=yesterday", "admin-token", null), 400,
                    "start_time");
            assertProblem(client.get(a, "/metrics/raw/" + METRIC + "?labels=node", "admin-token", null), 400, "labels");
            assertProblem(client.get(a, "/metrics/raw/" + METRIC + "?limit=0", "admin-token", null), 400, "limit");
            assertProblem(client.get(a, "/metrics/raw/no_such_metric", "admin-token", null), 404, "metric_name");
            assertThat(client.get(a, "/metrics/raw/gpu_temperature_celsius", "utilization-token", null).statusCode())
                    .isEqualTo(403);

            // alerts: both instances, filtered by permission
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    json.readTree(client.get(b, "/alerts", "admin-token", null).body()).size() == 1);
            JsonNode alert = json.readTree(client.get(a, "/alerts", "admin-token", null).body()).get(0);
            assertThat(alert.get("rule").asText()).isEqualTo("hot");
            assertThat(alert.get("severity").asText()).isEqualTo("CRITICAL");
            assertThat(alert.get("value").asDouble()).isEqualTo(90.0);
            assertThat(json.readTree(client.get(a, "/alerts", "utilization-token", null).body())).isEmpty();

            // the live stream: connected, then the next alert of a readable metric
            HttpResponse<java.io.InputStream> stream = client.http().send(HttpRequest.newBuilder(ApiClient.uri(b,
                            ApiServer.ALERT_STREAM_PATH)).header("Authorization", "Bearer admin-token").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8))) {
                assertThat(lines.readLine()).isEqualTo(": connected");
                send(producer, events, "gpu_temperature_celsius", Map.of("node", "n3", "gpu", "1"),
                        Instant.now().minusSeconds(5), 95);
                String data = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data: ")) {
                        data = line.substring("data: ".length());
                        break;
                    }
                }
                JsonNode pushed = json.readTree(data);
                assertThat(pushed.get("state").asText()).isEqualTo("FIRING");
                assertThat(pushed.get("labels").get("node").asText()).isEqualTo("n3");
            }

            // the audit topic: who, what, result; forwarded parts marked
            try (KafkaConsumer<String, AuditEvent> audit = TestConsumers.avro(kafka, serde, AuditEvent.class,
                    Topics.AUDIT)) {
                List<AuditEvent> seen = new ArrayList<>();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    audit.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
                    return seen.stream().anyMatch(e -> e.getOutcome() == AuditOutcome.FORBIDDEN)
                            && seen.stream().anyMatch(AuditEvent::getForwarded)
                            && seen.stream().anyMatch(e -> e.getOutcome() == AuditOutcome.NOT_FOUND);
                });
                AuditEvent forbidden = seen.stream().filter(e -> e.getOutcome() == AuditOutcome.FORBIDDEN)
                        .findFirst().orElseThrow();
                assertThat(forbidden.getSubject()).isEqualTo("utilization");
                assertThat(forbidden.getStatus()).isEqualTo(403);
                assertThat(forbidden.getResource()).isEqualTo("metrics:read:gpu_temperature_celsius");
                assertThat(seen).anySatisfy(e -> {
                    assertThat(e.getSubject()).isEqualTo("admin");
                    assertThat(e.getOutcome()).isEqualTo(AuditOutcome.ALLOWED);
                    assertThat(e.getRows()).isEqualTo(16);
                });
            }
        }
    }

    private static double value(int node, int gpu, int step) {
        return 10 * node + gpu + step * 0.5;
    }

    private static boolean allFinal(JsonNode rows) {
        for (JsonNode row : rows) {
            if (!row.get("final").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    private void assertProblem(HttpResponse<String> response, int status, String parameter) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("parameter").asText()).isEqualTo(parameter);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }




    private static void send(KafkaProducer<String, byte[]> producer, Serializer<MetricEvent> events, String name,
                             Map<String, String> labels, Instant time, double value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.METRICS_RAW, SeriesKey.of(name, labels),
                events.serialize(Topics.METRICS_RAW, AlertHarness.sample(name, labels, time, value)))).get();
    }

    private Map<String, Object> settings(KafkaBroker kafka, SchemaRegistry registry, String applicationId,
                                         String machine) {
        Map<String, Object> settings = StreamsTestSettings.of(kafka, registry, applicationId, dir.resolve(machine),
                4);
        settings.put(CostConfig.ENABLED_CONFIG, "false");
        settings.put(AlertConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(AlertConfig.RULES_FILE_CONFIG, dir.resolve("rules.yaml").toString());
        return StreamsTestSettings.withApi(settings, dir.resolve("security.yaml"));
    }
}
