package com.aima.metrics.collector.publish;

import static com.aima.metrics.collector.publish.PublishedEvents.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.DeadLetterHeaders;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.SpecificAvroSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender's bookkeeping with a producer whose acknowledgements the test gives, in any order; the serializer uses
 * the in-memory registry. Kafka and a real registry are in {@link PublisherIT} and {@link PublisherBrokerKillIT}.
 */
class SpoolSenderTest {

    @TempDir
    Path dir;

    private final List<ManualProducer> producers = new CopyOnWriteArrayList<>();
    private DiskSpool spool;
    private SpoolSender sender;
    private Thread thread;

    @BeforeEach
    void start() throws IOException {
        PublisherConfig config = PublisherConfig.builder("127.0.0.1:9",
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + UUID.randomUUID()), dir)
                .topics("raw", "jobs", "dlq").closeTimeout(Duration.ZERO).build();
        spool = DiskSpool.open(dir, 1 << 20, 64 << 10, false);
        SpecificAvroSerializer<SpecificRecord> values = new SpecificAvroSerializer<>();
        values.configure(config.serdeConfig(), false);
        sender = new SpoolSender(spool, () -> {
            ManualProducer producer = new ManualProducer();
            producers.add(producer);
            return producer;
        }, values, config);
        thread = new Thread(sender, "test-sender");
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        sender.stop();
        thread.join(10_000);
        spool.close();
    }

    @Test
    void commitsOnlyTheAcknowledgedPrefixAndResendsFromItWithANewProducer() throws IOException {
        publish(5);
        await(() -> producer(0).sent.size() == 5);

        producer(0).ack(0);
        producer(0).ack(2);
        producer(0).ack(3);
        await(() -> spool.committed().sequence() == 1);
        producer(0).fail(1, new KafkaException("The producer broke."));

        await(() -> producers.size() == 2 && producer(1).sent.size() == 2);
        assertThat(values(producer(1))).containsExactly(1.0, 4.0);
        producer(1).ack(0);
        producer(1).ack(1);
        await(() -> spool.committed().sequence() == 5);
        assertThat(sender.sent()).isEqualTo(5);
        assertThat(sender.sendErrors()).isEqualTo(1);
    }

    @Test
    void skipsAnEventKafkaRefusesForGood() throws IOException {
        publish(3);
        await(() -> producer(0).sent.size() == 3);

        producer(0).fail(1, new RecordTooLargeException("Too large."));
        producer(0).ack(0);
        producer(0).ack(2);

        await(() -> spool.committed().sequence() == 3);
        assertThat(producers).hasSize(1);
        assertThat(sender.rejected()).isEqualTo(1);
        assertThat(sender.sent()).isEqualTo(2);
    }

    @Test
    void sendsARecordThatCannotBeReadBackToTheDeadLetterTopic() throws IOException {
        byte[] unreadable = {9, 1, 2, 3};
        spool.append(List.of(unreadable));
        publish(1);
        await(() -> producer(0).sent.size() == 2);

        ProducerRecord<String, byte[]> deadLetter = producer(0).sent.get(0);
        assertThat(deadLetter.topic()).isEqualTo("dlq");
        assertThat(deadLetter.value()).isEqualTo(unreadable);
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.ENCODING))
                .isEqualTo(DeadLetters.SPOOL_RECORD_ENCODING);
        assertThat(DeadLetterHeaders.text(deadLetter.headers(), DeadLetterHeaders.REASON))
                .contains("Unknown spool record kind 9");
        assertThat(producer(0).sent.get(1).topic()).isEqualTo("raw");
        producer(0).ack(0);
        producer(0).ack(1);
        await(() -> spool.committed().sequence() == 2);
        assertThat(sender.deadLettered()).isEqualTo(1);
    }

    private void publish(int count) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add(EventCodec.encode(sample(0, i)));
        }
        spool.append(payloads);
    }

    private ManualProducer producer(int index) {
        return producers.get(index);
    }

    /** The sample values sent, read past the Confluent wire format's 5-byte header. */
    private static List<Double> values(ManualProducer producer) {
        SpecificDatumReader<MetricEvent> reader = new SpecificDatumReader<>(MetricEvent.class);
        return producer.sent.stream().map(record -> {
            try {
                byte[] wire = record.value();
                return reader.read(null, DecoderFactory.get().binaryDecoder(wire, 5, wire.length - 5, null))
                        .getValue();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }

    /** A producer that keeps what it is sent and completes each record when the test says. */
    private static final class ManualProducer extends MockProducer<String, byte[]> {

        final List<ProducerRecord<String, byte[]>> sent = Collections.synchronizedList(new ArrayList<>());
        private final List<Callback> callbacks = Collections.synchronizedList(new ArrayList<>());

        ManualProducer() {
            super(false, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            sent.add(record);
            callbacks.add(callback);
            return new CompletableFuture<>();
        }

        void ack(int index) {
            ProducerRecord<String, byte[]> record = sent.get(index);
            callbacks.get(index).onCompletion(new RecordMetadata(new TopicPartition(record.topic(), 0), index, 0, 0,
                    0, 0), null);
        }

        void fail(int index, Exception exception) {
            callbacks.get(index).onCompletion(null, exception);
        }
    }
}
