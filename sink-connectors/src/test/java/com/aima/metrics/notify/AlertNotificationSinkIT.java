package com.aima.metrics.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.testing.ConnectWorker;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The notification sink in a real Connect worker (standalone herder, in this JVM) against the real KRaft broker and
 * Apicurio registry, delivering with the production channels: the signed webhook to a local HTTP endpoint, and in one
 * test Slack, Teams and SMS to a local HTTP server and e-mail to GreenMail, a real SMTP server. Each test has its own
 * connector, topics and endpoints.
 */
@RealKafkaAndRegistry
class AlertNotificationSinkIT {

    private static final long GROUP_WAIT_MS = 1_000;
    private static final String SECRET = "webhook-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static ConnectWorker worker;

    private final KafkaBroker kafka;
    private final SchemaRegistry registry;
    private final String connector = KafkaBroker.uniqueTopic("notify");
    private final String topic = KafkaBroker.uniqueTopic("alerts");
    private final String dedupTopic = KafkaBroker.uniqueTopic("alerts-notified");
    private final String dlqTopic = KafkaBroker.uniqueTopic("alerts-dlq");
    private LocalHttpEndpoint endpoint;

    AlertNotificationSinkIT(KafkaBroker kafka, SchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    @BeforeAll
    static void startWorker(KafkaBroker kafka) {
        worker = ConnectWorker.start(kafka);
    }

    @AfterAll
    static void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @BeforeEach
    void startConnector() {
        kafka.createTopics(2, topic);
        endpoint = LocalHttpEndpoint.start();
        worker.createConnector(connector, connectorConfig(), 1);
    }

    @AfterEach
    void deleteConnector() {
        worker.deleteConnector(connector);
        endpoint.close();
    }

    @Test
    void theWorkerFindsTheProductionConnector() {
        assertThat(worker.connectorPlugins()).contains(AlertNotificationSinkConnector.class.getName());
        Map<String, String> config = new HashMap<>(connectorConfig());
        config.put("name", connector + "-validated");
        config.put("routes", "gpu");
        config.put("route.gpu.matchers", "node~gpu");
        Map<String, List<String>> errors = worker.validate(AlertNotificationSinkConnector.class.getName(), config);

        assertThat(errors).containsOnlyKeys("route.gpu.matchers", "route.gpu.channels");
        assertThat(errors.get("route.gpu.matchers")).singleElement().asString().contains("'node~gpu'");
    }

    @Test
    void alertsWithinTheWindowArriveInOnePost() {
        produce(Alerts.firing("fp1", "webhook"), Alerts.firing("fp2", "webhook"), Alerts.firing("fp3", "webhook"));
        await().until(() -> endpoint.accepted().size() == 1);
        assertThat(endpoint.acceptedAlerts()).containsExactlyInAnyOrder("fp1:FIRING", "fp2:FIRING", "fp3:FIRING");

        produce(Alerts.resolved(Alerts.firing("fp1", "webhook")));
        await().until(() -> endpoint.accepted().size() == 2);
        assertThat(endpoint.accepted().get(1).alerts()).hasSize(1);
        assertThat(endpoint.refused()).isZero();
        assertThat(endpoint.accepted()).allSatisfy(post -> assertThat(post.signature())
                .isEqualTo("sha256=" + WebhookChannel.hmacSha256Hex(SECRET.getBytes(StandardCharsets.UTF_8),
                        post.body())));
    }

    @Test
    void everyChannelGetsItsMessage() throws Exception {
        try (RecordingHttpServer http = new RecordingHttpServer()) {
            Map<String, String> config = new HashMap<>(connectorConfig());
            config.put(ChannelConfig.SLACK_WEBHOOK_URL_CONFIG, http.url("/slack").toString());
            config.put(ChannelConfig.TEAMS_WEBHOOK_URL_CONFIG, http.url("/teams").toString());
            config.put(ChannelConfig.SMS_URL_CONFIG, http.url("/sms").toString());
            config.put(ChannelConfig.SMS_BODY_TEMPLATE_CONFIG, "{\"to\": \"{{to}}\", \"text\": \"{{text}}\"}");
            config.put(ChannelConfig.SMS_TO_CONFIG, "+4915100000001");
            config.put(ChannelConfig.EMAIL_SMTP_HOST_CONFIG, "127.0.0.1");
            config.put(ChannelConfig.EMAIL_SMTP_PORT_CONFIG, Integer.toString(greenMail.getSmtp().getPort()));
            config.put(ChannelConfig.EMAIL_SMTP_STARTTLS_CONFIG, "none");
            config.put(ChannelConfig.EMAIL_FROM_CONFIG, "aima@example.com");
            config.put(ChannelConfig.EMAIL_TO_CONFIG, "oncall@example.com");
            worker.deleteConnector(connector);
            worker.createConnector(connector, config, 1);

            produce(Alerts.firing("fp-all", "gpu_temperature_high", Severity.CRITICAL, Map.of("gpu", "3"),
                    List.of("slack", "teams", "email", "webhook", "sms")));

            await().until(() -> http.requests().size() == 3 && greenMail.getReceivedMessages().length == 1
                    && endpoint.accepted().size() == 1);
            Map<String, JsonNode> bodies = new HashMap<>();
            for (RecordingHttpServer.Request request : http.requests()) {
                bodies.put(request.uri().getPath(), JSON.readTree(request.body()));
            }
            assertThat(bodies.get("/slack").path("blocks").isArray()).isTrue();
            assertThat(bodies.get("/slack").path("text").asText()).contains("gpu_temperature_high");
            assertThat(bodies.get("/teams").path("attachments").get(0).path("contentType").asText())
                    .isEqualTo("application/vnd.microsoft.card.adaptive");
            assertThat(bodies.get("/sms").path("to").asText()).isEqualTo("+4915100000001");
            assertThat(greenMail.getReceivedMessages()[0].getSubject()).contains("FIRING")
                    .contains("gpu_temperature_high");
            LocalHttpEndpoint.Post webhook = endpoint.accepted().get(0);
            assertThat(webhook.signature()).isEqualTo("sha256=" + WebhookChannel.hmacSha256Hex(
                    SECRET.getBytes(StandardCharsets.UTF_8), webhook.body()));
            assertThat(endpoint.acceptedAlerts()).containsExactly("fp-all:FIRING");
        }
    }

    @Test
    void anEndpointThatIsDownGetsEachAlertExactlyOnceWhenItIsBack() {
        endpoint.respondWith(503);
        produce(Alerts.firing("fp1", "webhook"), Alerts.firing("fp2", "webhook"));
        await().until(() -> endpoint.refused() >= 3);
        produce(Alerts.firing("fp3", "webhook"));
        await().until(() -> endpoint.refused() >= 4);

        endpoint.respondWith(200);
        await().until(() -> endpoint.acceptedAlerts().size() >= 3);
        // Committed offsets pass a record only once it is delivered: at the end, nothing is left to send.
        await().until(() -> committed() == 3);

        assertThat(endpoint.acceptedAlerts()).containsExactlyInAnyOrder("fp1:FIRING", "fp2:FIRING", "fp3:FIRING");
        assertThat(endpoint.accepted().get(0).alerts()).as("the first group, retried as a whole").hasSize(2);
    }

    @Test
    void readingTheAlertsAgainAfterARestartNotifiesNothingTwice() throws Exception {
        produce(Alerts.firing("fp1", "webhook"), Alerts.firing("fp2", "webhook"));
        await().until(() -> endpoint.accepted().size() == 1);
        assertThat(topicConfig(dedupTopic)).containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
        String startsAt = Long.toString(Alerts.STARTS_AT.toEpochMilli());
        assertThat(await().until(() -> kafka.readAll(dedupTopic), marks -> marks.size() == 2))
                .extracting(mark -> new String(mark.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("fp1/" + startsAt + "/FIRING/webhook", "fp2/" + startsAt + "/FIRING/webhook");

        // The next task reads the topic from the start again, as after a crash before the offset commit.
        worker.stopConnector(connector);
        worker.resetOffsets(connector);
        worker.resumeConnector(connector, 1);
        produce(Alerts.firing("fp3", "webhook"));
        await().until(() -> endpoint.accepted().size() == 2);
        // Committed offsets pass a record only once it is delivered or known to be: at the end, nothing is pending.
        await().until(() -> committed() == 3);

        assertThat(endpoint.accepted().get(1).alerts()).extracting(alert -> alert.path("fingerprint").asText())
                .containsExactly("fp3");
        assertThat(endpoint.acceptedAlerts()).containsExactlyInAnyOrder("fp1:FIRING", "fp2:FIRING", "fp3:FIRING");
    }

    @Test
    void recordsThatAreNotAlertsAndAlertsRefusedForGoodGoToTheDeadLetterTopic() {
        byte[] garbage = "not an alert".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).putInt(7).array();
        kafka.produceBytes(topic, "garbage", garbage, unknownSchema);
        endpoint.reject("rejected");
        produce(Alerts.firing("fp-rejected", "rejected", Severity.WARNING,
                Map.of("gpu", "0"), List.of("webhook")));
        await().until(() -> endpoint.refused() == 1);

        produce(Alerts.firing("fp1", "webhook"));
        await().until(() -> endpoint.acceptedAlerts().contains("fp1:FIRING"));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = await().until(() -> kafka.readAll(dlqTopic),
                records -> records.size() >= 3);
        assertThat(deadLetters).hasSize(3);
        assertThat(deadLetters).extracting(ConsumerRecord::value)
                .contains(garbage, unknownSchema);
        assertThat(deadLetters).extracting(record -> KafkaBroker.header(record, "__connect.errors.exception.message"))
                .anySatisfy(reason -> assertThat(reason).contains("is not an AlertEvent").contains("magic byte"))
                .anySatisfy(reason -> assertThat(reason).contains("999999"))
                .anySatisfy(reason -> assertThat(reason).contains("Channel 'webhook' did not deliver")
                        .contains("fingerprint 'fp-rejected'").contains("HTTP 400"));
        assertThat(worker.status(connector).path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
    }

    private Map<String, String> connectorConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", AlertNotificationSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("key.converter", AlertDecoder.BYTE_ARRAY_CONVERTER);
        config.put("value.converter", AlertDecoder.BYTE_ARRAY_CONVERTER);
        config.put(NotificationSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        config.put(NotificationSinkConfig.DEDUP_BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(NotificationSinkConfig.DEDUP_TOPIC_CONFIG, dedupTopic);
        config.put(NotificationSinkConfig.GROUP_WAIT_MS_CONFIG, Long.toString(GROUP_WAIT_MS));
        config.put(NotificationSinkConfig.RETRY_BACKOFF_INITIAL_MS_CONFIG, "100");
        config.put(NotificationSinkConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "500");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlqTopic);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put(ChannelConfig.WEBHOOK_URL_CONFIG, endpoint.url().toString());
        config.put(ChannelConfig.WEBHOOK_SECRET_CONFIG, SECRET);
        return config;
    }

    private Map<String, String> topicConfig(String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        try (Admin admin = kafka.admin()) {
            Map<String, String> config = new HashMap<>();
            admin.describeConfigs(List.of(resource)).all().get().get(resource).entries()
                    .forEach(entry -> config.put(entry.name(), entry.value()));
            return config;
        }
    }

    /** The connector's committed offsets, summed over the partitions of its topic. */
    private long committed() {
        return worker.sinkOffsets(connector).values().stream().mapToLong(Long::longValue).sum();
    }

    private void produce(AlertEvent... alerts) {
        try (KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), serializer())) {
            for (AlertEvent alert : alerts) {
                producer.send(new ProducerRecord<>(topic, alert.getFingerprint(), alert));
            }
        }
    }

    private SpecificAvroSerializer<AlertEvent> serializer() {
        SpecificAvroSerializer<AlertEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(registry.serdeConfig(), false);
        return serializer;
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }
}
