package com.aima.metrics.collector.publish;

import com.aima.metrics.serde.SchemaRegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that moves events from the spool to Kafka, in spool order. It reads events at the spool's read cursor,
 * serializes them (Avro, Confluent wire format, through the schema registry) and hands them to the idempotent
 * producer, at most {@code maxInFlightRecords} at a time; every 200 ms it commits the spool's read position up to the
 * longest acknowledged prefix.
 *
 * <p>Failures: a {@code send} that fails at once (no metadata while Kafka is away, {@code max.block.ms}) and a
 * registry that does not answer, answers 5xx, 408, 429, 401 or 403 are retried on the same event, backing off from
 * 100 ms to 5 s; nothing after it is sent meanwhile. A registry that refuses the schema for good (other 4xx, such as
 * 409 incompatible or 404 not registered with auto-registration off) and a spooled record that cannot be read back
 * send the event to the dead-letter topic instead, with the reason in headers, so the queue moves on; after a refusal
 * the topic's events go there without asking the registry for a minute (see {@link DeadLetters}). An event Kafka
 * refuses for good (too large) is skipped and logged. Any other producer failure (none is expected: the producer
 * retries everything retriable itself, for as long as it takes) replaces the producer and sends again from the first
 * unacknowledged event, skipping those acknowledged meanwhile; the events sent again may then land after later events
 * of their series, and any of them Kafka had written without acknowledging lands twice.
 */
final class SpoolSender implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SpoolSender.class);
    private static final int READ_BATCH = 500;
    private static final Duration IDLE_WAIT = Duration.ofMillis(100);
    private static final long COMMIT_INTERVAL_NS = Duration.ofMillis(200).toNanos();
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;
    private static final int NO_REGISTRY_ERROR = 0;

    private final DiskSpool spool;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Serializer<SpecificRecord> values;
    private final PublisherConfig config;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final FailureLog kafkaFailures = new FailureLog(log, "Sending to Kafka", Duration.ofMinutes(1));
    private final FailureLog registryFailures = new FailureLog(log, "The schema registry", Duration.ofMinutes(1));
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final ArrayDeque<SpoolEntry> pending = new ArrayDeque<>();
    private final Set<Long> completedBeforeRestart = new HashSet<>();
    private final DeadLetters deadLetters;
    private final InFlightWindow window;
    private volatile boolean stopping;
    private volatile Exception producerFailure;
    private Producer<String, byte[]> producer;
    private long backoffMs = MIN_BACKOFF_MS;
    private long lastCommitNs = System.nanoTime();
    private long lastForceNs = System.nanoTime();

    SpoolSender(DiskSpool spool, Supplier<Producer<String, byte[]>> producers, Serializer<SpecificRecord> values,
            PublisherConfig config) {
        this.spool = spool;
        this.producers = producers;
        this.values = values;
        this.config = config;
        this.window = new InFlightWindow(spool.committed());
        this.deadLetters = new DeadLetters(config.deadLetterTopic());
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                try {
                    step();
                } catch (IOException e) {
                    log.error("Spool I/O failed; retrying.", e);
                    pause();
                } catch (RuntimeException e) {
                    // Start over from the last acknowledged event with a new producer: a consistent state.
                    log.error("The sender failed; starting over from the first unacknowledged event.", e);
                    producerFailure = e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdown();
        }
    }

    /** Asks the thread to stop; it then closes the producer (waiting up to the close time-out) and commits. */
    void stop() {
        stopping = true;
        stopRequested.countDown();
    }

    private void step() throws IOException, InterruptedException {
        if (producerFailure != null) {
            replaceProducer();
            return;
        }
        if (producer == null && !createProducer()) {
            return;
        }
        maintain();
        SpoolEntry entry = nextEntry();
        if (entry == null) {
            return;
        }
        if (send(entry)) {
            pending.poll();
            backoffMs = MIN_BACKOFF_MS;
        } else {
            pause();
        }
    }

    private boolean createProducer() throws InterruptedException {
        try {
            producer = producers.get();
            return true;
        } catch (KafkaException e) {
            sendErrors.incrementAndGet();
            kafkaFailures.failed(e);
            pause();
            return false;
        }
    }

    /** Commits the read position and forces the spool when they are due. */
    private void maintain() throws IOException {
        long now = System.nanoTime();
        if (now - lastCommitNs >= COMMIT_INTERVAL_NS) {
            spool.commit(window.completedUpTo());
            lastCommitNs = now;
        }
        long fsyncNs = config.fsyncInterval().toNanos();
        if (fsyncNs > 0 && now - lastForceNs >= fsyncNs) {
            spool.force();
            lastForceNs = now;
        }
    }

    /** The event to send next, or null after waiting a little for room in the window or for new events. */
    private SpoolEntry nextEntry() throws IOException, InterruptedException {
        if (!pending.isEmpty()) {
            return pending.peek();
        }
        int room = config.maxInFlightRecords() - window.size();
        if (room <= 0) {
            window.awaitRoom(config.maxInFlightRecords(), IDLE_WAIT);
            return null;
        }
        List<SpoolEntry> entries = spool.read(Math.min(room, READ_BATCH));
        if (entries.isEmpty()) {
            spool.awaitRecords(IDLE_WAIT);
            return null;
        }
        for (SpoolEntry entry : entries) {
            if (completedBeforeRestart.remove(entry.sequence())) {
                window.addCompleted(entry);
            } else {
                pending.add(entry);
            }
        }
        return pending.peek();
    }

    /** Returns true when the event is dealt with (handed to the producer, or given up on), false to retry it. */
    private boolean send(SpoolEntry entry) {
        EventCodec.Decoded event;
        try {
            event = EventCodec.decode(entry.payload());
        } catch (IOException e) {
            return deadLetter(entry, null, null, "The spooled record cannot be read back: " + e.getMessage());
        }
        String topic = event.kind() == EventCodec.Kind.METRIC ? config.metricsTopic() : config.jobsTopic();
        String refusal = deadLetters.refusal(topic);
        if (refusal != null) {
            return deadLetter(entry, event.key(), topic, refusal);
        }
        byte[] value;
        try {
            value = values.serialize(topic, event.event());
            registryFailures.recovered();
        } catch (SerializationException e) {
            int status = registryStatus(e);
            if (isOutage(status)) {
                sendErrors.incrementAndGet();
                registryFailures.failed(e);
                return false;
            }
            if (status != NO_REGISTRY_ERROR) {
                // The registry refuses this topic's schema; ask again in a minute, not for every event.
                deadLetters.refused(topic, e.getMessage());
            }
            return deadLetter(entry, event.key(), topic, e.getMessage());
        }
        deadLetters.accepted(topic);
        return hand(entry, new ProducerRecord<>(topic, event.key(), value), false);
    }

    /** The HTTP status of the registry failure behind {@code e}, or {@link #NO_REGISTRY_ERROR}. */
    private static int registryStatus(SerializationException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                return registry.httpStatus();
            }
        }
        return NO_REGISTRY_ERROR;
    }

    /** Whether a registry failure is not the event's fault and may pass: no answer, 5xx, 408, 429, 401, 403. */
    private static boolean isOutage(int status) {
        return status == SchemaRegistryException.UNREACHABLE || status >= 500 || status == 408 || status == 429
                || status == 401 || status == 403;
    }

    private boolean deadLetter(SpoolEntry entry, String key, String topic, String reason) {
        return hand(entry, deadLetters.record(entry, key, topic, reason), true);
    }

    private boolean hand(SpoolEntry entry, ProducerRecord<String, byte[]> record, boolean deadLetter) {
        InFlightWindow.Slot slot = window.add(entry);
        try {
            String topic = record.topic();
            String key = record.key();
            producer.send(record, (metadata, exception) -> completed(slot, topic, key, deadLetter, exception));
        } catch (RuntimeException e) {
            window.remove(slot);
            sendErrors.incrementAndGet();
            kafkaFailures.failed(e);
            producerFailure = e;
            return false;
        }
        Exception failure = window.sendReturned(slot);
        if (failure == null) {
            return true;
        }
        // Failed inside send(): the event never reached the producer's buffer, and nothing after it was sent yet.
        if (isRejection(failure)) {
            reject(slot, record.topic(), record.key(), failure);
            return true;
        }
        window.remove(slot);
        sendErrors.incrementAndGet();
        kafkaFailures.failed(failure);
        if (!(failure instanceof RetriableException)) {
            producerFailure = failure;
        }
        return false;
    }

    /** The producer's callback: on its I/O thread, or inside send() when it fails there. */
    private void completed(InFlightWindow.Slot slot, String topic, String key, boolean deadLetter,
            Exception exception) {
        if (!window.isCurrent(slot)) {
            return;
        }
        if (exception == null) {
            (deadLetter ? deadLettered : sent).incrementAndGet();
            kafkaFailures.recovered();
            window.complete(slot);
            return;
        }
        if (window.failedInSend(slot, exception) || stopping) {
            // Handled by the sending thread; or aborted by close(), and the event stays in the spool.
            return;
        }
        if (isRejection(exception)) {
            reject(slot, topic, key, exception);
            return;
        }
        sendErrors.incrementAndGet();
        kafkaFailures.failed(exception);
        producerFailure = exception;
    }

    /** Whether Kafka refuses the record itself for good, so that sending it again cannot succeed. */
    private static boolean isRejection(Exception e) {
        return e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidRecordException || e instanceof CorruptRecordException;
    }

    private void reject(InFlightWindow.Slot slot, String topic, String key, Exception e) {
        rejected.incrementAndGet();
        log.error("Kafka refused an event for '{}' with key '{}'; it is skipped.", topic, key, e);
        window.complete(slot);
    }

    /** Closes a failed producer and sends again from the first unacknowledged event, with a new producer. */
    private void replaceProducer() throws InterruptedException {
        log.warn("The Kafka producer failed; replacing it and sending again from the first unacknowledged event.",
                producerFailure);
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                log.warn("Closing the failed Kafka producer failed too.", e);
            }
            producer = null;
        }
        completedBeforeRestart.addAll(window.reset());
        pending.clear();
        spool.rewind(window.completedUpTo());
        producerFailure = null;
        pause();
    }

    private void pause() throws InterruptedException {
        stopRequested.await(backoffMs, TimeUnit.MILLISECONDS);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }

    private void shutdown() {
        if (producer != null) {
            try {
                producer.close(config.closeTimeout());
            } catch (RuntimeException e) {
                log.warn("Closing the Kafka producer failed.", e);
            }
        }
        try {
            spool.commit(window.completedUpTo());
        } catch (IOException e) {
            log.error("Cannot commit the spool's read position; the last events sent will be sent again.", e);
        }
        if (window.size() > 0) {
            log.info("{} events were not acknowledged within {}; they stay in the spool and are sent on the next"
                    + " start.", window.size(), config.closeTimeout());
        }
    }

    long sent() {
        return sent.get();
    }

    long deadLettered() {
        return deadLettered.get();
    }

    long rejected() {
        return rejected.get();
    }

    long sendErrors() {
        return sendErrors.get();
    }
}
