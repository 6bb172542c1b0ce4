package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.aima.metrics.Topics;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.serde.TrustedClasses;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.streams.StreamsTestSettings;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost views of the REST API on two streams-app instances with the cost engine, on the real broker and registry:
 * the engine's single task runs on one of them, and either answers every cost query completely (the other forwards
 * it), with the amounts the catalog gives, only the projects the token may read, the same numbers in CSV, and 403 or
 * 404 for a job of another project or no job.
 */
@RealKafkaAndRegistry
class CostApiIT {

    private static final String H100 = "NVIDIA H100 80GB HBM3";
    private static final String CATALOG = """
            currency: EUR
            timezone: UTC
            providers:
              aws:
                prices:
                  - gpu_type: NVIDIA H100 80GB HBM3
                    pricing_model: on_demand
                    price_per_gpu_hour: 4.00
            budgets:
              - project: news
                monthly: 100
                daily: 10
            """;
    private static final String SECURITY = """
            roles:
              finance: ["costs:read:*"]
              news-costs: ["costs:read:project:news"]
            tokens:
              - name: finance
                token: finance-token
                roles: [finance]
              - name: news
                token: news-token
                roles: [news-costs]
            rate_limit:
              requests_per_second: 1000
            """;

    private final ApiClient client = new ApiClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eitherInstanceAnswersTheCostViewsOfTheProjectsTheTokenMayRead(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        TrustedClasses.trustSchemaPackage(); // the builders below resolve enum defaults before any serde runs
        StreamsTestSettings.recreateTopics(kafka, 2);
        Files.writeString(dir.resolve("security.yaml"), SECURITY);
        Files.writeString(dir.resolve("prices.yaml"), CATALOG);
        Instant t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
        String applicationId = "cost-api-it-" + UUID.randomUUID();
        Serializer<JobEvent> jobs = SpecificAvroSerde.forValues(JobEvent.class, registry.serdeConfig()).serializer();
        String hour = "start_time=" + t0 + "&end_time=" + t0.plus(Duration.ofHours(1));
        String jobList = "/costs/jobs?" + hour;

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new ByteArraySerializer());
             StreamsApp.Running a = StreamsApp.start(settings(kafka, registry, applicationId, "a"));
             StreamsApp.Running b = StreamsApp.start(settings(kafka, registry, applicationId, "b"))) {
            // all in hour t0 at 4.00 EUR per GPU-hour: n1 45 min = 3.00, "n 2" 30 min = 2.00, s1 30 min = 2.00
            List<JobEvent> events = new ArrayList<>();
            events.addAll(run("n1", "news", "GPU-a", t0, t0.plus(Duration.ofMinutes(45))));
            events.addAll(run("n 2", "news", "GPU-b", t0.plus(Duration.ofMinutes(15)), t0.plus(Duration.ofMinutes(45))));
            events.addAll(run("s1", "sports", "GPU-c", t0, t0.plus(Duration.ofMinutes(30))));
            for (JobEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.JOBS, event.getJobId(), jobs.serialize(Topics.JOBS, event)))
                        .get();
            }
            Awaitility.await("the jobs, device hours and budgets").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500)).until(() ->
                            rows(a, jobList, "finance-token") == 3
                                    && rows(a, "/costs/device_hours?" + hour, "finance-token") == 3
                                    && rows(a, "/costs/budgets?project=news&" + hour, "finance-token") == 2);

            // one instance runs the engine's task; the other answers by forwarding to it
            assertThat(List.of(localPartitions(a, jobList), localPartitions(b, jobList)))
                    .containsExactlyInAnyOrder(List.of(0), List.of());
            for (String query : List.of(jobList, "/costs/device_hours?" + hour, "/costs/budgets?" + hour,
                    "/costs/jobs/n1", "/costs/jobs/n%202", "/costs/estimate_accuracy?" + hour + "&limit=5",
                    jobList + "&project=news&gpu_type=NVIDIA%20H100%2080GB%20HBM3&labels=outcome=COMPLETED")) {
                HttpResponse<String> fromA = client.get(a, query, "finance-token", null);
                HttpResponse<String> fromB = client.get(b, query, "finance-token", null);
                assertThat(fromA.statusCode()).as(query + ": " + fromA.body()).isEqualTo(200);
                assertThat(fromB.body()).as(query).isEqualTo(fromA.body());
            }

            JsonNode all = json.readTree(client.get(b, jobList, "finance-token", null).body());
            // by end, then job id: "n 2" and n1 end together, and ' ' sorts before '1'
            assertThat(all).extracting(row -> row.get("job_id").asText()).containsExactly("s1", "n 2", "n1");
            assertThat(amounts(all)).containsExactly(new BigDecimal("2"), new BigDecimal("2"), new BigDecimal("3"));
            JsonNode n1 = all.get(2);
            assertThat(n1.get("project").asText()).isEqualTo("news");
            assertThat(n1.get("gpu_hours").asDouble()).isEqualTo(0.75);
            assertThat(n1.get("currency").asText()).isEqualTo("EUR");
            assertThat(n1.get("priced").asBoolean()).isTrue();
            assertThat(n1.get("labels").get("outcome").asText()).isEqualTo("COMPLETED");
            JsonNode hours = json.readTree(client.get(a, "/costs/device_hours?" + hour, "finance-token", null).body());
            assertThat(hours).extracting(row -> row.get("labels").get("gpu_uuid").asText(),
                            row -> row.get("gpu_hours").asDouble())
                    .containsExactly(tuple("GPU-a", 0.75),
                            tuple("GPU-b", 0.5),
                            tuple("GPU-c", 0.5));
            // news spent 5.00 of its daily 10.00 on the day of t0
            JsonNode day = findBudget(json.readTree(client.get(b, "/costs/budgets?project=news&" + hour, "finance-token",
                    null).body()), "day");
            assertThat(day.get("amount").decimalValue()).isEqualByComparingTo("5");
            assertThat(day.get("ratio").asDouble()).isEqualTo(0.5);
            assertThat(day.get("start_time").asText()).isEqualTo(
                    Rows.time(t0.truncatedTo(ChronoUnit.DAYS).toEpochMilli()));

            // filters and the limit
            assertThat(json.readTree(client.get(a, jobList + "&project=news&gpu_type=NVIDIA%20H100%2080GB%20HBM3"
                    + "&labels=outcome=COMPLETED&analysis_type=video", "finance-token", null).body()))
                    .extracting(row -> row.get("job_id").asText()).containsExactly("n 2", "n1");
            HttpResponse<String> limited = client.get(b, jobList + "&limit=1", "finance-token", null);
            assertThat(json.readTree(limited.body())).hasSize(1);
            assertThat(limited.headers().firstValue(Responses.TRUNCATED_HEADER)).hasValue("true");

            // CSV: the same numbers as JSON
            List<Map<String, String>> csv = ApiClient.csv(client.get(a, jobList, "finance-token", "text/csv").body());
            assertThat(csv).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(new BigDecimal(csv.get(i).get("amount")))
                        .isEqualByComparingTo(all.get(i).get("amount").decimalValue());
                assertThat(Double.parseDouble(csv.get(i).get("gpu_hours")))
                        .isEqualTo(all.get(i).get("gpu_hours").asDouble());
                assertThat(csv.get(i).get("job_id")).isEqualTo(all.get(i).get("job_id").asText());
            }

            // a project's token: its own projects only, on either instance
            for (StreamsApp.Running app : List.of(a, b)) {
                assertThat(json.readTree(client.get(app, jobList, "news-token", null).body()))
                        .extracting(row -> row.get("job_id").asText()).containsExactly("n 2", "n1");
                assertThat(client.get(app, "/costs/jobs/n%202", "news-token", null).statusCode()).isEqualTo(200);
                assertThat(client.get(app, "/costs/jobs/s1", "news-token", null).statusCode()).isEqualTo(403);
                assertThat(client.get(app, jobList + "&project=sports", "news-token", null).statusCode()).isEqualTo(403);
                assertThat(client.get(app, "/costs/device_hours?" + hour, "news-token", null).statusCode()).isEqualTo(403);
                HttpResponse<String> unknown = client.get(app, "/costs/jobs/no-such-job", "finance-token", null);
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(json.readTree(unknown.body()).get("parameter").asText()).isEqualTo("job_id");
            }
        }
    }

    /** SUBMITTED, STARTED on {@code device} and COMPLETED events of one job on aws H100 on demand. */
    private static List<JobEvent> run(String id, String project, String device, Instant start, Instant end) {
        return List.of(event(id, project, JobEventType.SUBMITTED, start.minusSeconds(60)).build(),
                event(id, project, JobEventType.STARTED, start).setProvider("aws").setGpuType(H100)
                        .setPricingModel("on_demand").setAssignedDevices(List.of(device)).build(),
                event(id, project, JobEventType.COMPLETED, end).build());
    }

    private static JobEvent.Builder event(String id, String project, JobEventType type, Instant time) {
        return JobEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setJobId(id).setType(type)
                .setEventTime(time).setProject(project).setAnalysisType(AnalysisType.VIDEO);
    }

    private static List<BigDecimal> amounts(JsonNode rows) {
        List<BigDecimal> amounts = new ArrayList<>();
        rows.forEach(row -> amounts.add(row.get("amount").decimalValue().stripTrailingZeros()));
        return amounts;
    }

    private static JsonNode findBudget(JsonNode rows, String period) {
        for (JsonNode row : rows) {
            if (row.get("labels").get("budget_period").asText().equals(period)) {
                return row;
            }
        }
        throw new AssertionError("No " + period + " budget in " + rows);
    }

    private int rows(StreamsApp.Running app, String query, String token) throws Exception {
        HttpResponse<String> response = client.get(app, query, token, null);
        return response.statusCode() == 200 ? json.readTree(response.body()).size() : -1;
    }

    /** The partitions of the cost engine one instance answers from itself (scope local). */
    private List<Integer> localPartitions(StreamsApp.Running app, String query) throws Exception {
        HttpResponse<String> response = client.http().send(HttpRequest.newBuilder(ApiClient.uri(app, query))
                .header("Authorization", "Bearer finance-token")
                .header(ApiServer.SCOPE_HEADER, ApiServer.SCOPE_LOCAL).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Integer> partitions = new ArrayList<>();
        json.readTree(response.body()).get("partitions").forEach(partition -> partitions.add(partition.asInt()));
        return partitions;
    }




    private Map<String, Object> settings(KafkaBroker kafka, SchemaRegistry registry, String applicationId,
                                         String machine) {
        Map<String, Object> settings = StreamsTestSettings.of(kafka, registry, applicationId, dir.resolve(machine),
                2);
        settings.put(AlertConfig.ENABLED_CONFIG, "false");
        StreamsTestSettings.withCostsOfPastInputs(settings, dir.resolve("prices.yaml"));
        return StreamsTestSettings.withApi(settings, dir.resolve("security.yaml"));
    }
}
