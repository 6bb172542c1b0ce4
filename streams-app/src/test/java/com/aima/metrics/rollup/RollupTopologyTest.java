package com.aima.metrics.rollup;

import static com.aima.metrics.rollup.RollupHarness.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.DeadLetterHeaders;
import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.devstack.FreePorts;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollup topology in a TopologyTestDriver: every tier against independently computed expectations, calendar
 * edges, late data and corrections, windows of silent partitions, early results and dead letters.
 */
class RollupTopologyTest {

    private static final Instant WALL = Instant.parse("2030-01-01T00:10:00Z");
    private static final double ACCURACY = RollupConfig.SKETCH_RELATIVE_ACCURACY_DEFAULT;
    private static final Map<String, String> GPU0 = Map.of("gpu", "0", "node", "n1");
    private static final Map<String, String> GPU1 = Map.of("gpu", "1", "node", "n1");
    private static final String METRIC = "gpu_utilization_percent";
    private static final String PUNCTUATE = RollupConfig.PUNCTUATE_INTERVAL_CONFIG;

    @TempDir
    Path stateDir;

    private RollupHarness harness(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of(RollupConfig.PUNCTUATE_INTERVAL_CONFIG, "PT1S"));
        settings.putAll(extra);
        return new RollupHarness(settings, WALL, stateDir);
    }

    private static double value(Random random) {
        double r = random.nextDouble();
        return Math.round((0.5 + 99.5 * r * r) * 1000) / 1000.0;
    }

    @Test
    void onlyPointsOfTheLast24HoursByTheWallClockGoIntoTheRawPointStore() {
        try (RollupHarness h = harness(Map.of())) {
            MetricEvent recent = event(METRIC, GPU0, WALL.minus(Duration.ofHours(23)), 1);
            MetricEvent old = event(METRIC, GPU0, WALL.minus(Duration.ofHours(25)), 2);
            // an old event time in a record written now (a collector's spool sent late)
            h.sendAt(old, WALL);
            h.send(recent);
            // a recent event time in a record with an old timestamp: its changelog record would be as old
            h.sendAt(event(METRIC, GPU1, WALL.minus(Duration.ofHours(1)), 3), WALL.minus(Duration.ofHours(30)));

            WindowStore<String, RawPoint> store = h.driver.getWindowStore(RawPoints.STORE);
            List<Double> stored = new ArrayList<>();
            for (Map<String, String> labels : List.of(GPU0, GPU1)) {
                try (WindowStoreIterator<RawPoint> points = store.fetch(SeriesKey.of(METRIC, labels),
                        WALL.minus(Duration.ofDays(3)), WALL)) {
                    points.forEachRemaining(point -> stored.add(point.value.value()));
                }
            }
            assertThat(stored).containsExactly(1.0);
            // the rollups still count all three
            h.advanceWallClock(Duration.ofHours(2));
            assertThat(h.rollups(Tier.HOUR).stream().mapToLong(MetricRollup::getCount).sum()).isEqualTo(3);
        }
    }

    @Test
    void anHourWindowHasExactCountersAndQuantilesWithinTheSketchAccuracy() {
        Random random = new Random(42);
        Map<Map<String, String>, List<Double>> sent = new HashMap<>();
        Instant hour = Instant.parse("2028-03-01T10:00:00Z");
        try (RollupHarness h = harness(Map.of())) {
            for (int i = 0; i < 1000; i++) {
                Map<String, String> labels = i % 2 == 0 ? GPU0 : GPU1;
                double value = value(random);
                sent.computeIfAbsent(labels, k -> new ArrayList<>()).add(value);
                h.send(event(METRIC, labels, hour.plusMillis(random.nextInt(3_600_000)), value));
            }
            assertThat(h.rollups(Tier.HOUR)).as("nothing before the window's end plus grace").isEmpty();

            h.send(event(METRIC, Map.of("gpu", "9"), Instant.parse("2028-03-01T11:10:00Z"), 1.0));

            List<TestRecord<String, MetricRollup>> hourly = h.rollupRecords(Tier.HOUR);
            assertThat(hourly).hasSize(2);
            for (TestRecord<String, MetricRollup> record : hourly) {
                MetricRollup rollup = record.value();
                assertThat(record.key())
                        .isEqualTo(METRIC + "{gpu=\"" + rollup.getLabels().get("gpu") + "\",node=\"n1\"}");
                assertThat(record.timestamp()).isEqualTo(hour.toEpochMilli());
                assertThat(rollup.getWindowStart()).isEqualTo(hour);
                assertThat(rollup.getWindowEnd()).isEqualTo(hour.plus(Duration.ofHours(1)));
                assertThat(rollup.getFinal$()).isTrue();
                assertThat(rollup.getRevision()).isZero();
                Exact.assertMatches(rollup, sent.get(rollup.getLabels()), ACCURACY);
            }
            assertThat(h.rollups(Tier.DAY)).isEmpty();
            assertThat(h.late.isEmpty()).isTrue();
        }
    }

    @Test
    void everyTierIsTheExactMergeOfItsPartsAcrossCalendarEdges() {
        // Dec -> Jan, the leap February of 2028, Feb -> Mar: one sample every 97 minutes.
        Random random = new Random(7);
        List<MetricEvent> sent = new ArrayList<>();
        Instant from = Instant.parse("2027-12-30T00:00:00Z");
        Instant to = Instant.parse("2028-03-02T00:00:00Z");
        try (RollupHarness h = harness(Map.of())) {
            for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(97))) {
                MetricEvent event = event(METRIC, GPU0, t, value(random));
                sent.add(event);
                h.send(event);
            }
            // The partition goes silent: the wall clock closes every window (idle timeout 1 min by default).
            h.advanceWallClock(Duration.ofMinutes(2));

            assertTier(h.rollups(Tier.HOUR), sent, t -> t.truncatedTo(ChronoUnit.HOURS), t -> t.plusHours(1));
            assertTier(h.rollups(Tier.DAY), sent, t -> t.truncatedTo(ChronoUnit.DAYS), t -> t.plusDays(1));
            List<MetricRollup> months = h.rollups(Tier.MONTH);
            assertTier(months, sent, t -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1), t -> t.plusMonths(1));
            assertTier(h.rollups(Tier.YEAR), sent, t -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1),
                    t -> t.plusYears(1));

            MetricRollup february = months.stream()
                    .filter(m -> m.getWindowStart().equals(Instant.parse("2028-02-01T00:00:00Z"))).findFirst()
                    .orElseThrow();
            assertThat(Duration.between(february.getWindowStart(), february.getWindowEnd()))
                    .as("February of a leap year").isEqualTo(Duration.ofDays(29));
        }
    }

    private static void assertTier(List<MetricRollup> rollups, List<MetricEvent> sent,
                                   Function<ZonedDateTime, ZonedDateTime> start,
                                   Function<ZonedDateTime, ZonedDateTime> end) {
        Map<Instant, List<Double>> expected = new TreeMap<>();
        Map<Instant, Instant> ends = new HashMap<>();
        for (MetricEvent event : sent) {
            ZonedDateTime windowStart = start.apply(event.getEventTime().atZone(ZoneOffset.UTC));
            expected.computeIfAbsent(windowStart.toInstant(), k -> new ArrayList<>()).add(event.getValue());
            ends.put(windowStart.toInstant(), end.apply(windowStart).toInstant());
        }
        assertThat(rollups).extracting(MetricRollup::getWindowStart)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (MetricRollup rollup : rollups) {
            assertThat(rollup.getWindowEnd()).isEqualTo(ends.get(rollup.getWindowStart()));
            assertThat(rollup.getRevision()).isZero();
            Exact.assertMatches(rollup, expected.get(rollup.getWindowStart()), ACCURACY);
        }
    }

    @Test
    void aSilentPartitionsWindowClosesWithinGracePlusIdleTimeoutOfWallClock() {
        try (RollupHarness h = harness(Map.of())) {
            h.send(event(METRIC, GPU0, Instant.parse("2030-01-01T00:05:00Z"), 40));
            h.send(event(METRIC, GPU0, Instant.parse("2030-01-01T00:09:00Z"), 60));

            // wall 01:10:30: the clock follows the wall clock minus the 1 min idle timeout, 01:09:30 < 01:10
            h.advanceWallClock(Duration.between(WALL, Instant.parse("2030-01-01T01:10:30Z")));
            assertThat(h.rollups(Tier.HOUR)).isEmpty();

            h.advanceWallClock(Duration.ofSeconds(31)); // wall 01:11:01, clock 01:10:01: end 01:00 + grace 10 min
            List<MetricRollup> hourly = h.rollups(Tier.HOUR);
            assertThat(hourly).hasSize(1);
            assertThat(hourly.get(0).getCount()).isEqualTo(2);
            assertThat(hourly.get(0).getAvg()).isEqualTo(50.0);
        }
    }

    @Test
    void lateRecordsGoToTheLateTopicAndCorrectEveryClosedTier() {
        Instant hour = Instant.parse("2028-03-01T10:00:00Z");
        // Short month and year windows, so that every tier closes while its windows are still within retention.
        Map<String, Object> shortTiers = Map.of(PUNCTUATE, "PT1S",
                RollupConfig.windowConfig(Tier.MONTH), "P2D", RollupConfig.windowConfig(Tier.YEAR), "P4D");
        try (RollupHarness h = new RollupHarness(shortTiers, Instant.parse("2028-03-06T00:00:00Z"), stateDir)) {
            for (int i = 0; i < 3; i++) {
                h.send(event(METRIC, GPU0, hour.plus(Duration.ofMinutes(10 * i)), 10 + i));
            }
            h.send(event(METRIC, GPU1, Instant.parse("2028-03-01T11:10:00Z"), 1)); // closes hour 10:00
            assertThat(h.rollups(Tier.HOUR)).singleElement()
                    .satisfies(r -> assertThat(r.getCount()).isEqualTo(3));

            MetricEvent firstLate = event(METRIC, GPU0, hour.plus(Duration.ofMinutes(30)), 50);
            h.send(firstLate);

            var lateRecord = h.late.readRecord();
            assertThat(lateRecord.value()).isEqualTo(h.serialize(firstLate));
            String reason = DeadLetterHeaders.text(lateRecord.headers(), DeadLetterHeaders.REASON);
            assertThat(reason).contains("1h: corrected, revision 1.").contains("1d: added to the open window.");
            assertThat(DeadLetterHeaders.text(lateRecord.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.METRICS_RAW);
            MetricRollup corrected = h.rollups(Tier.HOUR).get(0);
            assertThat(corrected.getRevision()).isEqualTo(1);
            assertThat(corrected.getCount()).isEqualTo(4);
            assertThat(corrected.getMax()).isEqualTo(50.0);
            assertThat(corrected.getWindowStart()).isEqualTo(hour);

            h.advanceWallClock(Duration.ofMinutes(2)); // silence: every tier closes
            assertThat(h.rollups(Tier.HOUR)).extracting(MetricRollup::getCount).containsExactly(1L); // GPU1's hour
            assertThat(h.rollups(Tier.DAY)).filteredOn(r -> r.getLabels().equals(GPU0)).singleElement()
                    .satisfies(day -> {
                        assertThat(day.getCount()).as("the day includes the late record").isEqualTo(4);
                        assertThat(day.getRevision()).isZero();
                    });
            h.rollups(Tier.MONTH);
            h.rollups(Tier.YEAR);

            h.send(event(METRIC, GPU0, hour.plus(Duration.ofMinutes(45)), 5));

            assertThat(DeadLetterHeaders.text(h.late.readRecord().headers(), DeadLetterHeaders.REASON))
                    .contains("1h: corrected, revision 2.", "1d: corrected, revision 1.", "1mo: corrected, revision 1.",
                            "1y: corrected, revision 1.");
            for (Tier tier : Tier.values()) {
                assertThat(h.rollups(tier)).as(tier.label()).singleElement().satisfies(r -> {
                    assertThat(r.getCount()).isEqualTo(5);
                    assertThat(r.getMin()).isEqualTo(5.0);
                    assertThat(r.getRevision()).isEqualTo(tier == Tier.HOUR ? 2 : 1);
                });
            }
        }
    }

    @Test
    void closedWindowsAreKeptForCorrectionsOnlyWithinTheirTiersRetention() {
        Instant hour = Instant.parse("2029-12-20T10:00:00Z"); // 12 days before the wall clock
        try (RollupHarness h = harness(Map.of())) {
            h.send(event(METRIC, GPU0, hour, 10));
            h.advanceWallClock(Duration.ofMinutes(2)); // silence closes hour and day
            assertThat(h.rollups(Tier.HOUR)).hasSize(1);
            assertThat(h.rollups(Tier.DAY)).hasSize(1);
            var closedHours = h.driver.<WindowKey, MetricRollup>getKeyValueStore(Tier.HOUR.closedStore());
            var closedDays = h.driver.<WindowKey, MetricRollup>getKeyValueStore(Tier.DAY.closedStore());
            assertThat(count(closedHours)).as("hours are kept 7 days").isZero();
            assertThat(count(closedDays)).as("days are kept 30 days").isEqualTo(1);

            h.send(event(METRIC, GPU0, hour.plus(Duration.ofMinutes(5)), 30));

            assertThat(DeadLetterHeaders.text(h.late.readRecord().headers(), DeadLetterHeaders.REASON))
                    .contains("1h: window past retention, not corrected.", "1d: corrected, revision 1.");
            assertThat(h.rollups(Tier.HOUR)).isEmpty();
            assertThat(h.rollups(Tier.DAY)).singleElement().satisfies(day -> {
                assertThat(day.getCount()).isEqualTo(2);
                assertThat(day.getRevision()).isEqualTo(1);
            });

            h.advanceWallClock(Duration.ofDays(30)); // the day passes its retention: purged
            assertThat(count(closedDays)).isZero();
        }
    }

    private static long count(org.apache.kafka.streams.state.KeyValueStore<WindowKey, MetricRollup> store) {
        long entries = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        return entries;
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheReasonAndTheRestContinues() {
        Instant t = Instant.parse("2029-12-31T23:00:00Z");
        try (RollupHarness h = harness(Map.of())) {
            h.send(event(METRIC, GPU0, t, Double.NaN));
            h.send(event("", GPU0, t, 1));
            h.send(event(METRIC, GPU0, WALL.plus(Duration.ofHours(1)), 1));
            h.sendBytes(new byte[] {9, 0, 0, 0, 1, 2});
            h.sendBytes(new byte[] {0, 0, 0, 0, 1, 42});
            h.send(event(METRIC, GPU0, t, Double.MAX_VALUE));
            h.send(event("9-lives", GPU0, t, 1));
            h.send(event(METRIC, Map.of("gpu-id", "0"), t, 1));
            h.send(event(METRIC, GPU0, t, 7));

            List<TestRecord<byte[], byte[]>> dead = h.deadLetters.readRecordsToList();
            assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON))
                    .satisfiesExactly(
                            reason -> assertThat(reason).contains("'value'", "NaN"),
                            reason -> assertThat(reason).contains("'name'", "empty"),
                            reason -> assertThat(reason).contains("'eventTime'", "ahead of the clock"),
                            reason -> assertThat(reason).contains("Undecodable", "magic byte 0x09"),
                            reason -> assertThat(reason).contains("Undecodable"),
                            reason -> assertThat(reason).contains("'value'", "sketch can track"),
                            reason -> assertThat(reason).contains("'name'", "'9-lives'"),
                            reason -> assertThat(reason).contains("Label name 'gpu-id'"));
            assertThat(dead).allSatisfy(r -> {
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.METRICS_RAW);
                assertThat(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
            });
            assertThat(dead).extracting(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_OFFSET))
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7");
            assertThat(dead.get(3).value()).as("the original bytes").containsExactly(9, 0, 0, 0, 1, 2);

            h.advanceWallClock(Duration.ofMinutes(2));
            assertThat(h.rollups(Tier.HOUR)).singleElement()
                    .satisfies(r -> assertThat(r.getCount()).as("the valid record after the bad ones").isEqualTo(1));
        }
    }

    @Test
    void anUnreachableRegistryFailsTheTaskInsteadOfDeadLetteringGoodRecords() {
        String dead = "http://127.0.0.1:" + FreePorts.pick() + "/apis/ccompat/v7";
        RollupHarness h = new RollupHarness(Map.of(RollupConfig.PUNCTUATE_INTERVAL_CONFIG, "PT1S"), WALL, stateDir,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, dead,
                        AvroSerdeConfig.HTTP_CONNECT_TIMEOUT_MS_CONFIG, 1_000));
        try (h) {
            assertThatThrownBy(() -> h.send(event(METRIC, GPU0, Instant.parse("2029-12-31T23:00:00Z"), 1)))
                    .hasStackTraceContaining("unreachable");
            assertThat(h.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void earlyResultsAreEmittedWhenEnabledAndMarkedNotFinal() {
        try (RollupHarness h = harness(Map.of(RollupConfig.EARLY_RESULTS_INTERVAL_CONFIG, "PT5S"))) {
            h.send(event(METRIC, GPU0, Instant.parse("2030-01-01T00:01:00Z"), 10));
            h.advanceWallClock(Duration.ofSeconds(6));
            assertThat(h.rollups(Tier.HOUR)).singleElement().satisfies(r -> {
                assertThat(r.getFinal$()).isFalse();
                assertThat(r.getCount()).isEqualTo(1);
            });
            h.advanceWallClock(Duration.ofSeconds(6));
            assertThat(h.rollups(Tier.HOUR)).as("nothing new, nothing emitted").isEmpty();
            h.send(event(METRIC, GPU0, Instant.parse("2030-01-01T00:02:00Z"), 20));
            h.advanceWallClock(Duration.ofSeconds(6));
            assertThat(h.rollups(Tier.HOUR)).singleElement().satisfies(r -> assertThat(r.getCount()).isEqualTo(2));
        }
    }

    @Test
    void configurationErrorsNameTheKey() {
        assertThatThrownBy(() -> new RollupConfig(Map.of(RollupConfig.windowConfig(Tier.DAY), "PT7H")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RollupConfig.windowConfig(Tier.MONTH));
        assertThatThrownBy(() -> new RollupConfig(Map.of(RollupConfig.windowConfig(Tier.DAY), "PT90M")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RollupConfig.windowConfig(Tier.DAY));
        assertThatThrownBy(() -> new RollupConfig(Map.of(RollupConfig.graceConfig(Tier.DAY), "PT1M")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RollupConfig.graceConfig(Tier.DAY));
        assertThatThrownBy(() -> new RollupConfig(Map.of(RollupConfig.windowConfig(Tier.HOUR), "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RollupConfig.windowConfig(Tier.HOUR))
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> new RollupConfig(Map.of(RollupConfig.SKETCH_RELATIVE_ACCURACY_CONFIG, "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(RollupConfig.SKETCH_RELATIVE_ACCURACY_CONFIG);
    }
}
