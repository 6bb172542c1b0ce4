package com.aima.metrics.influx;

import static com.aima.metrics.influx.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tags of a cost point identify the record: the same record written twice is one point, and two records the cost
 * engine writes as different figures are two points. The records are built as the engine builds them
 * (streams-app {@code cost.CostRecords}, {@code Budgets}, {@code RollingWindows}, keyed in {@code Charger}), with the
 * dimension that tells two of them apart as the only difference.
 */
class CostIdentityTest {

    private static final Instant MONTH_START = Instant.parse("2026-12-01T00:00:00Z");

    private static String identity(CostRecord record) {
        return Lines.identity(InfluxPoints.cost(record).point());
    }

    private static void assertDistinct(CostRecord... records) {
        List<String> identities = java.util.Arrays.stream(records).map(CostIdentityTest::identity).toList();
        assertThat(identities).doesNotHaveDuplicates();
    }

    @Test
    void aRedeliveredRecordOverwritesItself() {
        for (CostRecord record : List.of(Records.deviceHour("GPU-1", T0, 100), Records.job("job-1", T0, 100),
                budget("newsroom", "month", MONTH_START, 5), option("aws", "spot", AnalysisType.VIDEO, 10))) {
            CostRecord copy = CostRecord.newBuilder(record).build();
            assertThat(InfluxPoints.cost(copy).point().lineProtocol())
                    .isEqualTo(InfluxPoints.cost(record).point().lineProtocol());
        }
    }

    /** Charger.closeHour: one DEVICE_HOUR per busy device and hour, keyed by the device. */
    @Test
    void deviceHoursOfTwoDevicesOrTwoHoursAreDistinct() {
        assertDistinct(Records.deviceHour("GPU-1", T0, 100), Records.deviceHour("GPU-2", T0, 100),
                Records.deviceHour("GPU-1", T0.plusSeconds(3600), 100));
    }

    /** Charger.finalizeJob: JOB, MEDIA_MINUTE and ESTIMATE once per job, keyed by job id, at the job's start. */
    @Test
    void jobFiguresOfTwoJobsStartingTogetherAreDistinct() {
        CostRecord first = Records.job("job-1", T0, 100);
        CostRecord second = Records.job("job-2", T0, 100);
        CostRecord media = CostRecord.newBuilder(first).setKind(CostKind.MEDIA_MINUTE).setRatio(12.0).build();
        CostRecord estimate = CostRecord.newBuilder(first).setKind(CostKind.ESTIMATE).setEstimateMicros(90L)
                .setRatio(0.11).build();
        assertDistinct(first, second, media, estimate);
    }

    /**
     * Budgets.records: per project a month record and, where there is a daily budget or spend, a day record; on the
     * first of a month both start at the same instant, told apart by budget_period.
     */
    @Test
    void monthAndDayBudgetsStartingTogetherAndBudgetsOfTwoProjectsAreDistinct() {
        assertDistinct(budget("newsroom", "month", MONTH_START, 5), budget("newsroom", "day", MONTH_START, 5),
                budget("archive", "month", MONTH_START, 5));
    }

    /**
     * Budgets.records runs every hour: each BUDGET record is the period's spend so far, a snapshot that replaces the
     * previous one of the same project and period (time = the period's start), as a later rollup revision does.
     */
    @Test
    void aLaterBudgetSnapshotOfThePeriodReplacesTheEarlierOne() {
        assertThat(identity(budget("newsroom", "month", MONTH_START, 5_000_000)))
                .isEqualTo(identity(budget("newsroom", "month", MONTH_START, 6_000_000)));
    }

    /** RollingWindows.providerOptions, keyed analysisType/provider/gpuType/pricing_model, at the hour's end. */
    @Test
    void providerOptionsDifferingInOneDimensionAreDistinct() {
        assertDistinct(option("aws", "spot", AnalysisType.VIDEO, 10), option("aws", "on_demand", AnalysisType.VIDEO, 10),
                option("gcp", "spot", AnalysisType.VIDEO, 10), option("aws", "spot", AnalysisType.AUDIO, 10));
    }

    /** RollingWindows.addEstimate, keyed analysisType/gpuType, at the job's end. */
    @Test
    void estimateAccuracyOfTwoAnalysisTypesOrGpuTypesAtOneInstantIsDistinct() {
        assertDistinct(accuracy(AnalysisType.VIDEO, "NVIDIA L4"), accuracy(AnalysisType.AUDIO, "NVIDIA L4"),
                accuracy(AnalysisType.VIDEO, "NVIDIA H100 80GB HBM3"));
    }

    private static CostRecord budget(String project, String period, Instant start, long spentMicros) {
        return Records.cost(CostKind.BUDGET, start, start.plusSeconds(86_400)).setProject(project)
                .setAmountMicros(spentMicros).setRatio(0.5)
                .setLabels(Map.of("budget_period", period, "budget_micros", "10000000")).build();
    }

    private static CostRecord option(String provider, String pricingModel, AnalysisType type, long micros) {
        return Records.cost(CostKind.PROVIDER_OPTION, T0, T0).setAnalysisType(type).setProvider(provider)
                .setGpuType("NVIDIA L4").setAmountMicros(micros).setRatio(100.0)
                .setLabels(Map.of("pricing_model", pricingModel, "unit", "media_minute", "units_per_gpu_hour",
                        "100.0000", "cheapest", "false")).build();
    }

    private static CostRecord accuracy(AnalysisType type, String gpuType) {
        return Records.cost(CostKind.ESTIMATE_ACCURACY, T0, T0).setAnalysisType(type).setGpuType(gpuType)
                .setRatio(0.1).setLabels(Map.of("bias", "0.050000", "jobs", "3")).build();
    }
}
