package com.aima.metrics.influx;

import static com.aima.metrics.influx.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.influx.InfluxPoints.Routed;
import com.aima.metrics.influx.InfluxSchema.RetentionPolicy;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.RollupTier;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InfluxPointsTest {

    private static final long T0_MS = T0.toEpochMilli();

    private static String line(Routed routed) {
        return routed.point().lineProtocol(TimeUnit.MILLISECONDS);
    }

    @Test
    void aRawSampleIsItsMetricsMeasurementWithItsLabelsAsTags() {
        Routed routed = InfluxPoints.of(Records.metric("gpu_utilization_percent", 87.5, T0,
                Map.of("gpu", "0", "node", "gpu-node-1", "project", "newsroom")));

        assertThat(routed.policy()).isEqualTo(RetentionPolicy.RAW);
        assertThat(line(routed)).isEqualTo(
                "gpu_utilization_percent,gpu=0,node=gpu-node-1,project=newsroom value=87.5 " + T0_MS);
    }

    @ParameterizedTest
    @EnumSource(RollupTier.class)
    void aRollupGoesToItsTiersPolicyAtItsWindowStart(RollupTier tier) {
        Routed routed = InfluxPoints.of(Records.rollup("gpu_utilization_percent", tier, T0, T0.plusSeconds(3600),
                Map.of("gpu", "0"), 2, false));

        assertThat(routed.policy()).isEqualTo(switch (tier) {
            case HOUR -> RetentionPolicy.ROLLUP_1H;
            case DAY -> RetentionPolicy.ROLLUP_1D;
            case MONTH -> RetentionPolicy.ROLLUP_1MO;
            case YEAR -> RetentionPolicy.ROLLUP_1Y;
        });
        assertThat(routed.policy().policyName()).isEqualTo(switch (tier) {
            case HOUR -> "rollup_1h";
            case DAY -> "rollup_1d";
            case MONTH -> "rollup_1mo";
            case YEAR -> "rollup_1y";
        });
        assertThat(line(routed)).isEqualTo("gpu_utilization_percent,gpu=0 avg=62.5,count=4i,final=false,max=90.0,"
                + "min=40.0,p50=60.25,p95=89.5,p99=90.0,revision=2i,sum=250.0 " + T0_MS);
    }

    @Test
    void anEarlyAndAFinalRollupOfOneWindowAreTheSamePoint() {
        Routed early = InfluxPoints.rollup(Records.rollup("m", RollupTier.HOUR, T0, T0.plusSeconds(3600),
                Map.of("gpu", "0"), 0, false));
        Routed revised = InfluxPoints.rollup(Records.rollup("m", RollupTier.HOUR, T0, T0.plusSeconds(3600),
                Map.of("gpu", "0"), 1, true));

        assertThat(Lines.identity(early.point())).isEqualTo(Lines.identity(revised.point()));
    }

    @Test
    void aDeviceHourCarriesItsDeviceAndPriceAsTagsAndItsFiguresAsFields() {
        Routed routed = InfluxPoints.of(Records.deviceHour("GPU-1111", T0, 2_150_000));

        assertThat(routed.policy()).isEqualTo(RetentionPolicy.COSTS);
        assertThat(line(routed)).isEqualTo("cost_device_hour,currency=EUR,gpu_type=NVIDIA\\ H100\\ 80GB\\ HBM3,"
                + "gpu_uuid=GPU-1111,priced=true,pricing_model=on_demand,provider=aws "
                + "amount=2.15,amount_micros=2150000i,energy_joules=360000.0,gpu_seconds=1800.0 " + T0_MS);
    }

    @Test
    void anEstimateCarriesBothAmountsInUnitsAndMicros() {
        CostRecord estimate = Records.cost(CostKind.ESTIMATE, T0, T0.plusSeconds(900)).setProject("newsroom")
                .setJobId("job-7").setAnalysisType(AnalysisType.AUDIO).setAmountMicros(1_250_000)
                .setEstimateMicros(1_000_000L).setRatio(0.25).setPriced(false).build();

        assertThat(line(InfluxPoints.of(estimate))).isEqualTo("cost_estimate,analysis_type=AUDIO,currency=EUR,"
                + "job_id=job-7,priced=false,project=newsroom amount=1.25,amount_micros=1250000i,estimate=1.0,"
                + "estimate_micros=1000000i,gpu_seconds=0.0,ratio=0.25 " + T0_MS);
    }

    @Test
    void numericCostLabelsAreFloatFieldsAndLeftOutWhenTheyAreNoNumber() {
        CostRecord budget = Records.cost(CostKind.BUDGET, T0, T0.plusSeconds(86_400)).setProject("newsroom")
                .setAmountMicros(40_000_000).setRatio(0.4)
                .setLabels(Map.of("budget_period", "day", "budget_micros", "100000000")).build();
        CostRecord unbudgeted = CostRecord.newBuilder(budget).setRatio(null)
                .setLabels(Map.of("budget_period", "day", "budget_micros", "none")).build();
        CostRecord option = Records.cost(CostKind.PROVIDER_OPTION, T0, T0).setAnalysisType(AnalysisType.VIDEO)
                .setProvider("aws").setGpuType("NVIDIA L4").setAmountMicros(52_000).setRatio(120.5)
                .setLabels(Map.of("pricing_model", "spot", "unit", "media_minute", "units_per_gpu_hour", "120.5000",
                        "cheapest", "true")).build();

        assertThat(line(InfluxPoints.of(budget))).isEqualTo("cost_budget,budget_period=day,currency=EUR,priced=true,"
                + "project=newsroom amount=40.0,amount_micros=40000000i,budget_micros=100000000.0,gpu_seconds=0.0,"
                + "ratio=0.4 " + T0_MS);
        assertThat(line(InfluxPoints.of(unbudgeted))).isEqualTo("cost_budget,budget_period=day,currency=EUR,"
                + "priced=true,project=newsroom amount=40.0,amount_micros=40000000i,gpu_seconds=0.0 " + T0_MS);
        assertThat(line(InfluxPoints.of(option))).isEqualTo("cost_provider_option,analysis_type=VIDEO,cheapest=true,"
                + "currency=EUR,gpu_type=NVIDIA\\ L4,priced=true,pricing_model=spot,provider=aws,unit=media_minute "
                + "amount=0.052,amount_micros=52000i,gpu_seconds=0.0,ratio=120.5,units_per_gpu_hour=120.5 " + T0_MS);
    }

    @Test
    void everyCostKindHasItsMeasurement() {
        for (CostKind kind : CostKind.values()) {
            CostRecord record = Records.cost(kind, T0, T0).build();
            assertThat(InfluxPoints.of(record).point().lineProtocol())
                    .startsWith("cost_" + kind.name().toLowerCase() + ",");
        }
        assertThat(InfluxSchema.costMeasurement(CostKind.MEDIA_MINUTE)).isEqualTo("cost_media_minute");
        assertThat(InfluxSchema.costMeasurement(CostKind.ESTIMATE_ACCURACY)).isEqualTo("cost_estimate_accuracy");
    }

    @Test
    void aFiringAlertIsAtItsStartAndItsResolutionAtItsEnd() {
        AlertEvent firing = Records.firing("ab12", T0, Map.of("gpu", "0", "node", "gpu-node-1"));
        Instant end = T0.plusSeconds(300);

        Routed fired = InfluxPoints.of(firing);
        Routed resolved = InfluxPoints.of(Records.resolved(firing, end));

        assertThat(fired.policy()).isEqualTo(RetentionPolicy.ALERTS);
        assertThat(line(fired)).isEqualTo("alerts,fingerprint=ab12,gpu=0,metric=gpu_temperature_celsius,"
                + "node=gpu-node-1,rule=gpu_temperature_high,severity=CRITICAL,state=FIRING firing=1i,"
                + "summary=\"GPU 0 on gpu-node-1 is at 91.5 °C\",threshold=85.0,value=91.5 " + T0_MS);
        assertThat(line(resolved)).isEqualTo("alerts,fingerprint=ab12,gpu=0,metric=gpu_temperature_celsius,"
                + "node=gpu-node-1,rule=gpu_temperature_high,severity=CRITICAL,state=RESOLVED firing=0i,"
                + "summary=\"GPU 0 on gpu-node-1 is at 91.5 °C\",threshold=85.0,value=70.0 " + end.toEpochMilli());
    }

    @Test
    void labelsNamedTimeOrLikeAFieldOrFixedTagArePrefixedAndEmptyOnesDropped() {
        MetricEvent raw = Records.metric("m", 1, T0, Map.of("time", "noon", "value", "x", "empty", "", "gpu", "0"));
        AlertEvent alert = Records.firing("fp", T0, Map.of("severity", "low", "summary", "s", "firing", "yes"));
        CostRecord cost = Records.cost(CostKind.JOB, T0, T0).setJobId("j").setLabels(Map.of("amount", "a",
                "job_id", "other", "time", "t")).build();

        assertThat(line(InfluxPoints.of(raw))).isEqualTo("m,gpu=0,label_time=noon,label_value=x value=1.0 " + T0_MS);
        assertThat(line(InfluxPoints.of(alert))).startsWith("alerts,fingerprint=fp,label_firing=yes,"
                + "label_severity=low,label_summary=s,metric=gpu_temperature_celsius,rule=gpu_temperature_high,"
                + "severity=CRITICAL,state=FIRING ");
        assertThat(line(InfluxPoints.of(cost))).startsWith("cost_job,currency=EUR,job_id=j,label_amount=a,"
                + "label_job_id=other,label_time=t,priced=true ");
    }

    @Test
    void specialCharactersAreEscapedByTheClient() {
        MetricEvent event = Records.metric("job inference,ms", 3, T0, Map.of("model", "a=b c,d"));
        AlertEvent alert = Records.firing("fp", T0, Map.of());
        alert.setSummary("say \"hi\" \\ there");

        assertThat(line(InfluxPoints.of(event))).isEqualTo("job\\ inference\\,ms,model=a\\=b\\ c\\,d value=3.0 "
                + T0_MS);
        assertThat(line(InfluxPoints.of(alert))).contains("summary=\"say \\\"hi\\\" \\\\ there\"");
    }

    @Test
    void recordsTheSchemaCannotHoldAreRefusedWithTheReason() {
        assertThatThrownBy(() -> InfluxPoints.of(Records.metric("m", Double.NaN, T0, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Field 'value' is NaN; InfluxDB only stores"
                        + " finite numbers.");
        AlertEvent resolved = Records.firing("fp", T0, Map.of());
        resolved.setState(com.aima.metrics.schema.AlertState.RESOLVED);
        assertThatThrownBy(() -> InfluxPoints.of(resolved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RESOLVED alert 'fp' of rule 'gpu_temperature_high' has no endsAt, the time of its point.");
        assertThatThrownBy(() -> InfluxPoints.of(Records.metric("", 1, T0, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric name is empty");
        assertThatThrownBy(() -> InfluxPoints.of(new JobEvent())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("com.aima.metrics.schema.JobEvent is not written to InfluxDB");
    }
}
