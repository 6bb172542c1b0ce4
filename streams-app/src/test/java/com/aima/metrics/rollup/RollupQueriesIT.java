package com.aima.metrics.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.rollup.RollupQueries.PartitionUnavailableException;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.streams.StreamsTestSettings;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries of the rollup stores while the stream thread closes windows in them, as the REST API runs them:
 * the stream thread keeps processing (every input offset is committed) and no query fails. IQv2 key and range
 * queries deadlocked the stream thread here in Kafka Streams 4.3 (KAFKA-19629); {@link RollupQueries} takes the
 * classic query path.
 */
@RealKafkaAndRegistry
class RollupQueriesIT {

    private static final Workload WORKLOAD = new Workload(200, 300, Duration.ofHours(5));

    @TempDir
    Path stateDir;

    @Test
    void queriesWhileTheTopologyWritesNeitherStallItNorFail(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        StreamsTestSettings.recreateTopics(kafka, 1);
        String applicationId = "rollup-queries-it-" + UUID.randomUUID();
        Map<String, Object> settings = StreamsTestSettings.of(kafka, registry, applicationId, stateDir, 1);
        settings.put(AlertConfig.ENABLED_CONFIG, "false");
        settings.put(CostConfig.ENABLED_CONFIG, "false");
        String metric = "gpu_utilization_percent";
        String oneSeries = SeriesKey.of(metric, Map.of("gpu", "0", "node", "node-0"));
        long fromMs = Workload.START.toEpochMilli();
        long toMs = Workload.START.plus(WORKLOAD.span).toEpochMilli();

        try (StreamsApp.Running app = StreamsApp.start(settings)) {
            RollupQueries queries = new RollupQueries(app.rollups(), new RollupConfig(settings));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong answered = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        queries.rollups(0, Tier.HOUR, metric, oneSeries, series -> true, fromMs, toMs, true,
                                (series, rollup) -> { });
                        queries.rollups(0, Tier.HOUR, metric, null, series -> true, fromMs, toMs, true,
                                (series, rollup) -> { });
                        queries.knowsMetric(0, metric);
                        answered.incrementAndGet();
                    } catch (PartitionUnavailableException e) {
                        Thread.onSpinWait(); // starting or restoring: ask again
                    } catch (RuntimeException e) {
                        failure.set(e);
                        return;
                    }
                }
            }, "rollup-queries-it-reader");
            reader.start();
            try {
                WORKLOAD.produce(kafka, registry);
                Awaitility.await("every input offset committed while queries run").atMost(Duration.ofSeconds(90))
                        .until(() -> RollupRestartIT.committedRawOffsets(kafka, applicationId)
                                == WORKLOAD.events.size());
            } finally {
                stop.set(true);
                reader.join(10_000);
            }
            assertThat(failure.get()).isNull();
            assertThat(reader.isAlive()).as("the query thread ended").isFalse();
            assertThat(answered.get()).as("queries answered while the topology wrote").isPositive();
        }
    }
}
