package com.aima.metrics.local;

import com.aima.metrics.rollup.Tier;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the rollup topics (committed records only) and prints each rollup as its window closes, at most
 * {@value #MAX_LINES_PER_POLL} lines per poll with a count of the rest.
 */
final class RollupMonitor implements AutoCloseable {

    static final String GROUP_ID = "aima-local-rollup-monitor";
    private static final int MAX_LINES_PER_POLL = 10;
    private static final Logger log = LoggerFactory.getLogger(RollupMonitor.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final KafkaConsumer<String, MetricRollup> consumer;
    private final PrintStream out;
    private final Thread thread;

    private RollupMonitor(KafkaConsumer<String, MetricRollup> consumer, PrintStream out) {
        this.consumer = consumer;
        this.out = out;
        this.thread = new Thread(this::run, "rollup-monitor");
    }

    static RollupMonitor start(String bootstrapServers, String registryUrl, PrintStream out) {
        SpecificAvroDeserializer<MetricRollup> values = new SpecificAvroDeserializer<>(MetricRollup.class);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        KafkaConsumer<String, MetricRollup> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values);
        consumer.subscribe(Arrays.stream(Tier.values()).map(Tier::topic).toList());
        RollupMonitor monitor = new RollupMonitor(consumer, out);
        monitor.thread.start();
        return monitor;
    }

    private void run() {
        try {
            while (true) {
                int printed = 0;
                int more = 0;
                for (ConsumerRecord<String, MetricRollup> record : consumer.poll(Duration.ofMillis(500))) {
                    if (printed < MAX_LINES_PER_POLL) {
                        out.println(line(record.value()));
                        printed++;
                    } else {
                        more++;
                    }
                }
                if (more > 0) {
                    out.println("  ... and " + more + " more rollups");
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("The rollup monitor stopped.", e);
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

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
