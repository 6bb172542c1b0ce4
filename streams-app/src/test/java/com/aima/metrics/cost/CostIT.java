package com.aima.metrics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.aima.metrics.DeadLetterHeaders;
import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.serde.TrustedClasses;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.streams.StreamsTestSettings;
import com.aima.metrics.streams.TestConsumers;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost engine on the real broker and registry, exactly-once: job events and energy samples go through both
 * repartition topics into one task; the job costs, device-hours, budget records and budget metric come out as hand
 * computed; a bad job event is dead-lettered and the engine goes on; after a restart on a new machine (empty state
 * directory, state from the changelog) a redelivered event is recognised and not charged again.
 */
@RealKafkaAndRegistry
class CostIT {

    private static final String H100 = CostTopologyTest.H100;
    private static final String RTX = CostTopologyTest.RTX;

    @TempDir
    Path dir;

    @Test
    void jobsAreChargedOnceThroughTheRealBrokerAcrossARestart(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        TrustedClasses.trustSchemaPackage(); // the builders below resolve enum defaults before any serde runs
        kafka.deleteTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        Path catalog = dir.resolve("prices.yaml");
        Files.writeString(catalog, CostTopologyTest.CATALOG);
        Instant t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
        if (t0.atZone(ZoneOffset.UTC).getHour() >= 22) {
            t0 = t0.minus(Duration.ofHours(3)); // keep both jobs in one UTC day for the daily budget
        }
        String applicationId = "cost-it-" + UUID.randomUUID();
        Map<String, Object> serde = registry.serdeConfig();

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, CostRecord> costs = TestConsumers.avro(kafka, serde, CostRecord.class, Topics.COSTS);
             KafkaConsumer<String, MetricEvent> metrics = TestConsumers.avro(kafka, serde, MetricEvent.class,
                     Topics.METRICS_RAW);
             KafkaConsumer<String, byte[]> deadLetters = TestConsumers.subscribed(kafka, new ByteArrayDeserializer(),
                     Topics.JOBS_DLQ)) {
            Inputs inputs = new Inputs(producer, serde);
            List<CostRecord> received = new ArrayList<>();
            JobEvent completed = CostHarness.ended("cloud", JobEventType.COMPLETED, t0.plusSeconds(75 * 60));

            try (StreamsApp.Running app = StreamsApp.start(settings(kafka, registry, applicationId, catalog, "a"))) {
                inputs.energy("GPU-r", t0.minusSeconds(30), 4_990_000);
                inputs.job(CostHarness.started("local", t0, "local", RTX, null, "GPU-r"));
                inputs.energy("GPU-r", t0.plusSeconds(30), 5_010_000);
                inputs.energy("GPU-r", t0.plusSeconds(59 * 60 + 30), 6_090_000);
                inputs.job(CostHarness.ended("local", JobEventType.COMPLETED, t0.plusSeconds(3600)));
                inputs.energy("GPU-r", t0.plusSeconds(60 * 60 + 30), 6_100_000);
                inputs.job(CostHarness.started("cloud", t0.plusSeconds(30 * 60), "aws", H100, "on_demand", "GPU-a"));
                producer.send(new ProducerRecord<>(Topics.JOBS, "junk", "not avro".getBytes(StandardCharsets.UTF_8)))
                        .get();
                inputs.job(completed);

                awaitJobs(costs, received, "local", "cloud");
                // as in CostTopologyTest: local 1 h amortised 0.20 + 1,095,000 J at 0.30/kWh = 0.29125 EUR
                assertThat(job(received, "local").getAmountMicros()).isEqualTo(291_250L);
                assertThat(job(received, "local").getEnergyJoules()).isCloseTo(1_095_000.0, within(1e-6));
                // 45 min at 4.00 EUR/h = 3.00 EUR
                assertThat(job(received, "cloud").getAmountMicros()).isEqualTo(3_000_000L);

                Instant day = t0.truncatedTo(ChronoUnit.DAYS);
                Awaitility.await("the day's budget record").atMost(Duration.ofSeconds(60)).until(() -> {
                    poll(costs, received);
                    return received.stream().anyMatch(record -> isDayBudget(record, day, 3_291_250L));
                });
                assertThat(received.stream().filter(record -> isDayBudget(record, day, 3_291_250L)).findFirst()
                        .orElseThrow().getRatio()).isCloseTo(0.329125, within(1e-12));
                // the cloud GPU's hours: t0+30m..t0+1h = 1800 s, t0+1h..t0+75m = 900 s
                assertThat(received).filteredOn(record -> record.getKind() == CostKind.DEVICE_HOUR
                                && "GPU-a".equals(record.getLabels().get("gpu_uuid")))
                        .extracting(CostRecord::getGpuSeconds).containsExactly(1800.0, 900.0);

                List<MetricEvent> budgetMetrics = new ArrayList<>();
                Awaitility.await("budget_used_percent on the raw topic").atMost(Duration.ofSeconds(30)).until(() -> {
                    metrics.poll(Duration.ofMillis(200)).forEach(record -> {
                        if (record.value().getName().equals(Budgets.METRIC)) {
                            budgetMetrics.add(record.value());
                        }
                    });
                    return !budgetMetrics.isEmpty();
                });
                assertThat(budgetMetrics).allSatisfy(metric -> assertThat(metric.getLabels())
                        .containsEntry("project", "news").containsKey("period"));
                Awaitility.await("the dead-lettered record").atMost(Duration.ofSeconds(30)).until(() -> {
                    for (ConsumerRecord<String, byte[]> record : deadLetters.poll(Duration.ofMillis(200))) {
                        return DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON)
                                .startsWith("Not a JobEvent");
                    }
                    return false;
                });
            }

            // A new machine: the state comes back from the changelog, so the redelivered event is known.
            try (StreamsApp.Running app = StreamsApp.start(settings(kafka, registry, applicationId, catalog, "b"))) {
                inputs.job(completed);
                Instant later = t0.plusSeconds(90 * 60);
                inputs.job(CostHarness.started("after", later, "aws", H100, "spot", "GPU-a"));
                inputs.job(CostHarness.ended("after", JobEventType.COMPLETED, later.plusSeconds(600)));
                awaitJobs(costs, received, "after");
                // 10 min of spot: 1.50 EUR/h on weekdays = 0.25 EUR, 1.20 EUR/h on weekends (UTC) = 0.20 EUR
                boolean weekend = later.atZone(ZoneOffset.UTC).getDayOfWeek().getValue() >= 6;
                assertThat(job(received, "after").getAmountMicros()).isEqualTo(weekend ? 200_000L : 250_000L);
            }
            poll(costs, received);
            assertThat(received).filteredOn(record -> record.getKind() == CostKind.JOB).extracting(CostRecord::getJobId)
                    .as("one JOB record per job, none for the redelivery").containsExactlyInAnyOrder(
                            "local", "cloud", "after");
        }
    }

    private static boolean isDayBudget(CostRecord record, Instant day, long amountMicros) {
        return record.getKind() == CostKind.BUDGET && "news".equals(record.getProject())
                && "day".equals(record.getLabels().get("budget_period")) && record.getWindowStart().equals(day)
                && record.getAmountMicros() == amountMicros;
    }

    private static CostRecord job(List<CostRecord> received, String jobId) {
        return received.stream().filter(record -> record.getKind() == CostKind.JOB && jobId.equals(record.getJobId()))
                .findFirst().orElseThrow();
    }

    private static void awaitJobs(KafkaConsumer<String, CostRecord> costs, List<CostRecord> received,
                                  String... jobIds) {
        Awaitility.await("JOB records of " + List.of(jobIds)).atMost(Duration.ofSeconds(90)).until(() -> {
            poll(costs, received);
            return List.of(jobIds).stream().allMatch(id -> received.stream().anyMatch(record ->
                    record.getKind() == CostKind.JOB && id.equals(record.getJobId())));
        });
    }

    private static void poll(KafkaConsumer<String, CostRecord> costs, List<CostRecord> received) {
        costs.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
    }

    private Map<String, Object> settings(KafkaBroker kafka, SchemaRegistry registry, String applicationId,
                                         Path catalog, String machine) {
        Map<String, Object> settings = StreamsTestSettings.of(kafka, registry, applicationId, dir.resolve(machine),
                2);
        settings.put(AlertConfig.ENABLED_CONFIG, "false"); // AlertIT tests the alert engine
        // the inputs span 100 min of event time, 3-4 h ago
        StreamsTestSettings.withCostsOfPastInputs(settings, catalog);
        settings.put(CostConfig.BUDGET_EMIT_INTERVAL_CONFIG, "1s");
        return settings;
    }

    /** Writes job events and energy samples as the workers and the collector do. */
    private record Inputs(KafkaProducer<String, byte[]> producer, Serializer<MetricEvent> metrics,
                          Serializer<JobEvent> jobs) {

        Inputs(KafkaProducer<String, byte[]> producer, Map<String, Object> serde) {
            this(producer, SpecificAvroSerde.forValues(MetricEvent.class, serde).serializer(),
                    SpecificAvroSerde.forValues(JobEvent.class, serde).serializer());
        }

        void job(JobEvent event) throws Exception {
            producer.send(new ProducerRecord<>(Topics.JOBS, event.getJobId(), jobs.serialize(Topics.JOBS, event)))
                    .get();
        }

        void energy(String device, Instant time, double joules) throws Exception {
            Map<String, String> labels = Map.of("gpu_uuid", device, "gpu", "0", "node", "n1");
            MetricEvent event = MetricEvent.newBuilder().setName(DeviceSample.ENERGY_METRIC).setValue(joules)
                    .setUnit("joules").setEventTime(time).setLabels(labels)
                    .setSource(Source.newBuilder().setHost("n1").setCollectorId("c1").setKind(SourceKind.GPU)
                            .build()).build();
            producer.send(new ProducerRecord<>(Topics.METRICS_RAW, SeriesKey.of(event.getName(), labels),
                    metrics.serialize(Topics.METRICS_RAW, event))).get();
        }
    }
}
