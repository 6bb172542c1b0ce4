package com.aima.metrics.cost;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builds the engine's {@link CostRecord}s; every amount is rounded here, once, half-even to whole micro-units. */
final class CostRecords {

    private CostRecords() {
    }

    static CostRecord.Builder base(CostKind kind, long startMs, long endMs, String currency) {
        return CostRecord.newBuilder().setKind(kind).setWindowStart(Instant.ofEpochMilli(startMs))
                .setWindowEnd(Instant.ofEpochMilli(endMs)).setCurrency(currency).setLabels(new HashMap<>());
    }

    /** Rounds an exact amount of micro-units half-even: the one rounding step of every cost figure. */
    static long micros(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** GPU-hours and cost of one device in one hour. */
    static CostRecord deviceHour(String device, long hourMs, Charge charge, PriceKey key, String currency) {
        Map<String, String> labels = new HashMap<>();
        labels.put("gpu_uuid", device);
        if (key != null) {
            labels.put("pricing_model", key.pricingModel());
        }
        return withCharge(base(CostKind.DEVICE_HOUR, hourMs, hourMs + Charging.HOUR_MS, currency), charge)
                .setProvider(key == null ? null : key.provider()).setGpuType(key == null ? null : key.gpuType())
                .setLabels(labels).build();
    }

    /** A finished job's cost; {@code problem} (see {@link JobHistory#problem}) makes it unpriced. */
    static CostRecord job(JobHistory job, long startMs, long endMs, Charge charge, String problem, String currency) {
        Map<String, String> labels = jobLabels(job);
        if (problem != null) {
            labels.put("problem", problem);
        }
        if (charge.energyUnmeasured()) {
            labels.put("energy", "unmeasured");
        }
        return withCharge(jobBase(CostKind.JOB, job, startMs, endMs, currency), charge)
                .setPriced(charge.priced() && problem == null).setLabels(labels).build();
    }

    /** Cost per media minute of a job that processed {@code mediaMs} > 0 of media. */
    static CostRecord mediaMinute(JobHistory job, long startMs, long endMs, Charge charge, long mediaMs,
                                  String currency) {
        BigDecimal minutes = BigDecimal.valueOf(mediaMs).divide(BigDecimal.valueOf(60_000), MathContext.DECIMAL128);
        return jobBase(CostKind.MEDIA_MINUTE, job, startMs, endMs, currency)
                .setGpuSeconds(charge.gpuSeconds().doubleValue())
                .setAmountMicros(micros(charge.amountMicros().divide(minutes, MathContext.DECIMAL128)))
                .setPriced(charge.priced()).setRatio(minutes.doubleValue()).setLabels(jobLabels(job)).build();
    }

    /** A job's actual cost against its estimate; the deviation is null when the currencies differ. */
    static CostRecord estimate(JobHistory job, long startMs, long endMs, long actualMicros, boolean priced,
                               Double deviation, String currency) {
        Map<String, String> labels = jobLabels(job);
        if (deviation == null) {
            labels.put("problem", job.estimate().currency().equals(currency) ? "zero_estimate" : "currency_mismatch");
            labels.put("estimate_currency", job.estimate().currency());
        }
        return jobBase(CostKind.ESTIMATE, job, startMs, endMs, currency).setAmountMicros(actualMicros)
                .setEstimateMicros(job.estimate().micros()).setRatio(deviation).setPriced(priced).setLabels(labels)
                .build();
    }

    private static CostRecord.Builder jobBase(CostKind kind, JobHistory job, long startMs, long endMs,
                                              String currency) {
        return base(kind, startMs, endMs, currency).setProject(job.project()).setJobId(job.jobId())
                .setProvider(job.provider()).setGpuType(job.gpuType()).setAnalysisType(analysisType(job));
    }

    private static CostRecord.Builder withCharge(CostRecord.Builder builder, Charge charge) {
        return builder.setGpuSeconds(charge.gpuSeconds().doubleValue())
                .setAmountMicros(micros(charge.amountMicros())).setPriced(charge.priced())
                .setEnergyJoules(charge.energyJoules().signum() == 0 ? null : charge.energyJoules().doubleValue());
    }

    private static Map<String, String> jobLabels(JobHistory job) {
        Map<String, String> labels = new HashMap<>();
        PriceKey key = job.priceKey();
        if (key != null) {
            labels.put("pricing_model", key.pricingModel());
        }
        if (job.terminal() != null) {
            labels.put("outcome", job.terminal().type());
            if (job.terminal().failureCategory() != null) {
                labels.put("failure_category", job.terminal().failureCategory());
            }
        }
        return labels;
    }

    static AnalysisType analysisType(JobHistory job) {
        return job.analysisType() == null ? AnalysisType.UNKNOWN : AnalysisType.valueOf(job.analysisType());
    }
}
