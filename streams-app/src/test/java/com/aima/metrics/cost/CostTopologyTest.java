package com.aima.metrics.cost;

import static com.aima.metrics.cost.CostHarness.ended;
import static com.aima.metrics.cost.CostHarness.job;
import static com.aima.metrics.cost.CostHarness.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostEstimate;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost engine end to end in a TopologyTestDriver, every expectation computed by hand in the comment above it.
 * Prices (EUR per GPU-hour): aws H100 on-demand 4.00, spot 1.50 on weekdays and 1.20 on weekends; gcp L4 0.60 until
 * 2026-11-20 12:00 UTC, then 0.90; local RTX 4090 0.20 amortised plus 0.30 per kWh measured. 2026-11-20 is a Friday.
 */
class CostTopologyTest {

    static final String CATALOG = """
            currency: EUR
            timezone: UTC
            providers:
              aws:
                prices:
                  - gpu_type: NVIDIA H100 80GB HBM3
                    pricing_model: on_demand
                    price_per_gpu_hour: 4.00
                  - gpu_type: NVIDIA H100 80GB HBM3
                    pricing_model: spot
                    price_per_gpu_hour: 1.50
                    schedules:
                      - days: [sat, sun]
                        price_per_gpu_hour: 1.20
              gcp:
                prices:
                  - gpu_type: NVIDIA L4
                    pricing_model: on_demand
                    price_per_gpu_hour: 0.60
                    valid_until: 2026-11-20T12:00:00Z
                  - gpu_type: NVIDIA L4
                    pricing_model: on_demand
                    price_per_gpu_hour: 0.90
                    valid_from: 2026-11-20T12:00:00Z
              local:
                electricity_per_kwh: 0.30
                prices:
                  - gpu_type: NVIDIA GeForce RTX 4090
                    amortised_per_hour: 0.20
            budgets:
              - project: news
                monthly: 100
                daily: 10
            """;
    static final String H100 = "NVIDIA H100 80GB HBM3";
    static final String L4 = "NVIDIA L4";
    static final String RTX = "NVIDIA GeForce RTX 4090";
    static final Instant T10 = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path stateDir;
    private CostHarness harness;

    private CostHarness harness(Map<String, Object> settings) {
        harness = new CostHarness(PriceCatalog.parse(CATALOG, "test catalog"), settings, T10.minusSeconds(3600),
                stateDir);
        return harness;
    }

    private CostHarness harness() {
        return harness(Map.of());
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-20T" + time + "Z");
    }

    @Test
    void aJobAcrossAnHourBoundaryIsChargedPerHourAndInTotal() {
        CostHarness costs = harness();
        costs.send(started("j1", at("10:30:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(ended("j1", JobEventType.COMPLETED, at("11:15:00")));
        costs.runUntil(at("12:10:00"));

        // 10:30-11:15 = 2700 s at 4.00 EUR/h = 3.00 EUR
        CostRecord job = costs.jobRecord(CostKind.JOB, "j1");
        assertThat(job.getGpuSeconds()).isEqualTo(2700.0);
        assertThat(job.getAmountMicros()).isEqualTo(3_000_000L);
        assertThat(job.getPriced()).isTrue();
        assertThat(job.getCurrency()).isEqualTo("EUR");
        assertThat(job.getProject()).isEqualTo("news");
        assertThat(job.getProvider()).isEqualTo("aws");
        assertThat(job.getLabels()).containsEntry("pricing_model", "on_demand").containsEntry("outcome", "COMPLETED")
                .doesNotContainKey("problem");
        assertThat(job.getWindowStart()).isEqualTo(at("10:30:00"));
        assertThat(job.getWindowEnd()).isEqualTo(at("11:15:00"));
        // hour 10: 10:30-11:00 = 1800 s = 2.00 EUR; hour 11: 11:00-11:15 = 900 s = 1.00 EUR
        assertThat(costs.costs(CostKind.DEVICE_HOUR))
                .extracting(CostRecord::getWindowStart, CostRecord::getGpuSeconds, CostRecord::getAmountMicros)
                .containsExactly(tuple(at("10:00:00"), 1800.0, 2_000_000L), tuple(at("11:00:00"), 900.0, 1_000_000L));
        assertThat(costs.costs(CostKind.DEVICE_HOUR)).allSatisfy(hour ->
                assertThat(hour.getLabels()).containsEntry("gpu_uuid", "GPU-a"));
    }

    @Test
    void aValidityChangeMidJobSplitsTheCharge() {
        CostHarness costs = harness();
        costs.send(started("j1", at("11:30:00"), "gcp", L4, null, "GPU-l"));
        costs.send(ended("j1", JobEventType.COMPLETED, at("12:30:00")));
        costs.runUntil(at("12:40:00"));

        // 11:30-12:00 at 0.60 = 0.30 EUR, 12:00-12:30 at 0.90 = 0.45 EUR; a missing pricing model is on_demand
        CostRecord job = costs.jobRecord(CostKind.JOB, "j1");
        assertThat(job.getAmountMicros()).isEqualTo(750_000L);
        assertThat(job.getGpuSeconds()).isEqualTo(3600.0);
    }

    @Test
    void spotIsChargedItsOwnPriceAndItsWeekendScheduleSplitsAJobOverMidnight() {
        CostHarness costs = harness();
        costs.send(started("spot", at("23:30:00"), "aws", H100, "spot", "GPU-s"));
        costs.send(started("demand", at("23:30:00"), "aws", H100, "on_demand", "GPU-d"));
        costs.send(ended("spot", JobEventType.COMPLETED, Instant.parse("2026-11-21T00:30:00Z")));
        costs.send(ended("demand", JobEventType.COMPLETED, Instant.parse("2026-11-21T00:30:00Z")));
        costs.runUntil(Instant.parse("2026-11-21T00:40:00Z"));

        // spot: Friday 23:30-24:00 at 1.50 = 0.75 EUR, Saturday 00:00-00:30 at 1.20 = 0.60 EUR
        assertThat(costs.jobRecord(CostKind.JOB, "spot").getAmountMicros()).isEqualTo(1_350_000L);
        // on-demand: 1 h at 4.00
        assertThat(costs.jobRecord(CostKind.JOB, "demand").getAmountMicros()).isEqualTo(4_000_000L);
        assertThat(costs.jobRecord(CostKind.JOB, "spot").getLabels()).containsEntry("pricing_model", "spot");
    }

    @Test
    void aSharedDeviceIsSplitByMeasuredProcessUse() {
        CostHarness costs = harness();
        costs.send(job("a", JobEventType.STARTED, at("10:00:00")).setProvider("aws").setGpuType(H100)
                .setAssignedDevices(List.of("GPU-x")).setLabels(Map.of("pids", "100")).build());
        costs.send(job("b", JobEventType.STARTED, at("10:00:00")).setProvider("aws").setGpuType(H100)
                .setAssignedDevices(List.of("GPU-x")).setLabels(Map.of("pids", "200, 201")).build());
        for (int minute = 0; minute < 60; minute += 10) {
            Instant time = at("10:00:00").plusSeconds(minute * 60L);
            costs.processUse("GPU-x", "100", time, 60);
            costs.processUse("GPU-x", "200", time, 15);
            costs.processUse("GPU-x", "201", time, 5);
        }
        costs.send(ended("a", JobEventType.COMPLETED, at("11:00:00")));
        costs.send(ended("b", JobEventType.COMPLETED, at("11:00:00")));
        costs.runUntil(at("11:10:00"));

        // a used 60 %, b 15 + 5 = 20 %: shares 0.75 and 0.25 of one device-hour at 4.00 EUR
        assertThat(costs.jobRecord(CostKind.JOB, "a").getGpuSeconds()).isEqualTo(2700.0);
        assertThat(costs.jobRecord(CostKind.JOB, "a").getAmountMicros()).isEqualTo(3_000_000L);
        assertThat(costs.jobRecord(CostKind.JOB, "b").getGpuSeconds()).isEqualTo(900.0);
        assertThat(costs.jobRecord(CostKind.JOB, "b").getAmountMicros()).isEqualTo(1_000_000L);
        // the device was busy for one hour, not two
        assertThat(costs.costs(CostKind.DEVICE_HOUR)).singleElement().satisfies(hour -> {
            assertThat(hour.getGpuSeconds()).isEqualTo(3600.0);
            assertThat(hour.getAmountMicros()).isEqualTo(4_000_000L);
        });
    }

    @Test
    void aSharedDeviceWithoutProcessSamplesIsSplitEvenlyWhileShared() {
        CostHarness costs = harness();
        costs.send(started("a", at("10:00:00"), "aws", H100, "on_demand", "GPU-x"));
        costs.send(started("b", at("10:30:00"), "aws", H100, "on_demand", "GPU-x"));
        costs.send(ended("a", JobEventType.COMPLETED, at("11:00:00")));
        costs.send(ended("b", JobEventType.COMPLETED, at("11:00:00")));
        costs.runUntil(at("11:10:00"));

        // a alone 10:00-10:30 (1800 s), then half of 10:30-11:00 (900 s): 2700 s = 3.00 EUR; b 900 s = 1.00 EUR
        assertThat(costs.jobRecord(CostKind.JOB, "a").getAmountMicros()).isEqualTo(3_000_000L);
        assertThat(costs.jobRecord(CostKind.JOB, "b").getAmountMicros()).isEqualTo(1_000_000L);
        assertThat(costs.jobRecord(CostKind.JOB, "b").getGpuSeconds()).isEqualTo(900.0);
    }

    @Test
    void cancelledAndFailedJobsAreChargedForWhatTheyUsed() {
        CostHarness costs = harness();
        costs.send(started("c", at("10:00:00"), "aws", H100, "on_demand", "GPU-a", "GPU-b"));
        costs.send(started("f", at("10:00:00"), "aws", H100, "on_demand", "GPU-c"));
        costs.send(ended("c", JobEventType.CANCELLED, at("10:06:00")));
        costs.send(job("f", JobEventType.FAILED, at("10:12:00")).setFailure(
                com.aima.metrics.schema.JobFailure.newBuilder().setCategory("out_of_memory").build()).build());
        costs.send(ended("queued", JobEventType.CANCELLED, at("10:20:00")));
        costs.runUntil(at("10:30:00"));

        // cancelled after 6 min on two GPUs: 720 GPU-seconds at 4.00 EUR/h = 0.80 EUR
        CostRecord cancelled = costs.jobRecord(CostKind.JOB, "c");
        assertThat(cancelled.getGpuSeconds()).isEqualTo(720.0);
        assertThat(cancelled.getAmountMicros()).isEqualTo(800_000L);
        assertThat(cancelled.getLabels()).containsEntry("outcome", "CANCELLED");
        // failed after 12 min on one GPU: 0.80 EUR
        CostRecord failed = costs.jobRecord(CostKind.JOB, "f");
        assertThat(failed.getAmountMicros()).isEqualTo(800_000L);
        assertThat(failed.getLabels()).containsEntry("outcome", "FAILED")
                .containsEntry("failure_category", "out_of_memory");
        // cancelled while queued: it never ran, so it costs nothing, and that is a price, not a gap
        CostRecord queued = costs.jobRecord(CostKind.JOB, "queued");
        assertThat(queued.getAmountMicros()).isZero();
        assertThat(queued.getGpuSeconds()).isZero();
        assertThat(queued.getPriced()).isTrue();
    }

    @Test
    void aLocalGpuIsChargedItsAmortisedPriceAndTheEnergyItMeasured() {
        CostHarness costs = harness();
        costs.energy("GPU-r", at("09:59:30"), 4_990_000);
        costs.send(started("local", at("10:00:00"), "local", RTX, null, "GPU-r"));
        costs.energy("GPU-r", at("10:00:30"), 5_010_000);
        costs.energy("GPU-r", at("10:59:30"), 6_090_000);
        costs.send(ended("local", JobEventType.COMPLETED, at("11:00:00")));
        costs.energy("GPU-r", at("11:00:30"), 6_100_000);
        costs.runUntil(at("11:10:00"));

        // counter at 10:00 = 5,000,000 J (between 4,990,000 and 5,010,000), at 11:00 = 6,095,000 J: 1,095,000 J
        // = 0.304166... kWh at 0.30 EUR = 0.09125 EUR; 1 h amortised at 0.20 EUR; total 0.29125 EUR
        CostRecord job = costs.jobRecord(CostKind.JOB, "local");
        assertThat(job.getEnergyJoules()).isCloseTo(1_095_000.0, within(1e-6));
        assertThat(job.getAmountMicros()).isEqualTo(291_250L);
        assertThat(job.getLabels()).containsEntry("pricing_model", "owned").doesNotContainKey("energy");
    }

    @Test
    void budgetUseIsPublishedPerDayAndMonthAndCrossesTheAlertThresholds() {
        CostHarness costs = harness();
        // 2 h on one on-demand H100 = 8.00 EUR of the daily 10.00 and monthly 100.00
        costs.send(started("j1", at("10:00:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(ended("j1", JobEventType.COMPLETED, at("12:00:00")));
        costs.runUntil(at("12:10:00"));

        List<MetricEvent> metrics = costs.budgetMetrics();
        MetricEvent lastDay = last(metrics, "day");
        assertThat(lastDay.getValue()).isCloseTo(80.0, within(1e-9));
        assertThat(lastDay.getLabels()).containsEntry("project", "news");
        assertThat(last(metrics, "month").getValue()).isCloseTo(8.0, within(1e-9));
        List<CostRecord> budgets = costs.costs(CostKind.BUDGET);
        CostRecord day = budgets.stream().filter(record -> record.getLabels().get("budget_period").equals("day"))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(day.getAmountMicros()).isEqualTo(8_000_000L);
        assertThat(day.getRatio()).isCloseTo(0.8, within(1e-12));
        assertThat(day.getWindowStart()).isEqualTo(at("00:00:00"));

        // another 30 min: 10.00 EUR, 100 % of the day
        costs.send(started("j2", at("12:10:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(ended("j2", JobEventType.COMPLETED, at("12:40:00")));
        costs.runUntil(at("12:50:00"));
        assertThat(last(costs.budgetMetrics(), "day").getValue()).isCloseTo(100.0, within(1e-9));
    }

    private static MetricEvent last(List<MetricEvent> metrics, String period) {
        return metrics.stream().filter(metric -> metric.getLabels().get("period").equals(period))
                .reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void costPerMediaMinuteEstimateDeviationAndRollingAccuracy() {
        CostHarness costs = harness();
        costs.send(job("v1", JobEventType.SUBMITTED, at("09:50:00")).setCostEstimate(CostEstimate.newBuilder()
                .setAmountMicros(2_500_000).setEstimatedGpuSeconds(2400).setEstimatedAt(at("09:50:00")).build())
                .build());
        costs.send(started("v1", at("10:00:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(job("v1", JobEventType.COMPLETED, at("10:45:00")).setMediaProcessedMs(1_800_000L).build());
        costs.send(job("v2", JobEventType.SUBMITTED, at("10:50:00")).setCostEstimate(CostEstimate.newBuilder()
                .setAmountMicros(4_000_000).setEstimatedGpuSeconds(3600).setEstimatedAt(at("10:50:00")).build())
                .build());
        costs.send(started("v2", at("11:00:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(job("v2", JobEventType.COMPLETED, at("11:45:00")).setMediaProcessedMs(2_700_000L).build());
        costs.runUntil(at("12:10:00"));

        // v1: 45 min at 4.00 = 3.00 EUR for 30 media minutes = 0.10 EUR per media minute
        CostRecord perMinute = costs.jobRecord(CostKind.MEDIA_MINUTE, "v1");
        assertThat(perMinute.getAmountMicros()).isEqualTo(100_000L);
        assertThat(perMinute.getRatio()).isEqualTo(30.0);
        assertThat(perMinute.getAnalysisType()).isEqualTo(AnalysisType.VIDEO);
        // v1: actual 3.00 against 2.50 estimated: +20 %; v2: 3.00 against 4.00: -25 %
        CostRecord v1 = costs.jobRecord(CostKind.ESTIMATE, "v1");
        assertThat(v1.getEstimateMicros()).isEqualTo(2_500_000L);
        assertThat(v1.getAmountMicros()).isEqualTo(3_000_000L);
        assertThat(v1.getRatio()).isCloseTo(0.2, within(1e-12));
        assertThat(costs.jobRecord(CostKind.ESTIMATE, "v2").getRatio()).isCloseTo(-0.25, within(1e-12));
        // rolling accuracy over both: mean |deviation| 0.225, bias -0.025
        CostRecord accuracy = costs.costs(CostKind.ESTIMATE_ACCURACY).get(1);
        assertThat(accuracy.getRatio()).isCloseTo(0.225, within(1e-12));
        assertThat(accuracy.getLabels()).containsEntry("bias", "-0.025000").containsEntry("jobs", "2");
        assertThat(accuracy.getGpuType()).isEqualTo(H100);
    }

    @Test
    void providerComparisonNamesTheCheapestOptionFromMeasuredThroughput() {
        CostHarness costs = harness();
        costs.send(started("v1", at("10:00:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(job("v1", JobEventType.COMPLETED, at("10:45:00")).setMediaProcessedMs(1_800_000L).build());
        costs.runUntil(at("11:10:00"));

        // 30 media minutes in 0.75 GPU-hours: 40 media minutes per H100-hour.
        // aws on-demand 4.00 / 40 = 0.10 EUR per media minute; aws spot 1.50 / 40 = 0.0375 EUR: the cheapest
        List<CostRecord> options = costs.costs(CostKind.PROVIDER_OPTION);
        assertThat(options).extracting(CostRecord::getProvider, record -> record.getLabels().get("pricing_model"),
                        CostRecord::getAmountMicros, record -> record.getLabels().get("cheapest"))
                .containsExactly(tuple("aws", "spot", 37_500L, "true"), tuple("aws", "on_demand", 100_000L, "false"));
        assertThat(options).allSatisfy(option -> {
            assertThat(option.getRatio()).isCloseTo(40.0, within(1e-9));
            assertThat(option.getAnalysisType()).isEqualTo(AnalysisType.VIDEO);
            assertThat(option.getLabels()).containsEntry("unit", "media_minute");
        });
    }

    @Test
    void eventsOutOfOrderAndRedeliveredGiveTheSameCost() {
        CostHarness costs = harness();
        JobEvent start = started("j1", at("10:00:00"), "aws", H100, "on_demand", "GPU-a");
        JobEvent end = ended("j1", JobEventType.COMPLETED, at("10:30:00"));
        costs.send(end);
        costs.send(start);
        costs.send(start);
        costs.send(end);
        costs.runUntil(at("10:40:00"));

        // 30 min at 4.00 EUR, once
        assertThat(costs.jobRecord(CostKind.JOB, "j1").getAmountMicros()).isEqualTo(2_000_000L);
        assertThat(costs.deadLetterReasons()).isEmpty();
    }

    @Test
    void aSecondFinalEventAndEventsAfterTheChargeAreDeadLetteredWithTheReason() {
        CostHarness costs = harness();
        costs.send(started("j1", at("10:00:00"), "aws", H100, "on_demand", "GPU-a"));
        JobEvent completed = ended("j1", JobEventType.COMPLETED, at("10:30:00"));
        costs.send(completed);
        costs.send(ended("j1", JobEventType.FAILED, at("10:31:00")));
        costs.runUntil(at("10:40:00"));
        costs.send(ended("j1", JobEventType.COMPLETED, at("10:41:00")));

        assertThat(costs.jobRecord(CostKind.JOB, "j1").getLabels()).containsEntry("outcome", "COMPLETED");
        assertThat(costs.deadLetterReasons()).containsExactly(
                "Job j1 already ended with COMPLETED (event " + completed.getEventId()
                        + "); a second final event FAILED is ignored.",
                "The cost of job j1 was already written; a later COMPLETED event cannot change it.");
    }

    @Test
    void unknownProvidersAndGpuTypesAreCountedUnpricedNeverDropped() {
        CostHarness costs = harness();
        costs.send(started("p", at("10:00:00"), "ovh", H100, "on_demand", "GPU-a"));
        costs.send(started("g", at("10:00:00"), "aws", "NVIDIA B200", "on_demand", "GPU-b"));
        costs.send(job("n", JobEventType.STARTED, at("10:00:00")).setAssignedDevices(List.of("GPU-c")).build());
        for (String id : List.of("p", "g", "n")) {
            costs.send(ended(id, JobEventType.COMPLETED, at("10:30:00")));
        }
        costs.runUntil(at("10:40:00"));

        assertThat(List.of("p", "g", "n")).allSatisfy(id -> {
            CostRecord job = costs.jobRecord(CostKind.JOB, id);
            assertThat(job.getPriced()).isFalse();
            assertThat(job.getAmountMicros()).isZero();
            assertThat(job.getGpuSeconds()).isEqualTo(1800.0);
            assertThat(job.getLabels()).containsEntry("problem", "unpriced");
        });
    }

    @Test
    void impossibleDurationsHaveDefinedOutcomes() {
        CostHarness costs = harness(Map.of(CostConfig.MAX_RUN_DURATION_CONFIG, "2h"));
        costs.send(started("negative", at("10:30:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(ended("negative", JobEventType.COMPLETED, at("10:00:00")));
        costs.send(started("long", at("10:00:00"), "aws", H100, "on_demand", "GPU-b"));
        costs.send(ended("long", JobEventType.COMPLETED, at("13:00:00")));
        costs.send(ended("nostart", JobEventType.COMPLETED, at("13:00:00")));
        costs.send(job("nodevices", JobEventType.STARTED, at("12:00:00")).setProvider("aws").setGpuType(H100)
                .build());
        costs.send(ended("nodevices", JobEventType.COMPLETED, at("13:00:00")));
        costs.runUntil(at("13:10:00"));

        // the end before the start: nothing charged, marked
        CostRecord negative = costs.jobRecord(CostKind.JOB, "negative");
        assertThat(negative.getGpuSeconds()).isZero();
        assertThat(negative.getPriced()).isFalse();
        assertThat(negative.getLabels()).containsEntry("problem", "negative_duration");
        // 3 h against a 2 h maximum: charged 2 h (8.00 EUR) and marked
        CostRecord tooLong = costs.jobRecord(CostKind.JOB, "long");
        assertThat(tooLong.getGpuSeconds()).isEqualTo(7200.0);
        assertThat(tooLong.getAmountMicros()).isEqualTo(8_000_000L);
        assertThat(tooLong.getPriced()).isFalse();
        assertThat(tooLong.getLabels()).containsEntry("problem", "duration_exceeds_max");
        assertThat(costs.jobRecord(CostKind.JOB, "nostart").getLabels()).containsEntry("problem", "missing_start");
        assertThat(costs.jobRecord(CostKind.JOB, "nodevices").getLabels()).containsEntry("problem", "no_devices");
    }

    @Test
    void aJobThatMovesToAnotherProviderIsPricedByEachRunsOwnKey() {
        CostHarness costs = harness();
        costs.send(started("moved", at("10:00:00"), "local", RTX, null, "GPU-r"));
        costs.send(started("moved", at("10:30:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(ended("moved", JobEventType.COMPLETED, at("11:00:00")));
        costs.runUntil(at("11:10:00"));

        // 30 min local at 0.20 amortised (no energy samples: electricity not charged) = 0.10 EUR,
        // then 30 min aws on-demand at 4.00 = 2.00 EUR
        CostRecord job = costs.jobRecord(CostKind.JOB, "moved");
        assertThat(job.getAmountMicros()).isEqualTo(2_100_000L);
        assertThat(job.getGpuSeconds()).isEqualTo(3600.0);
        assertThat(job.getLabels()).containsEntry("energy", "unmeasured");
    }

    @Test
    void aJobThatNeverEndsIsWrittenOffAtTheMaximumRunDuration() {
        CostHarness costs = harness(Map.of(CostConfig.MAX_RUN_DURATION_CONFIG, "2h"));
        costs.send(started("lost", at("10:00:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.runUntil(at("12:10:00"));

        // charged 2 h at 4.00 EUR, then written with its problem; a late final event cannot change it
        CostRecord job = costs.jobRecord(CostKind.JOB, "lost");
        assertThat(job.getGpuSeconds()).isEqualTo(7200.0);
        assertThat(job.getAmountMicros()).isEqualTo(8_000_000L);
        assertThat(job.getPriced()).isFalse();
        assertThat(job.getLabels()).containsEntry("problem", "duration_exceeds_max").doesNotContainKey("outcome");
        costs.send(ended("lost", JobEventType.COMPLETED, at("12:20:00")));
        assertThat(costs.deadLetterReasons()).containsExactly(
                "The cost of job lost was already written; a later COMPLETED event cannot change it.");
    }

    @Test
    void undecodableAndInvalidJobEventsAreDeadLetteredNamingTheFieldAndTheEngineGoesOn() {
        CostHarness costs = harness();
        costs.sendBytes("junk", "not avro".getBytes(StandardCharsets.UTF_8));
        costs.send(job("bad", JobEventType.COMPLETED, at("10:00:00")).setMediaProcessedMs(-5L).build());
        costs.send(job("pids", JobEventType.STARTED, at("10:00:00")).setLabels(Map.of("pids", "12,abc")).build());
        costs.sendBytes("seconds", costs.serialize(job("seconds", JobEventType.STARTED,
                Instant.ofEpochMilli(1_763_632_800L)).build()));
        costs.send(started("ok", at("10:00:00"), "aws", H100, "on_demand", "GPU-a"));
        costs.send(ended("ok", JobEventType.COMPLETED, at("10:15:00")));
        costs.runUntil(at("10:30:00"));

        List<String> reasons = costs.deadLetterReasons();
        assertThat(reasons).hasSize(4);
        assertThat(reasons.get(0)).startsWith("Not a JobEvent in the Confluent wire format");
        assertThat(reasons.get(1)).isEqualTo("mediaProcessedMs -5 of job bad must not be negative.");
        assertThat(reasons.get(2)).isEqualTo(
                "labels.pids '12,abc' of job pids is not a comma-separated list of process ids.");
        assertThat(reasons.get(3)).isEqualTo("eventTime 1970-01-21T09:53:52.800Z of job seconds is not between"
                + " 2000-01-01 and a day after now; is it in seconds or microseconds?");
        assertThat(costs.jobRecord(CostKind.JOB, "ok").getAmountMicros()).isEqualTo(1_000_000L);
    }
}
