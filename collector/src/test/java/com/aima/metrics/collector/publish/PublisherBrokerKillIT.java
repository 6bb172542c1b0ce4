package com.aima.metrics.collector.publish;

import static com.aima.metrics.collector.publish.PublishedEvents.readAll;
import static com.aima.metrics.collector.publish.PublishedEvents.sample;
import static com.aima.metrics.collector.publish.PublishedEvents.samples;
import static com.aima.metrics.collector.publish.PublisherIT.assertExactlyOnceInOrder;
import static com.aima.metrics.collector.publish.PublisherIT.metricValues;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.testing.SchemaRegistry;
import com.aima.metrics.testing.SchemaRegistryExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher while its broker (a child JVM) is killed with SIGKILL and started again on the same log directory and
 * port, the collector publishing all along, and while the collector itself restarts with the broker down. The schema
 * registry stays up. Every event must arrive exactly once and in order per series.
 */
@ExtendWith(SchemaRegistryExtension.class)
class PublisherBrokerKillIT {

    private static final Logger log = LoggerFactory.getLogger(PublisherBrokerKillIT.class);
    private static final int SERIES = 10;
    /** One sample of every series per tick: 2000 events per second. */
    private static final Duration TICK = Duration.ofMillis(5);
    private static final int BURST_BATCHES = 300;

    @TempDir
    Path spoolDir;

    @Test
    void deliversEveryEventOnceAndInOrderThroughBrokerKillsAndACollectorRestart(SchemaRegistry registry)
            throws Exception {
        Path workDir = Path.of("target", "publisher-kill-" + System.currentTimeMillis());
        try (ChildKafkaBroker broker = ChildKafkaBroker.start(workDir)) {
            broker.createTopics(3, Topics.METRICS_RAW, Topics.JOBS, Topics.METRICS_DLQ);
            PublisherConfig config = PublisherConfig.builder(broker.bootstrapServers(), registry.serdeConfig(),
                    spoolDir).closeTimeout(Duration.ofSeconds(2)).build();
            long published;
            try (Collecting collecting = new Collecting(config)) {
                collecting.awaitSent(2_000);

                // Killed with events in flight; the same producer resends them once the broker is back.
                broker.kill();
                collecting.awaitPublished(3_000);
                assertThat(collecting.stats().spoolRecords()).isPositive();
                broker.start();
                collecting.awaitSent(3_000);

                // Nothing in flight, killed again; the collector restarts while the broker is down.
                collecting.pause();
                collecting.awaitDrained();
                broker.kill();
                collecting.resume();
                collecting.awaitPublished(1_000);
                collecting.restartPublisher();
                collecting.awaitPublished(1_000);
                collecting.pause();
                long burstStart = System.nanoTime();
                collecting.burst(BURST_BATCHES);
                long burstNs = System.nanoTime() - burstStart;
                long backlog = collecting.stats().spoolRecords();
                long restartStart = System.nanoTime();
                broker.start();
                long readyNs = System.nanoTime();
                collecting.awaitDrained();
                long drainedNs = System.nanoTime();
                log.info("Spooled a burst of {} events in {} ms ({} events/s, one fsync per batch of {}). Replayed a"
                                + " backlog of {} events in {} ms after the broker was ready ({} events/s; broker start"
                                + " took {} ms).", BURST_BATCHES * SERIES * 10, burstNs / 1_000_000,
                        perSecond(BURST_BATCHES * SERIES * 10, burstNs), SERIES * 10, backlog,
                        (drainedNs - readyNs) / 1_000_000, perSecond(backlog, drainedNs - readyNs),
                        (readyNs - restartStart) / 1_000_000);
                collecting.resume();
                collecting.awaitSent(1_000);
                published = collecting.stop();
                collecting.awaitDrained();
                assertThat(collecting.stats()).extracting(PublisherStats::dropped, PublisherStats::deadLettered,
                        PublisherStats::rejected).containsExactly(0L, 0L, 0L);
            }

            try (KafkaPublisher reopened = new KafkaPublisher(config)) {
                assertThat(reopened.stats().spoolRecords()).as("events left after a graceful close").isZero();
            }
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, MetricEvent>> records =
                    readAll(broker.bootstrapServers(), Topics.METRICS_RAW, metricValues(registry));
            assertThat(records).hasSize((int) (published * SERIES));
            assertExactlyOnceInOrder(records, SERIES, published);
        }
    }

    private static long perSecond(long events, long nanos) {
        return nanos == 0 ? 0 : events * 1_000_000_000L / nanos;
    }

    /**
     * A collector at work: every tick one sample of each series, all with the next sequence number, until stopped.
     * The publisher can be restarted in between, as the collector process would be.
     */
    private static final class Collecting implements AutoCloseable {

        private final PublisherConfig config;
        private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private KafkaPublisher publisher;
        private long sequence;
        private boolean paused;

        Collecting(PublisherConfig config) {
            this.config = config;
            this.publisher = new KafkaPublisher(config);
            ticks.scheduleAtFixedRate(this::tick, 0, TICK.toNanos(), TimeUnit.NANOSECONDS);
        }

        private synchronized void tick() {
            try {
                if (!paused) {
                    publisher.publishMetrics(samples(SERIES, sequence));
                    sequence++;
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
                throw e;
            }
        }

        /** Publishes {@code batches} batches of ten ticks' samples at once, as fast as the spool takes them. */
        synchronized void burst(int batches) {
            for (int batch = 0; batch < batches; batch++) {
                List<MetricEvent> events = new ArrayList<>(SERIES * 10);
                for (int tick = 0; tick < 10; tick++) {
                    for (int gpu = 0; gpu < SERIES; gpu++) {
                        events.add(sample(gpu, sequence));
                    }
                    sequence++;
                }
                publisher.publishMetrics(events);
            }
        }

        synchronized void pause() {
            paused = true;
        }

        synchronized void resume() {
            paused = false;
        }

        /** Closes the publisher and opens a new one on the same spool, as a restart of the collector does. */
        synchronized void restartPublisher() {
            publisher.close();
            publisher = new KafkaPublisher(config);
        }

        synchronized PublisherStats stats() {
            return publisher.stats();
        }

        private synchronized long sequence() {
            return sequence;
        }

        /** Waits until {@code events} more events have been published. */
        void awaitPublished(long events) {
            long target = sequence() + events / SERIES;
            await("published " + events + " more", () -> sequence() >= target);
        }

        /** Waits until this publisher has had {@code events} more events acknowledged. */
        void awaitSent(long events) {
            long target = stats().sent() + events;
            await(events + " more acknowledged", () -> stats().sent() >= target);
        }

        void awaitDrained() {
            await("an empty spool", () -> stats().spoolRecords() == 0);
        }

        private void await(String what, BooleanSupplier condition) {
            Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (failure.get() != null) {
                            throw new AssertionError("Publishing failed.", failure.get());
                        }
                        return condition.getAsBoolean();
                    });
        }

        /** Stops publishing; returns how many ticks' samples were published in all. */
        long stop() {
            ticks.shutdown();
            try {
                ticks.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sequence();
        }

        @Override
        public void close() {
            stop();
            publisher.close();
        }
    }
}
