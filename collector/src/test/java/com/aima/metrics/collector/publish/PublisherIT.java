package com.aima.metrics.collector.publish;

import static com.aima.metrics.collector.publish.PublishedEvents.job;
import static com.aima.metrics.collector.publish.PublishedEvents.readAll;
import static com.aima.metrics.collector.publish.PublishedEvents.sample;
import static com.aima.metrics.collector.publish.PublishedEvents.samples;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.DeadLetterHeaders;
import com.aima.metrics.SeriesKey;
import com.aima.metrics.devstack.FreePorts;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.SchemaRegistryClient;
import com.aima.metrics.serde.SchemaRegistryClients;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against the shared real broker and schema registry. */
@RealKafkaAndRegistry
class PublisherIT {

    private static final int SERIES = 5;

    @TempDir
    Path spoolDir;

    @Test
    void publishesMetricsKeyedBySeriesAndJobsKeyedByJobId(KafkaBroker kafka, SchemaRegistry registry) {
        Topics topics = Topics.create(kafka);
        List<JobEvent> jobs = List.of(job("job-1", JobEventType.SUBMITTED, 0), job("job-2", JobEventType.SUBMITTED, 1),
                job("job-1", JobEventType.STARTED, 2));

        try (KafkaPublisher publisher = new KafkaPublisher(topics.config(kafka, registry, spoolDir).build())) {
            for (long sequence = 0; sequence < 40; sequence++) {
                publisher.publishMetrics(samples(SERIES, sequence));
            }
            jobs.forEach(publisher::publishJob);

            awaitAllSent(publisher, SERIES * 40 + jobs.size());
            assertThat(publisher.stats()).extracting(PublisherStats::spooled, PublisherStats::dropped,
                    PublisherStats::deadLettered).containsExactly((long) SERIES * 40 + jobs.size(), 0L, 0L);
        }

        assertExactlyOnceInOrder(readAll(kafka.bootstrapServers(), topics.metrics, metricValues(registry)), SERIES, 40);
        List<ConsumerRecord<String, JobEvent>> jobRecords = readAll(kafka.bootstrapServers(), topics.jobs,
                jobValues(registry));
        assertThat(jobRecords).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("job-1", "job-2", "job-1");
        assertThat(jobRecords.stream().filter(r -> r.key().equals("job-1")).map(ConsumerRecord::value))
                .containsExactly(jobs.get(0), jobs.get(2));
    }

    @Test
    void spoolsWhileKafkaIsUnreachableAndSendsAfterARestartOfTheCollector(KafkaBroker kafka,
            SchemaRegistry registry) {
        Topics topics = Topics.create(kafka);
        String nobody = "127.0.0.1:" + FreePorts.pick();

        try (KafkaPublisher offline = new KafkaPublisher(PublisherConfig.builder(nobody, registry.serdeConfig(),
                spoolDir).topics(topics.metrics, topics.jobs, topics.deadLetter)
                .closeTimeout(Duration.ofMillis(500)).build())) {
            for (long sequence = 0; sequence < 20; sequence++) {
                offline.publishMetrics(samples(SERIES, sequence));
            }
            Awaitility.await("a failed send").atMost(Duration.ofSeconds(30))
                    .until(() -> offline.stats().sendErrors() > 0);
            assertThat(offline.stats()).extracting(PublisherStats::sent, PublisherStats::spoolRecords)
                    .containsExactly(0L, (long) SERIES * 20);
        }

        try (KafkaPublisher online = new KafkaPublisher(topics.config(kafka, registry, spoolDir).build())) {
            assertThat(online.stats().spoolRecords()).isEqualTo(SERIES * 20);
            for (long sequence = 20; sequence < 30; sequence++) {
                online.publishMetrics(samples(SERIES, sequence));
            }
            awaitAllSent(online, SERIES * 30);
        }

        assertExactlyOnceInOrder(readAll(kafka.bootstrapServers(), topics.metrics, metricValues(registry)), SERIES, 30);
    }

    @Test
    void sendsEventsTheRegistryRefusesToTheDeadLetterTopic(KafkaBroker kafka, SchemaRegistry registry) {
        Topics topics = Topics.create(kafka);
        // An earlier MetricEvent that today's cannot read (BACKWARD): every field it adds lacks a default.
        Schema older = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"MetricEvent\","
                + "\"namespace\":\"com.aima.metrics.schema\",\"fields\":[{\"name\":\"legacy\",\"type\":\"string\"}]}");
        try (SchemaRegistryClient client = SchemaRegistryClients.create(new AvroSerdeConfig(registry.serdeConfig()))) {
            client.register(topics.metrics + "-value", older);
        }
        List<MetricEvent> refused = List.of(sample(0, 0), sample(1, 0), sample(0, 1));

        try (KafkaPublisher publisher = new KafkaPublisher(topics.config(kafka, registry, spoolDir).build())) {
            publisher.publishMetrics(refused);
            publisher.publishJob(job("job-1", JobEventType.SUBMITTED, 0));

            Awaitility.await("dead letters").atMost(Duration.ofSeconds(30))
                    .until(() -> publisher.stats().deadLettered() == 3 && publisher.stats().sent() == 1);
        }

        List<ConsumerRecord<String, byte[]>> deadLetters = readAll(kafka.bootstrapServers(), topics.deadLetter,
                new ByteArrayDeserializer());
        assertThat(deadLetters).hasSize(3);
        for (ConsumerRecord<String, byte[]> record : deadLetters) {
            MetricEvent event = decodeSingleObject(record.value());
            assertThat(refused).contains(event);
            assertThat(record.key()).isEqualTo(SeriesKey.of(event.getName(), event.getLabels()));
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topics.metrics);
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ENCODING)).isEqualTo(DeadLetters.SINGLE_OBJECT_ENCODING);
            assertThat(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON)).contains("incompatible").contains("409");
        }
        assertThat(readAll(kafka.bootstrapServers(), topics.jobs, jobValues(registry))).hasSize(1);
        assertThat(readAll(kafka.bootstrapServers(), topics.metrics, new ByteArrayDeserializer())).isEmpty();
    }

    /** Asserts that each of {@code series} series holds exactly the samples 0 to {@code count} - 1, in order. */
    static void assertExactlyOnceInOrder(List<ConsumerRecord<String, MetricEvent>> records, int series, long count) {
        Map<String, List<Long>> bySeries = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                LinkedHashMap::new, Collectors.mapping(r -> (long) r.value().getValue(), Collectors.toList())));
        List<Long> expected = LongStream.range(0, count).boxed().toList();
        assertThat(bySeries).hasSize(series);
        for (int gpu = 0; gpu < series; gpu++) {
            MetricEvent any = sample(gpu, 0);
            assertThat(bySeries.get(SeriesKey.of(any.getName(), any.getLabels())))
                    .as("samples of GPU %d", gpu).containsExactlyElementsOf(expected);
        }
    }

    static void awaitAllSent(KafkaPublisher publisher, long events) {
        Awaitility.await("all events acknowledged").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> publisher.stats().spoolRecords() == 0 && publisher.stats().sent() >= events);
    }

    static SpecificAvroDeserializer<MetricEvent> metricValues(SchemaRegistry registry) {
        SpecificAvroDeserializer<MetricEvent> values = new SpecificAvroDeserializer<>(MetricEvent.class);
        values.configure(registry.serdeConfig(), false);
        return values;
    }

    private static SpecificAvroDeserializer<JobEvent> jobValues(SchemaRegistry registry) {
        SpecificAvroDeserializer<JobEvent> values = new SpecificAvroDeserializer<>(JobEvent.class);
        values.configure(registry.serdeConfig(), false);
        return values;
    }

    private static MetricEvent decodeSingleObject(byte[] value) {
        try {
            return MetricEvent.getDecoder().decode(value);
        } catch (java.io.IOException e) {
            throw new AssertionError("Not a MetricEvent in single-object encoding.", e);
        }
    }

    /** Fresh topics for one test on the shared broker. */
    private record Topics(String metrics, String jobs, String deadLetter) {

        static Topics create(KafkaBroker kafka) {
            Topics topics = new Topics(KafkaBroker.uniqueTopic("raw"), KafkaBroker.uniqueTopic("jobs"),
                    KafkaBroker.uniqueTopic("dlq"));
            kafka.createTopics(3, topics.metrics, topics.jobs, topics.deadLetter);
            return topics;
        }

        PublisherConfig.Builder config(KafkaBroker kafka, SchemaRegistry registry, Path spoolDir) {
            return PublisherConfig.builder(kafka.bootstrapServers(), registry.serdeConfig(), spoolDir)
                    .topics(metrics, jobs, deadLetter);
        }
    }
}
