package com.aima.metrics.collector.publish;

import com.aima.metrics.collector.EventSink;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.SpecificAvroSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's way to Kafka: every event is written to a bounded disk spool first and sent from there by one
 * background thread, in order, with an idempotent producer ({@code acks=all}). Metric events go to the metrics topic
 * keyed by their series ({@code SeriesKey}), job events to the jobs topic keyed by job id; values are Avro in the
 * Confluent wire format ({@link SpecificAvroSerializer}).
 *
 * <p>While Kafka is unreachable, events wait in the spool; they are sent in order when it returns, and survive a
 * restart of the collector. Only when the spool is full are the oldest events dropped, counted in
 * {@link PublisherStats#dropped()} and logged.
 *
 * <p>Delivery: within one run, the producer's idempotence keeps events once and in order per partition however long
 * Kafka is away. Across runs it is at least once: events sent but not yet acknowledged when the collector stopped
 * are sent again by the next run. After a {@linkplain #close() close} that got every acknowledgement (Kafka reachable,
 * within {@link PublisherConfig#closeTimeout()}) none is; after a crash, or a close while Kafka was away, those that
 * Kafka had written without its acknowledgement arriving are duplicated (at most
 * {@link PublisherConfig#maxInFlightRecords()}, plus what was acknowledged in the last 200 ms before a crash).
 * Events the schema registry refuses for good go to the dead-letter topic; see {@link SpoolSender}.
 *
 * <p>Thread-safe.
 */
public final class KafkaPublisher implements EventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

    private final PublisherConfig config;
    private final DiskSpool spool;
    private final SpoolSender sender;
    private final Thread senderThread;
    private boolean closed;

    /**
     * Opens the spool and starts sending what it holds.
     *
     * @throws org.apache.kafka.common.config.ConfigException when a producer or serde setting is invalid
     * @throws IllegalStateException when another publisher uses the spool directory
     * @throws UncheckedIOException  when the spool cannot be opened
     */
    public KafkaPublisher(PublisherConfig config) {
        this.config = config;
        // Fails here, naming the key, rather than in the sender thread.
        Map<String, Object> producerProperties = new HashMap<>(config.producerProperties());
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ProducerConfig.configDef().parse(producerProperties);
        SpecificAvroSerializer<SpecificRecord> values = new SpecificAvroSerializer<>();
        values.configure(config.serdeConfig(), false);
        try {
            boolean forceEachAppend = config.fsyncInterval().isZero();
            this.spool = DiskSpool.open(config.spoolDir(), config.maxSpoolBytes(), config.segmentBytes(),
                    forceEachAppend);
        } catch (IOException e) {
            values.close();
            throw new UncheckedIOException("Cannot open the spool in " + config.spoolDir() + ".", e);
        }
        this.sender = new SpoolSender(spool, () -> new KafkaProducer<>(config.producerProperties(),
                new StringSerializer(), new ByteArraySerializer()), values, config);
        this.senderThread = new Thread(sender, "aima-publisher-sender");
        senderThread.setDaemon(true);
        senderThread.start();
    }

    /**
     * Writes the events to the spool, in order, and returns once they are there (forced to disk unless
     * {@link PublisherConfig#fsyncInterval()} says otherwise). Never waits for Kafka.
     *
     * @throws IllegalArgumentException when an event cannot be encoded (a required field is null); then none is spooled
     * @throws UncheckedIOException     when the spool cannot be written; then none is spooled
     * @throws IllegalStateException    after {@link #close()}
     */
    @Override
    public void publishMetrics(List<MetricEvent> events) {
        List<byte[]> payloads = new ArrayList<>(events.size());
        for (MetricEvent event : events) {
            payloads.add(EventCodec.encode(event));
        }
        append(payloads);
    }

    /**
     * Writes the event to the spool, as {@link #publishMetrics} does.
     *
     * @throws IllegalArgumentException when the event cannot be encoded
     * @throws UncheckedIOException     when the spool cannot be written
     * @throws IllegalStateException    after {@link #close()}
     */
    @Override
    public void publishJob(JobEvent event) {
        append(List.of(EventCodec.encode(event)));
    }

    private void append(List<byte[]> payloads) {
        try {
            spool.append(payloads);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + payloads.size() + " events to the spool in "
                    + config.spoolDir() + ".", e);
        }
    }

    /** The health counters now. */
    public PublisherStats stats() {
        DiskSpool.Snapshot spooled = spool.snapshot();
        return new PublisherStats(spooled.appended(), sender.sent(), sender.deadLettered(), sender.rejected(),
                spooled.dropped(), sender.sendErrors(), spooled.depthRecords(), spooled.sizeBytes());
    }

    /**
     * Stops sending: waits up to {@link PublisherConfig#closeTimeout()} for Kafka to acknowledge what was sent, keeps
     * everything else in the spool for the next start, and closes the spool. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.stop();
        try {
            senderThread.join(config.closeTimeout().plus(STOP_MARGIN).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (senderThread.isAlive()) {
            log.warn("The publisher's sender did not stop in time; closing the spool anyway.");
        }
        try {
            spool.close();
        } catch (IOException e) {
            log.error("Cannot close the spool in {}; the last events sent may be sent again.", config.spoolDir(), e);
        }
        log.info("Publisher closed: {}", stats());
    }
}
