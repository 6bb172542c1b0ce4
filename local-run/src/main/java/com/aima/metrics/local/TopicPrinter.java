package com.aima.metrics.local;

import com.aima.metrics.Topics;
import com.aima.metrics.rollup.Tier;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows topics (committed records only) and prints one line per record, at most {@value #MAX_LINES_PER_POLL} per
 * poll with a count of the rest: the rollups as their windows close ({@link #rollups}), the alerts as they fire and
 * resolve ({@link #alerts}).
 */
final class TopicPrinter<V extends SpecificRecord> implements AutoCloseable {

    static final String ROLLUP_GROUP_ID = "aima-local-rollup-monitor";
    static final String ALERT_GROUP_ID = "aima-local-alert-monitor";
    private static final int MAX_LINES_PER_POLL = 10;
    private static final Logger log = LoggerFactory.getLogger(TopicPrinter.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final KafkaConsumer<String, V> consumer;
    private final Function<V, String> line;
    private final String what;
    private final PrintStream out;
    private final Thread thread;

    private TopicPrinter(KafkaConsumer<String, V> consumer, Function<V, String> line, String what, PrintStream out) {
        this.consumer = consumer;
        this.line = line;
        this.what = what;
        this.out = out;
        this.thread = new Thread(this::run, what + "-monitor");
    }

    /** Prints every rollup of every tier. */
    static TopicPrinter<MetricRollup> rollups(String bootstrapServers, String registryUrl, PrintStream out) {
        return start(MetricRollup.class, Arrays.stream(Tier.values()).map(Tier::topic).toList(), ROLLUP_GROUP_ID,
                TopicPrinter::line, "rollups", bootstrapServers, registryUrl, out);
    }

    /** Prints every alert that fires or resolves. */
    static TopicPrinter<AlertEvent> alerts(String bootstrapServers, String registryUrl, PrintStream out) {
        return start(AlertEvent.class, List.of(Topics.ALERTS), ALERT_GROUP_ID, TopicPrinter::line,
                "alerts", bootstrapServers, registryUrl, out);
    }

    private static <V extends SpecificRecord> TopicPrinter<V> start(Class<V> type, List<String> topics, String group,
                                                                    Function<V, String> line, String what,
                                                                    String bootstrapServers, String registryUrl,
                                                                    PrintStream out) {
        TopicPrinter<V> printer = new TopicPrinter<>(consumer(type, topics, group, bootstrapServers, registryUrl),
                line, what, out);
        printer.thread.start();
        return printer;
    }

    /** A {@code read_committed} consumer of {@code topics}' Avro values of {@code type}, from the earliest offset. */
    static <V extends SpecificRecord> KafkaConsumer<String, V> consumer(Class<V> type, List<String> topics,
                                                                      String group, String bootstrapServers,
                                                                      String registryUrl) {
        SpecificAvroDeserializer<V> values = new SpecificAvroDeserializer<>(type);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values);
        consumer.subscribe(topics);
        return consumer;
    }

    private void run() {
        try {
            while (true) {
                int printed = 0;
                int more = 0;
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
                    if (printed < MAX_LINES_PER_POLL) {
                        out.println(line.apply(record.value()));
                        printed++;
                    } else {
                        more++;
                    }
                }
                if (more > 0) {
                    out.println("  ... and " + more + " more " + what);
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("The {} monitor stopped.", what, e);
        } finally {
            consumer.close();
        }
    }

    static String line(MetricRollup rollup) {
        return String.format("[rollup %-3s] %s%s  %s - %s UTC  n=%d min=%.3g avg=%.3g p95=%.3g max=%.3g %s%s%s",
                Tier.valueOf(rollup.getTier().name()).label(), rollup.getName(), new TreeMap<>(rollup.getLabels()),
                TIME.format(rollup.getWindowStart()), TIME.format(rollup.getWindowEnd()), rollup.getCount(),
                rollup.getMin(), rollup.getAvg(), rollup.getP95(), rollup.getMax(), rollup.getUnit(),
                rollup.getRevision() > 0 ? " (correction, revision " + rollup.getRevision() + ")" : "",
                rollup.getFinal$() ? "" : " (early)");
    }

    static String line(AlertEvent alert) {
        boolean firing = alert.getState() == AlertState.FIRING;
        return String.format("[alert %-8s] %-8s %s %s%s  %s  since %s UTC%s  (%s)", alert.getState(),
                alert.getSeverity(), alert.getRule(), alert.getMetric(), new TreeMap<>(alert.getLabels()),
                alert.getSummary(), TIME.format(alert.getStartsAt()),
                firing || alert.getEndsAt() == null ? "" : ", until " + TIME.format(alert.getEndsAt()) + " UTC",
                alert.getFingerprint());
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
