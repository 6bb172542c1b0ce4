package com.aima.metrics.collector.publish;

import com.aima.metrics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of a {@link KafkaPublisher}. Build one with {@link #builder}; every setting but the first three has a
 * default.
 *
 * @param bootstrapServers   Kafka's {@code bootstrap.servers}
 * @param serdeConfig        settings of the Avro serializer, Confluent's keys ({@code schema.registry.url}, ...; see
 *                           {@code AvroSerdeConfig})
 * @param spoolDir           directory of the disk spool; one publisher at a time may use it
 * @param maxSpoolBytes      bytes the spool may take on disk before its oldest events are dropped; default 256 MiB,
 *                           at least two segments
 * @param segmentBytes       size of one spool file, the unit in which the oldest events are dropped; default 16 MiB,
 *                           at least 1 KiB
 * @param fsyncInterval      {@link Duration#ZERO} (the default): every publish call forces its events to disk before
 *                           it returns, so they survive a power loss (about 0.7 ms per call here). Longer: events are
 *                           forced at most this long after they were published; a crash of the process loses none of
 *                           them, a power loss may lose the last interval
 * @param producerOverrides  producer settings over the publisher's defaults (see {@link #producerProperties()}); the
 *                           ones its guarantees rest on ({@code acks}, {@code enable.idempotence}, serializers) cannot
 *                           be changed
 * @param metricsTopic       where metric events go; default {@link Topics#METRICS_RAW}
 * @param jobsTopic          where job events go; default {@link Topics#JOBS}
 * @param deadLetterTopic    where events go that the schema registry rejects; default {@link Topics#METRICS_DLQ}
 * @param maxInFlightRecords events handed to the producer and not yet acknowledged, at most; default 5000
 * @param closeTimeout       how long {@link KafkaPublisher#close()} waits for Kafka to acknowledge what was sent;
 *                           default 5 s. What is unacknowledged then stays in the spool for the next start
 */
public record PublisherConfig(String bootstrapServers, Map<String, ?> serdeConfig, Path spoolDir, long maxSpoolBytes,
        long segmentBytes, Duration fsyncInterval, Map<String, Object> producerOverrides, String metricsTopic,
        String jobsTopic, String deadLetterTopic, int maxInFlightRecords, Duration closeTimeout) {

    public static final long MAX_SPOOL_BYTES_DEFAULT = 256L << 20;
    public static final long SEGMENT_BYTES_DEFAULT = 16L << 20;
    public static final Duration FSYNC_INTERVAL_DEFAULT = Duration.ZERO;
    public static final int MAX_IN_FLIGHT_RECORDS_DEFAULT = 5000;
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    /** Producer defaults: small memory, batching for 200 ms, lz4, and retrying in order for as long as it takes. */
    static final Map<String, Object> PRODUCER_DEFAULTS = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 200,
            ProducerConfig.BATCH_SIZE_CONFIG, 64 << 10,
            ProducerConfig.BUFFER_MEMORY_CONFIG, 4L << 20,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
            // The idempotent producer retries in order without duplicates however long Kafka is away.
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE,
            // send() blocks at most this long for metadata: the sender retries, and close() is not held up.
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
            // No JMX reporter: the collector's health is on /metrics, and the JMX classes cost memory.
            ProducerConfig.METRIC_REPORTER_CLASSES_CONFIG, "",
            ProducerConfig.CLIENT_ID_CONFIG, "aima-collector");

    /** Settings the publisher's guarantees rest on: ordered, acknowledged by every in-sync replica, no duplicates. */
    private static final Map<String, String> FIXED = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");

    public PublisherConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        serdeConfig = Collections.unmodifiableMap(new HashMap<>(Objects.requireNonNull(serdeConfig, "serdeConfig")));
        Objects.requireNonNull(spoolDir, "spoolDir");
        requireValidSpoolSize(maxSpoolBytes, segmentBytes);
        requireNonNegative(fsyncInterval, "fsyncInterval");
        producerOverrides = Collections.unmodifiableMap(new HashMap<>(requireChangeable(
                Objects.requireNonNull(producerOverrides, "producerOverrides"))));
        Objects.requireNonNull(metricsTopic, "metricsTopic");
        Objects.requireNonNull(jobsTopic, "jobsTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        if (maxInFlightRecords < 1) {
            throw new IllegalArgumentException("maxInFlightRecords must be at least 1, not " + maxInFlightRecords
                    + ".");
        }
        requireNonNegative(closeTimeout, "closeTimeout");
    }

    /** A builder with every default; the three arguments have none. */
    public static Builder builder(String bootstrapServers, Map<String, ?> serdeConfig, Path spoolDir) {
        return new Builder(bootstrapServers, serdeConfig, spoolDir);
    }

    /**
     * The producer's settings: {@code bootstrap.servers}, {@code acks=all}, {@code enable.idempotence=true},
     * {@link #PRODUCER_DEFAULTS}, then {@link #producerOverrides()}.
     */
    public Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>(PRODUCER_DEFAULTS);
        properties.putAll(producerOverrides);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.putAll(FIXED);
        return properties;
    }

    private static void requireValidSpoolSize(long maxSpoolBytes, long segmentBytes) {
        if (segmentBytes < DiskSpool.MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be at least " + DiskSpool.MIN_SEGMENT_BYTES
                    + ", not " + segmentBytes + ".");
        }
        if (maxSpoolBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("maxSpoolBytes (" + maxSpoolBytes + ") must be at least twice"
                    + " segmentBytes (" + segmentBytes + "), so that dropping the oldest segment makes room.");
        }
    }

    private static void requireNonNegative(Duration duration, String name) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, not " + duration + ".");
        }
    }

    private static Map<String, Object> requireChangeable(Map<String, Object> overrides) {
        for (Map.Entry<String, String> fixed : FIXED.entrySet()) {
            Object value = overrides.get(fixed.getKey());
            if (value != null && !(fixed.getValue().equals(String.valueOf(value))
                    || "acks".equals(fixed.getKey()) && "-1".equals(String.valueOf(value)))) {
                throw new IllegalArgumentException("The producer setting " + fixed.getKey() + " must stay "
                        + fixed.getValue() + ", not " + value + ": the publisher's ordering and no-duplicates"
                        + " guarantee rests on it.");
            }
        }
        for (String key : new String[] {ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG}) {
            if (overrides.containsKey(key)) {
                throw new IllegalArgumentException("The producer setting " + key + " is the publisher's own and"
                        + " cannot be set.");
            }
        }
        return overrides;
    }

    /** Builds a {@link PublisherConfig}; not thread-safe. */
    public static final class Builder {
        private final String bootstrapServers;
        private final Map<String, ?> serdeConfig;
        private final Path spoolDir;
        private long maxSpoolBytes = MAX_SPOOL_BYTES_DEFAULT;
        private long segmentBytes = SEGMENT_BYTES_DEFAULT;
        private Duration fsyncInterval = FSYNC_INTERVAL_DEFAULT;
        private Map<String, Object> producerOverrides = Map.of();
        private String metricsTopic = Topics.METRICS_RAW;
        private String jobsTopic = Topics.JOBS;
        private String deadLetterTopic = Topics.METRICS_DLQ;
        private int maxInFlightRecords = MAX_IN_FLIGHT_RECORDS_DEFAULT;
        private Duration closeTimeout = CLOSE_TIMEOUT_DEFAULT;

        private Builder(String bootstrapServers, Map<String, ?> serdeConfig, Path spoolDir) {
            this.bootstrapServers = bootstrapServers;
            this.serdeConfig = serdeConfig;
            this.spoolDir = spoolDir;
        }

        public Builder maxSpoolBytes(long bytes) {
            this.maxSpoolBytes = bytes;
            return this;
        }

        public Builder segmentBytes(long bytes) {
            this.segmentBytes = bytes;
            return this;
        }

        public Builder fsyncInterval(Duration interval) {
            this.fsyncInterval = interval;
            return this;
        }

        public Builder producerOverrides(Map<String, Object> overrides) {
            this.producerOverrides = overrides;
            return this;
        }

        public Builder topics(String metrics, String jobs, String deadLetter) {
            this.metricsTopic = metrics;
            this.jobsTopic = jobs;
            this.deadLetterTopic = deadLetter;
            return this;
        }

        public Builder maxInFlightRecords(int records) {
            this.maxInFlightRecords = records;
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        public PublisherConfig build() {
            return new PublisherConfig(bootstrapServers, serdeConfig, spoolDir, maxSpoolBytes, segmentBytes,
                    fsyncInterval, producerOverrides, metricsTopic, jobsTopic, deadLetterTopic, maxInFlightRecords,
                    closeTimeout);
        }
    }
}
