package com.aima.metrics.influx;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.schema.RollupTier;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.TrustedClasses;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records of the four kinds the sink writes, with fixed times, for the tests. */
final class Records {

    /** 2026-11-22T10:00:00Z. */
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final Source SOURCE;

    static {
        TrustedClasses.trustSchemaPackage();
        SOURCE = Source.newBuilder().setHost("gpu-node-1").setCollectorId("collector-1").setKind(SourceKind.GPU)
                .build();
    }

    private Records() {
    }

    static MetricEvent metric(String name, double value, Instant time, Map<String, String> labels) {
        return MetricEvent.newBuilder().setName(name).setValue(value).setUnit("percent").setEventTime(time)
                .setLabels(new HashMap<>(labels)).setSource(SOURCE).build();
    }

    static MetricRollup rollup(String name, RollupTier tier, Instant start, Instant end, Map<String, String> labels,
                               int revision, boolean isFinal) {
        return MetricRollup.newBuilder().setName(name).setUnit("percent").setLabels(new HashMap<>(labels))
                .setTier(tier).setWindowStart(start).setWindowEnd(end).setCount(4).setSum(250).setMin(40)
                .setMax(90).setAvg(62.5).setP50(60.25).setP95(89.5).setP99(90).setSketch(ByteBuffer.wrap(new byte[] {1}))
                .setRevision(revision).setFinal$(isFinal).build();
    }

    static CostRecord.Builder cost(CostKind kind, Instant start, Instant end) {
        return CostRecord.newBuilder().setKind(kind).setWindowStart(start).setWindowEnd(end).setCurrency("EUR")
                .setAmountMicros(0).setLabels(new HashMap<>());
    }

    /** As the cost engine's CostRecords.deviceHour builds it. */
    static CostRecord deviceHour(String gpuUuid, Instant hour, long micros) {
        return cost(CostKind.DEVICE_HOUR, hour, hour.plusSeconds(3600)).setProvider("aws")
                .setGpuType("NVIDIA H100 80GB HBM3").setGpuSeconds(1800).setAmountMicros(micros)
                .setEnergyJoules(360_000.0).setLabels(new HashMap<>(Map.of("gpu_uuid", gpuUuid,
                        "pricing_model", "on_demand"))).build();
    }

    /** As CostRecords.job builds it. */
    static CostRecord job(String jobId, Instant start, long micros) {
        return cost(CostKind.JOB, start, start.plusSeconds(900)).setProject("newsroom").setJobId(jobId)
                .setProvider("local").setGpuType("NVIDIA L4").setAnalysisType(AnalysisType.VIDEO).setGpuSeconds(900)
                .setAmountMicros(micros).setLabels(new HashMap<>(Map.of("pricing_model", "owned",
                        "outcome", "COMPLETED"))).build();
    }

    static AlertEvent firing(String fingerprint, Instant startsAt, Map<String, String> labels) {
        return AlertEvent.newBuilder().setFingerprint(fingerprint).setRule("gpu_temperature_high")
                .setState(AlertState.FIRING).setSeverity(Severity.CRITICAL).setMetric("gpu_temperature_celsius")
                .setLabels(new HashMap<>(labels)).setValue(91.5).setCondition("gt").setThreshold(85)
                .setStartsAt(startsAt).setSummary("GPU 0 on gpu-node-1 is at 91.5 °C").setChannels(List.of())
                .build();
    }

    static AlertEvent resolved(AlertEvent firing, Instant endsAt) {
        return AlertEvent.newBuilder(firing).setState(AlertState.RESOLVED).setValue(70).setEndsAt(endsAt).build();
    }
}
