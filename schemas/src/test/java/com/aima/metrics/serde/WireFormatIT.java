package com.aima.metrics.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Proves the wire format end to end: records written by the serde through a real broker are Confluent wire format
 * whose schema id is the one the real registry's Confluent API lists, and plain Avro decodes them with that schema.
 */
@RealKafkaAndRegistry
class WireFormatIT {

    private static final int EVENTS = 50;

    @Test
    void recordsAreConfluentWireFormatDecodableWithPlainAvro(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        String topic = KafkaBroker.uniqueTopic("wire");
        kafka.createTopics(1, topic);
        List<MetricEvent> sent = new ArrayList<>();
        try (KafkaProducer<String, MetricEvent> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig())
                .serializer())) {
            for (int i = 0; i < EVENTS; i++) {
                MetricEvent event = TestEvents.gpuUtilization(i % 4, i * 1.5, i * 10_000L);
                sent.add(event);
                producer.send(new ProducerRecord<>(topic, "gpu_utilization_percent{gpu=" + (i % 4) + "}", event)).get();
            }
        }

        JsonNode latest = latestVersion(registry, topic + "-value");
        int registeredId = latest.path("id").asInt();
        Schema registeredSchema = new Schema.Parser().parse(latest.path("schema").asText());
        assertThat(registeredSchema).isEqualTo(MetricEvent.getClassSchema());

        List<byte[]> raw = readAll(kafka, topic, EVENTS);
        GenericDatumReader<GenericRecord> plainAvro = new GenericDatumReader<>(registeredSchema);
        for (int i = 0; i < EVENTS; i++) {
            ByteBuffer bytes = ByteBuffer.wrap(raw.get(i));
            assertThat(bytes.get()).as("magic byte").isEqualTo((byte) 0);
            assertThat(bytes.getInt()).as("schema id").isEqualTo(registeredId);
            GenericRecord decoded = plainAvro.read(null, DecoderFactory.get()
                    .binaryDecoder(bytes.array(), bytes.position(), bytes.remaining(), null));
            MetricEvent expected = sent.get(i);
            assertThat(decoded.get("name").toString()).isEqualTo(expected.getName());
            assertThat(decoded.get("value")).isEqualTo(expected.getValue());
            assertThat(decoded.get("eventTime")).isEqualTo(expected.getEventTime().toEpochMilli());
            assertThat(decoded.get("labels").toString()).contains("gpu=" + expected.getLabels().get("gpu"));
            assertThat(((GenericRecord) decoded.get("source")).get("kind").toString()).isEqualTo("GPU");
        }
    }

    static JsonNode latestVersion(SchemaRegistry registry, String subject) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.url() + "/subjects/" + subject + "/versions/latest"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET latest version of %s: %s", subject, response.body())
                .isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    static List<byte[]> readAll(KafkaBroker kafka, String topic, int expected) {
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        assertThat(values).as("records read from %s", topic).hasSize(expected);
        return values;
    }
}
