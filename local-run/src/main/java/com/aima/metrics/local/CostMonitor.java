package com.aima.metrics.local;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the costs topic (committed records only): prints each JOB record as it arrives (at most
 * {@value #MAX_LINES_PER_POLL} per poll, with a count of the rest), adds every record to the {@link CostSummary},
 * and prints the summary at most once per interval, and only when it changed. Its consumer group keeps its offsets
 * in the data directory's broker, so a restarted run counts only what is new. Undecodable records are logged and
 * skipped.
 */
final class CostMonitor implements AutoCloseable {

    static final String GROUP_ID = "aima-local-cost-monitor";
    private static final int MAX_LINES_PER_POLL = 10;
    private static final Logger log = LoggerFactory.getLogger(CostMonitor.class);

    private final KafkaConsumer<String, CostRecord> consumer;
    private final CostSummary summary;
    private final Duration interval;
    private final PrintStream out;
    private final Thread thread;

    private CostMonitor(KafkaConsumer<String, CostRecord> consumer, CostSummary summary, Duration interval,
                        PrintStream out) {
        this.consumer = consumer;
        this.summary = summary;
        this.interval = interval;
        this.out = out;
        this.thread = new Thread(this::run, "cost-monitor");
    }

    /**
     * @param summary  the summary to add to; others (the raw-metrics monitor's budget metrics) may add to it too
     * @param interval the least time between two summary lines
     */
    static CostMonitor start(String bootstrapServers, String registryUrl, CostSummary summary, Duration interval,
                             PrintStream out) {
        CostMonitor monitor = new CostMonitor(TopicPrinter.consumer(CostRecord.class, List.of(Topics.COSTS), GROUP_ID,
                bootstrapServers, registryUrl), summary, interval, out);
        monitor.thread.start();
        return monitor;
    }

    private void run() {
        long lastPrintNs = System.nanoTime();
        long printedChanges = summary.changes();
        Duration pollTimeout = interval.compareTo(Duration.ofSeconds(1)) < 0 ? interval : Duration.ofSeconds(1);
        try {
            while (true) {
                poll(pollTimeout);
                long now = System.nanoTime();
                long changes = summary.changes();
                if (changes != printedChanges && Duration.ofNanos(now - lastPrintNs).compareTo(interval) >= 0) {
                    out.println(summary.line());
                    lastPrintNs = now;
                    printedChanges = changes;
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("The cost monitor stopped.", e);
        } finally {
            consumer.close();
        }
    }

    private void poll(Duration timeout) {
        try {
            int printed = 0;
            int more = 0;
            for (ConsumerRecord<String, CostRecord> record : consumer.poll(timeout)) {
                CostRecord cost = record.value();
                if (cost == null) {
                    continue;
                }
                summary.add(cost);
                if (cost.getKind() != CostKind.JOB) {
                    continue; // device hours, budgets, estimates...: only in the summary, a line each is too many
                }
                if (printed < MAX_LINES_PER_POLL) {
                    out.println(CostSummary.jobLine(cost));
                    printed++;
                } else {
                    more++;
                }
            }
            if (more > 0) {
                out.println("  ... and " + more + " more job costs");
            }
        } catch (RecordDeserializationException e) {
            log.warn("Skipping undecodable record at {} offset {}: {}", e.topicPartition(), e.offset(),
                    e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
