package com.aima.metrics.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.streams.StreamsTestSettings;
import com.aima.metrics.streams.TestConsumers;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert engine on the real broker and registry, exactly-once: alerts fire and resolve once each; a pending
 * {@code for} timer survives a restart on a new machine (an empty state directory: the state comes back from the
 * changelog) and a firing alert is not sent again; the error rate is derived from the jobs topic through the
 * repartition topic; an edit of the rules file applies without a restart.
 */
@RealKafkaAndRegistry
class AlertIT {

    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    private static final String RULES = """
            rules:
              - name: hot
                metric: gpu_temperature_celsius
                condition: gt
                threshold: %s
                severity: critical
                channels: [webhook]
              - name: busy
                metric: gpu_utilization_percent
                condition: gt
                threshold: 95
                for: 10m
                severity: warning
              - name: failing
                metric: job_error_rate_percent
                condition: gt
                threshold: 5
                severity: critical
            """;

    @TempDir
    Path dir;

    @Test
    void alertsFireOnceAcrossARestartOnANewMachineAndFollowTheRulesFile(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        kafka.deleteTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, RULES.formatted(85));
        String applicationId = "alert-it-" + UUID.randomUUID();
        Map<String, Object> serde = registry.serdeConfig();

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, AlertEvent> alerts = TestConsumers.avro(kafka, serde, AlertEvent.class,
                     Topics.ALERTS);
             KafkaConsumer<String, MetricEvent> raw = TestConsumers.avro(kafka, serde, MetricEvent.class,
                     Topics.METRICS_RAW)) {
            Samples samples = new Samples(producer, serde);
            List<AlertEvent> received = new ArrayList<>();

            try (StreamsApp.Running app = StreamsApp.start(settings(kafka, registry, applicationId, rules, "a"))) {
                for (int minute = 0; minute < 10; minute++) {
                    samples.metric("gpu_utilization_percent", "0", T0.plus(Duration.ofMinutes(minute)), 97);
                }
                samples.metric("gpu_temperature_celsius", "1", T0, 90);
                for (int i = 0; i < 10; i++) {
                    samples.job("ok-" + i, JobEventType.COMPLETED, T0.plusSeconds(i));
                }
                // The jobs spread over the topic's partitions, so the failure could otherwise be counted before
                // some successes (an alert at 1 of 7 instead of 1 of 11): send it once the ten are counted.
                awaitErrorRates(raw, 10);
                samples.job("bad", JobEventType.FAILED, T0.plusSeconds(10));

                await(alerts, received, 2);
                assertThat(received).extracting(AlertEvent::getRule, AlertEvent::getState)
                        .containsExactlyInAnyOrder(tuple("hot", AlertState.FIRING), tuple("failing", AlertState.FIRING));
                assertThat(received).filteredOn(a -> a.getRule().equals("failing")).singleElement()
                        .satisfies(a -> assertThat(a.getValue()).isCloseTo(100.0 / 11, within(1e-9)));
                awaitCommitted(kafka, applicationId + "-alerts");
            }

            // A new machine: an empty state directory, the state comes back from the changelog.
            try (StreamsApp.Running app = StreamsApp.start(settings(kafka, registry, applicationId, rules, "b"))) {
                samples.metric("gpu_temperature_celsius", "1", T0.plusSeconds(60), 91);   // still firing
                samples.metric("gpu_utilization_percent", "0", T0.plus(Duration.ofMinutes(10)), 97);
                samples.metric("gpu_temperature_celsius", "1", T0.plusSeconds(120), 70);  // resolves
                await(alerts, received, 4);
                assertThat(received.subList(2, 4)).extracting(AlertEvent::getRule, AlertEvent::getState,
                        AlertEvent::getStartsAt).containsExactlyInAnyOrder(
                        tuple("busy", AlertState.FIRING, T0.plus(Duration.ofMinutes(10))),
                        tuple("hot", AlertState.RESOLVED, T0));

                Files.writeString(rules, RULES.formatted(60)); // read again within the reload interval
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> app.rules().get().named("hot")
                        .threshold() == 60);
                samples.metric("gpu_temperature_celsius", "1", T0.plusSeconds(130), 70);
                await(alerts, received, 5);
                assertThat(received.get(4)).extracting(AlertEvent::getRule, AlertEvent::getState,
                        AlertEvent::getThreshold, AlertEvent::getStartsAt)
                        .containsExactly("hot", AlertState.FIRING, 60.0, T0.plusSeconds(130));
                awaitCommitted(kafka, applicationId + "-alerts");
            }
            assertThat(alerts.poll(Duration.ofSeconds(1))).as("nothing more, no duplicate").isEmpty();
            assertThat(received).extracting(AlertEvent::getFingerprint).filteredOn(f -> f.equals(
                    AlertSeries.fingerprint("hot", SeriesKey.of("gpu_temperature_celsius",
                            Map.of("gpu", "1", "node", "n1"))))).hasSize(3);
        }
    }

    private Map<String, Object> settings(KafkaBroker kafka, SchemaRegistry registry, String applicationId, Path rules,
                                         String machine) {
        Map<String, Object> settings = StreamsTestSettings.of(kafka, registry, applicationId, dir.resolve(machine),
                2);
        settings.put(AlertConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(CostConfig.ENABLED_CONFIG, "false"); // CostIT tests the cost engine
        settings.put(AlertConfig.RULES_FILE_CONFIG, rules.toString());
        settings.put(AlertConfig.RULES_RELOAD_INTERVAL_CONFIG, "200ms");
        return settings;
    }

    /** Polls until the engine has published {@code count} error-rate samples, one per finished job. */
    private static void awaitErrorRates(KafkaConsumer<String, MetricEvent> raw, int count) {
        int[] seen = {0};
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            raw.poll(Duration.ofMillis(200)).forEach(record -> {
                if (record.value().getName().equals(JobErrorRate.METRIC)) {
                    seen[0]++;
                }
            });
            return seen[0] >= count;
        });
    }

    /** Polls until {@code received} holds {@code count} alerts. */
    private static void await(KafkaConsumer<String, AlertEvent> consumer, List<AlertEvent> received, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
            return received.size() >= count;
        });
        assertThat(received).hasSize(count);
    }

    /** Waits until the alert engine has committed its input up to the end: all it saw is in its changelog. */
    private static void awaitCommitted(KafkaBroker kafka, String group) {
        try (Admin admin = kafka.admin()) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                committed.keySet().forEach(partition -> ends.put(partition, OffsetSpec.latest()));
                var latest = admin.listOffsets(ends).all().get();
                return committed.keySet().stream().anyMatch(p -> p.topic().equals(Topics.METRICS_RAW))
                        && committed.entrySet().stream().allMatch(entry -> entry.getValue() != null
                        && entry.getValue().offset() >= latest.get(entry.getKey()).offset());
            });
        }
    }

    /** Writes samples and job events as the collector does. */
    private record Samples(KafkaProducer<String, byte[]> producer, Serializer<MetricEvent> metrics,
                           Serializer<JobEvent> jobs) {

        Samples(KafkaProducer<String, byte[]> producer, Map<String, Object> serde) {
            this(producer, SpecificAvroSerde.forValues(MetricEvent.class, serde).serializer(),
                    SpecificAvroSerde.forValues(JobEvent.class, serde).serializer());
        }

        void metric(String name, String gpu, Instant time, double value) throws Exception {
            Map<String, String> labels = Map.of("gpu", gpu, "node", "n1");
            MetricEvent event = AlertHarness.sample(name, labels, time, value);
            producer.send(new ProducerRecord<>(Topics.METRICS_RAW, SeriesKey.of(name, labels),
                    metrics.serialize(Topics.METRICS_RAW, event))).get();
        }

        void job(String id, JobEventType type, Instant time) throws Exception {
            producer.send(new ProducerRecord<>(Topics.JOBS, id,
                    jobs.serialize(Topics.JOBS, AlertHarness.job(id, type, time)))).get();
        }
    }
}
