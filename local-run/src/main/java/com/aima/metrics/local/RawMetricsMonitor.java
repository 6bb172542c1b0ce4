package com.aima.metrics.local;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the raw metrics topic and prints a progress line per interval in which something arrived: events so far,
 * the rate, undecodable records skipped, and the latest event. Undecodable records are counted and skipped, never
 * fatal. Every event is also handed to a listener (the cost summary picks the budget use from them), on the monitor's
 * thread.
 */
final class RawMetricsMonitor implements AutoCloseable {

    static final String GROUP_ID = "aima-local-monitor";
    private static final Logger log = LoggerFactory.getLogger(RawMetricsMonitor.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(60);
    private static final DateTimeFormatter CLOCK_FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KafkaConsumer<String, MetricEvent> consumer;
    private final Duration interval;
    private final PrintStream out;
    private final Consumer<MetricEvent> listener;
    private final Thread thread;
    private long events;
    private long bad;
    private MetricEvent last;

    private RawMetricsMonitor(KafkaConsumer<String, MetricEvent> consumer, Duration interval, PrintStream out,
                              Consumer<MetricEvent> listener) {
        this.consumer = consumer;
        this.interval = interval;
        this.out = out;
        this.listener = listener;
        this.thread = new Thread(this::run, "raw-metrics-monitor");
    }

    /** @param listener called with every decoded event; must be quick and must not throw */
    static RawMetricsMonitor start(String bootstrapServers, String registryUrl, Duration interval, PrintStream out,
                                   Consumer<MetricEvent> listener) {
        SpecificAvroDeserializer<MetricEvent> values = new SpecificAvroDeserializer<>(MetricEvent.class);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        KafkaConsumer<String, MetricEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values);
        consumer.subscribe(List.of(Topics.METRICS_RAW));
        RawMetricsMonitor monitor = new RawMetricsMonitor(consumer, interval, out, listener);
        monitor.thread.start();
        return monitor;
    }

    private void run() {
        long lastPrintNs = System.nanoTime();
        long printedEvents = 0;
        long printedBad = 0;
        Duration pollTimeout = interval.compareTo(Duration.ofSeconds(1)) < 0 ? interval : Duration.ofSeconds(1);
        try {
            while (true) {
                poll(pollTimeout);
                long now = System.nanoTime();
                Duration sincePrint = Duration.ofNanos(now - lastPrintNs);
                boolean changed = events != printedEvents || bad != printedBad;
                if ((changed && sincePrint.compareTo(interval) >= 0) || sincePrint.compareTo(HEARTBEAT) >= 0) {
                    printProgress(events - printedEvents, sincePrint);
                    lastPrintNs = now;
                    printedEvents = events;
                    printedBad = bad;
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("The raw-metrics monitor stopped.", e);
        } finally {
            consumer.close();
        }
    }

    private void poll(Duration timeout) {
        try {
            for (ConsumerRecord<String, MetricEvent> record : consumer.poll(timeout)) {
                events++;
                last = record.value();
                if (last != null) {
                    listener.accept(last);
                }
            }
        } catch (RecordDeserializationException e) {
            bad++;
            log.warn("Skipping undecodable record at {} offset {}: {}", e.topicPartition(), e.offset(),
                    e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private void printProgress(long newEvents, Duration since) {
        double perSecond = newEvents / Math.max(0.001, since.toMillis() / 1000.0);
        StringBuilder line = new StringBuilder()
                .append('[').append(CLOCK_FORMAT.format(LocalTime.now())).append("] ")
                .append(Topics.METRICS_RAW).append(": ").append(events).append(" events")
                .append(String.format(" (+%d, %.1f/s), %d undecodable", newEvents, perSecond, bad));
        if (last != null) {
            line.append(" | last: ").append(last.getName()).append(new TreeMap<>(last.getLabels()))
                    .append(" = ").append(last.getValue()).append(' ').append(last.getUnit())
                    .append(" @ ").append(last.getEventTime());
        }
        out.println(line);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
