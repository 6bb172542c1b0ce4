package com.aima.metrics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The running cost summary and the job lines, with figures computed by hand. */
class CostSummaryTest {

    private static final Instant T = Instant.parse("2026-03-02T10:00:00Z");

    private final CostSummary summary = new CostSummary();

    @Test
    void aJobLineShowsTheExactAmountTheGpuHoursAndTheOutcome() {
        // 180 GPU seconds = 0.05 GPU-h; 12,345 micro-euros = 0.012345 EUR
        assertThat(CostSummary.jobLine(job("newsroom", "j-1", "local", 12_345, 180, "COMPLETED", null)))
                .isEqualTo("[cost job     ] newsroom/j-1 video on local Simulated NVIDIA L4: 0.012345 EUR for"
                        + " 0.0500 GPU-h (COMPLETED)");
    }

    @Test
    void anUnpricedJobLineNamesItsProblem() {
        assertThat(CostSummary.jobLine(job("archive", "j-2", "local", 0, 0, "CANCELLED", "no_devices")))
                .isEqualTo("[cost job     ] archive/j-2 video on local Simulated NVIDIA L4: 0.000000 EUR for"
                        + " 0.0000 GPU-h (CANCELLED, unpriced: no_devices)");
    }

    @Test
    void sumsJobsByProjectAndProviderWithTheLatestMonthBudgetUse() {
        summary.add(job("newsroom", "j-1", "local", 12_345, 180, "COMPLETED", null));
        summary.add(job("archive", "j-2", "aws", 1_000_050, 3_600, "COMPLETED", null));
        summary.add(job("newsroom", "j-3", "local", 7_655, 60, "CANCELLED", "no_devices"));
        summary.add(budget("newsroom", "month", 0.00001));
        summary.add(budget("newsroom", "day", 0.5)); // day budgets are not shown
        summary.add(budgetMetric("newsroom", "month", 0.00062)); // arrived last: wins over the record
        summary.add(budgetMetric("podcasts", "month", 12.345));
        summary.add(budgetMetric("podcasts", "day", 99));
        summary.add(deviceHour(5_000_000)); // not a job: not summed

        // newsroom: 12,345 + 7,655 = 20,000 micros = 0.0200 EUR; local the same.
        // archive and aws: 1,000,050 micros = 1.00005 EUR, a tie at four decimals: half-even gives 1.0000.
        // newsroom's month: 0.00062 % (the metric is in percent); podcasts: 12.345 % to one decimal, half-even.
        assertThat(summary.line()).isEqualTo("[cost summary] by project: archive 1.0000 EUR,"
                + " newsroom 0.0200 EUR (budget month 0.00062 %), podcasts (budget month 12.3 %)"
                + " | by provider: aws 1.0000 EUR, local 0.0200 EUR | jobs: 3, unpriced: 1");
        assertThat(summary.jobs()).isEqualTo(3);
    }

    @Test
    void amountsInAnotherCurrencyAreNeverAddedToThoseInTheFirst() {
        summary.add(job("newsroom", "j-1", "local", 20_000, 60, "COMPLETED", null));
        CostRecord dollars = job("newsroom", "j-2", "local", 500_000, 60, "COMPLETED", null);
        dollars.setCurrency("USD");
        summary.add(dollars);

        assertThat(summary.line()).isEqualTo("[cost summary] by project: newsroom 0.0200 EUR + 0.5000 USD"
                + " | by provider: local 0.0200 EUR + 0.5000 USD | jobs: 2, unpriced: 0");
    }

    @Test
    void beforeAnythingArrivedTheSummaryIsEmpty() {
        assertThat(summary.line()).isEqualTo("[cost summary] by project: - | by provider: - | jobs: 0, unpriced: 0");
        assertThat(summary.changes()).isZero();
    }

    @Test
    void changesCountOnlyWhatAltersTheLine() {
        summary.add(budgetMetric("newsroom", "month", 1.5));
        long afterFirst = summary.changes();
        summary.add(budgetMetric("newsroom", "month", 1.5)); // the same use again
        summary.add(deviceHour(1));
        MetricEvent other = budgetMetric("newsroom", "month", 2);
        other.setName("gpu_power_watts");
        summary.add(other);
        assertThat(summary.changes()).isEqualTo(afterFirst).isPositive();
        summary.add(job("newsroom", "j-1", "local", 1, 1, "COMPLETED", null));
        assertThat(summary.changes()).isGreaterThan(afterFirst);
    }

    @Test
    void amountsRoundHalfEvenToFourDecimals() {
        assertThat(CostSummary.amount(1_234_567, "EUR")).isEqualTo("1.2346 EUR");
        assertThat(CostSummary.amount(50, "EUR")).isEqualTo("0.0000 EUR"); // 0.00005: a tie, to the even 0
        assertThat(CostSummary.amount(150, "EUR")).isEqualTo("0.0002 EUR"); // 0.00015: a tie, to the even 2
        assertThat(CostSummary.amount(-2_500_000, "EUR")).isEqualTo("-2.5000 EUR");
    }

    @Test
    void percentagesKeepOneDecimalFromOnePercentAndTwoDigitsBelow() {
        assertThat(CostSummary.percent(0)).isEqualTo("0 %");
        assertThat(CostSummary.percent(1.0)).isEqualTo("100 %");
        assertThat(CostSummary.percent(1.2345)).isEqualTo("123.4 %");
        assertThat(CostSummary.percent(0.456)).isEqualTo("45.6 %");
        assertThat(CostSummary.percent(0.0000062)).isEqualTo("0.00062 %");
        assertThat(CostSummary.percent(0.001234)).isEqualTo("0.12 %");
    }

    private static CostRecord job(String project, String jobId, String provider, long micros, double gpuSeconds,
                                  String outcome, String problem) {
        Map<String, String> labels = new HashMap<>(Map.of("outcome", outcome, "pricing_model", "owned"));
        if (problem != null) {
            labels.put("problem", problem);
        }
        return CostRecord.newBuilder().setKind(CostKind.JOB).setWindowStart(T).setWindowEnd(T.plusSeconds(60))
                .setProject(project).setJobId(jobId).setProvider(provider).setGpuType("Simulated NVIDIA L4")
                .setAnalysisType(AnalysisType.VIDEO).setGpuSeconds(gpuSeconds).setAmountMicros(micros)
                .setPriced(problem == null).setLabels(labels).build();
    }

    private static CostRecord budget(String project, String period, double ratio) {
        return CostRecord.newBuilder().setKind(CostKind.BUDGET).setWindowStart(T).setWindowEnd(T.plusSeconds(3600))
                .setProject(project).setAmountMicros(1).setRatio(ratio)
                .setLabels(Map.of("budget_period", period, "budget_micros", "2000000000")).build();
    }

    private static CostRecord deviceHour(long micros) {
        return CostRecord.newBuilder().setKind(CostKind.DEVICE_HOUR).setWindowStart(T)
                .setWindowEnd(T.plusSeconds(3600)).setProvider("local").setAmountMicros(micros)
                .setLabels(Map.of("gpu_uuid", "GPU-1")).build();
    }

    private static MetricEvent budgetMetric(String project, String period, double percent) {
        return MetricEvent.newBuilder().setName(CostSummary.BUDGET_METRIC).setUnit("percent").setValue(percent)
                .setEventTime(T).setLabels(Map.of("project", project, "period", period))
                .setSource(Source.newBuilder().setHost("streams-app").setCollectorId("cost-engine")
                        .setKind(SourceKind.COST).build()).build();
    }
}
