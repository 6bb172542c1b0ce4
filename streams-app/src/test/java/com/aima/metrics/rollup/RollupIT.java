package com.aima.metrics.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.streams.StreamsApp;
import com.aima.metrics.streams.StreamsTestSettings;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 events over 1,000 series and 6 hours through the production topology on the real broker and registry,
 * exactly once: every rollup of every tier matches the independent computation, once, at revision 0. (The events lie
 * in the past, as a broker refuses timestamps more than an hour ahead; the current year's window is still open.)
 */
@RealKafkaAndRegistry
class RollupIT {

    static final Workload WORKLOAD = new Workload(1_000, 100, Duration.ofHours(6));

    @TempDir
    Path stateDir;

    static Map<String, Object> appSettings(KafkaBroker kafka, SchemaRegistry registry, Path stateDir) {
        Map<String, Object> settings = StreamsTestSettings.of(kafka, registry, "rollup-it-" + UUID.randomUUID(),
                stateDir, 4);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "500");
        // Long enough that a partition starved of CPU on a loaded 2-core machine does not count as silent.
        settings.put(RollupConfig.IDLE_TIMEOUT_CONFIG, "PT20S");
        settings.put(RollupConfig.PUNCTUATE_INTERVAL_CONFIG, "PT1S");
        settings.put(AlertConfig.ENABLED_CONFIG, "false"); // AlertIT tests the alert engine
        settings.put(CostConfig.ENABLED_CONFIG, "false"); // CostIT tests the cost engine
        return settings;
    }

    static void assertAllRollupsMatch(Map<Workload.WindowId, List<MetricRollup>> read,
                                      Map<Workload.WindowId, List<Double>> expected) {
        assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<Workload.WindowId, List<MetricRollup>> window : read.entrySet()) {
            assertThat(window.getValue()).as("records of %s: emitted once", window.getKey()).hasSize(1);
            MetricRollup rollup = window.getValue().get(0);
            assertThat(rollup.getRevision()).isZero();
            assertThat(rollup.getFinal$()).isTrue();
            Exact.assertMatches(rollup, expected.get(window.getKey()), RollupConfig.SKETCH_RELATIVE_ACCURACY_DEFAULT);
        }
    }

    @Test
    void everyRollupOfEveryTierMatchesTheIndependentComputation(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        kafka.deleteTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
        // Windows that have ended close (the silent partitions' clocks follow the wall clock); this year's has not.
        Map<Workload.WindowId, List<Double>> expected = WORKLOAD.expectedEndedBy(Instant.now().minus(Duration.ofHours(1)));
        assertThat(WORKLOAD.events).hasSize(100_000);
        assertThat(expected.keySet().stream().map(Workload.WindowId::series).distinct()).hasSize(1_000);

        try (StreamsApp.Running app = StreamsApp.start(appSettings(kafka, registry, stateDir))) {
            WORKLOAD.produce(kafka, registry);
            Map<Workload.WindowId, List<MetricRollup>> read = Workload.readRollups(kafka, registry, expected.size(),
                    Duration.ofMinutes(3));
            assertAllRollupsMatch(read, expected);
            assertThat(Workload.countRecords(kafka, Topics.METRICS_DLQ)).isZero();
            assertThat(Workload.countRecords(kafka, Topics.METRICS_LATE)).isZero();
            assertThat(app.rollups().state().isRunningOrRebalancing()).as("the application still runs").isTrue();
        }
    }
}
