package com.aima.metrics.dashboards;

import static com.aima.metrics.dashboards.Records.metric;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.RollupTier;
import com.aima.metrics.schema.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.avro.specific.SpecificRecord;

/**
 * The jobs of three projects over the last two days and what the pipeline makes of them: the workers' job metrics
 * (raw and hourly rollups), and the cost engine's records: JOB, MEDIA_MINUTE, ESTIMATE, ESTIMATE_ACCURACY and
 * DEVICE_HOUR. Amounts follow the price list in {@link #SLOTS}; one job runs where no price is known; failed and
 * cancelled jobs are charged for what they used.
 */
final class JobDataSet {

    /** Where a job can run: a device of a provider, its price per GPU-hour in EUR (null: no price) and speed. */
    record Slot(String provider, String gpuType, String pricingModel, String device, String node, Double eurPerHour,
                double watts, double framesPerSecond) {
        boolean local() {
            return provider.equals("local");
        }
    }

    static final List<Slot> SLOTS = List.of(
            new Slot("local", "NVIDIA H100 80GB HBM3", "owned", "GPU-5d3a0f2e-h100-0", "gpu-node-1", 1.20, 550, 90),
            new Slot("local", "NVIDIA H100 80GB HBM3", "owned", "GPU-5d3a0f2e-h100-1", "gpu-node-1", 1.20, 550, 90),
            new Slot("local", "NVIDIA L4", "owned", "GPU-9b17c4d1-l4-0", "gpu-node-2", 0.25, 65, 15),
            new Slot("local", "NVIDIA L4", "owned", "GPU-9b17c4d1-l4-1", "gpu-node-2", 0.25, 65, 15),
            new Slot("local", "NVIDIA GeForce RTX 4090", "owned", "GPU-2e8f6a90-4090-0", "gpu-node-3", 0.20, 380, 40),
            new Slot("aws", "NVIDIA H100 80GB HBM3", "on_demand", "GPU-aws-7f21-h100-0", "aws-h100-1", 3.20, 550, 90),
            new Slot("runpod", "NVIDIA GeForce RTX 4090", "spot", "GPU-runpod-33c1-4090-0", "runpod-4090-1", 0.45,
                    380, 40));
    /** A provider the price catalog does not know: its job is charged as unpriced GPU time. */
    static final Slot UNPRICED = new Slot("lambda", "NVIDIA A10", "on_demand", "GPU-lambda-a10-0", "lambda-a10-1",
            null, 150, 25);
    static final List<String> PROJECTS = List.of("archive", "newsroom", "sports");
    static final double ELECTRICITY_EUR_PER_KWH = 0.30;
    private static final int JOBS_PER_PROJECT = 10;
    private static final AnalysisType[] TYPES = {AnalysisType.VIDEO, AnalysisType.AUDIO, AnalysisType.IMAGE};
    private static final String[] FAILURES = {"out_of_memory", "model_error", "gpu_lost"};
    private static final String[] MODELS = {"yolov8x", "whisper-large-v3", "clip-vit-l14"};

    /** One finished job as the cost engine charges it. */
    record Job(String id, int project, Slot slot, AnalysisType type, Instant start, Instant end, String outcome,
               String failureCategory, double mediaMinutes, double estimateDeviation) {
        double hours() {
            return Duration.between(start, end).toMillis() / 3_600_000.0;
        }

        double energyJoules() {
            return slot.local() ? slot.watts() * hours() * 3600 : 0;
        }

        long amountMicros() {
            if (slot.eurPerHour() == null) {
                return 0;
            }
            double electricity = energyJoules() / 3.6e6 * ELECTRICITY_EUR_PER_KWH;
            return Math.round((hours() * slot.eurPerHour() + electricity) * 1e6);
        }
    }

    private final Instant now;
    private final List<Job> jobs = new ArrayList<>();
    private final List<SpecificRecord> records = new ArrayList<>();

    private JobDataSet(Instant now) {
        this.now = now;
    }

    /** The jobs behind the records, for the budgets they spend. */
    static List<Job> jobs(Instant now) {
        JobDataSet data = new JobDataSet(now);
        data.jobs();
        return data.jobs;
    }

    static List<SpecificRecord> build(Instant now) {
        JobDataSet data = new JobDataSet(now);
        data.jobs();
        data.jobMetrics();
        data.jobCosts();
        data.deviceHours();
        return data.records;
    }

    private void jobs() {
        for (int p = 0; p < PROJECTS.size(); p++) {
            for (int k = 0; k < JOBS_PER_PROJECT; k++) {
                long agoMinutes = 50 + 40L * p + 290L * k;
                long minutes = Math.min(25 + (17L * k + 11L * p) % 60, agoMinutes - 5);
                Instant start = now.minus(Duration.ofMinutes(agoMinutes));
                Slot slot = p == 2 && k == 3 ? UNPRICED : SLOTS.get((p + 2 * k) % SLOTS.size());
                AnalysisType type = TYPES[(k + p) % TYPES.length];
                String outcome = k % 4 == 2 ? "FAILED" : k == 7 ? "CANCELLED" : "COMPLETED";
                String failure = switch (outcome) {
                    case "FAILED" -> FAILURES[(k + p) % FAILURES.length];
                    case "CANCELLED" -> "user_cancelled";
                    default -> null;
                };
                double processed = outcome.equals("COMPLETED") ? 1 : outcome.equals("FAILED") ? 0.5 : 0.3;
                double mediaMinutes = switch (type) {
                    case VIDEO -> 1.5 * minutes * processed;
                    case AUDIO -> 6.0 * minutes * processed;
                    default -> 0;
                };
                String id = "job-" + String.format("%016x", FleetDataSet.Noise.mix(1 + 100L * p + k)).substring(0, 8);
                jobs.add(new Job(id, p, slot, type, start, start.plus(Duration.ofMinutes(minutes)), outcome, failure,
                        mediaMinutes, ((7 * k + 3 * p) % 9 - 3) / 20.0));
            }
        }
    }

    /** What the workers send while a job runs: inference time per batch and frames processed, per minute. */
    private void jobMetrics() {
        Instant rawFrom = now.minus(Duration.ofHours(23));
        for (Job job : jobs) {
            int key = jobs.indexOf(job);
            Map<String, String> labels = Map.of("job_id", job.id(), "node", job.slot().node(),
                    "model", MODELS[typeIndex(job.type())], "service", "media-worker");
            ToDoubleFunction<Instant> inferenceMs = t -> 900 / job.slot().framesPerSecond()
                    * (1 + 0.25 * FleetDataSet.Noise.unit(key, t));
            ToDoubleFunction<Instant> frames = t -> Math.rint(60 * job.slot().framesPerSecond()
                    * (0.9 + 0.2 * FleetDataSet.Noise.unit(key + 500, t)));
            for (Instant t = job.start(); t.isBefore(job.end()); t = t.plus(FleetDataSet.SAMPLE)) {
                if (t.isAfter(rawFrom)) {
                    records.add(metric("job_inference_time_ms_avg", "ms", labels, t, inferenceMs.applyAsDouble(t),
                            SourceKind.JOB));
                    records.add(metric("job_frame_processing_time_ms_count", "count", labels, t,
                            frames.applyAsDouble(t), SourceKind.JOB));
                }
            }
            Instant hour = job.start().truncatedTo(ChronoUnit.HOURS);
            for (; hour.isBefore(job.end()); hour = hour.plus(Duration.ofHours(1))) {
                Instant from = max(hour, job.start());
                Instant to = min(hour.plus(Duration.ofHours(1)), job.end());
                boolean closed = !hour.plus(Duration.ofHours(1)).isAfter(now);
                records.add(Records.rollup("job_inference_time_ms_avg", "ms", labels,
                        RollupTier.HOUR, hour, hour.plus(Duration.ofHours(1)),
                        Records.samples(inferenceMs, from, to, FleetDataSet.SAMPLE), closed));
                records.add(Records.rollup("job_frame_processing_time_ms_count", "count", labels,
                        RollupTier.HOUR, hour, hour.plus(Duration.ofHours(1)),
                        Records.samples(frames, from, to, FleetDataSet.SAMPLE), closed));
            }
        }
    }

    /** JOB, MEDIA_MINUTE, ESTIMATE and ESTIMATE_ACCURACY records, as the engine writes them after each job. */
    private void jobCosts() {
        Map<String, List<Double>> deviations = new HashMap<>();
        for (Job job : jobs.stream().sorted((a, b) -> a.end().compareTo(b.end())).toList()) {
            boolean priced = job.slot().eurPerHour() != null;
            Map<String, String> labels = new HashMap<>();
            labels.put("pricing_model", job.slot().pricingModel());
            labels.put("outcome", job.outcome());
            if (job.failureCategory() != null) {
                labels.put("failure_category", job.failureCategory());
            }
            if (!priced) {
                labels.put("problem", "unpriced");
            }
            long amount = job.amountMicros();
            records.add(jobRecord(CostKind.JOB, job).setGpuSeconds(job.hours() * 3600).setAmountMicros(amount)
                    .setPriced(priced).setEnergyJoules(job.slot().local() ? job.energyJoules() : null)
                    .setLabels(labels).build());
            Map<String, String> jobLabels = new HashMap<>(labels);
            jobLabels.remove("problem");
            if (job.mediaMinutes() > 0) {
                records.add(jobRecord(CostKind.MEDIA_MINUTE, job).setGpuSeconds(job.hours() * 3600)
                        .setAmountMicros(Math.round(amount / job.mediaMinutes())).setRatio(job.mediaMinutes())
                        .setPriced(priced).setLabels(jobLabels).build());
            }
            if (!priced) {
                continue; // the unpriced job carried no estimate
            }
            long estimate = Math.round(amount / (1 + job.estimateDeviation()));
            double deviation = (amount - estimate) / (double) estimate;
            records.add(jobRecord(CostKind.ESTIMATE, job).setAmountMicros(amount).setEstimateMicros(estimate)
                    .setRatio(deviation).setLabels(jobLabels).build());
            if (job.outcome().equals("COMPLETED")) {
                List<Double> window = deviations.computeIfAbsent(job.type() + " " + job.slot().gpuType(),
                        type -> new ArrayList<>());
                window.add(deviation);
                double absolute = window.stream().mapToDouble(Math::abs).average().orElse(0);
                double bias = window.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                records.add(CostRecord.newBuilder().setKind(CostKind.ESTIMATE_ACCURACY).setWindowStart(job.end())
                        .setWindowEnd(job.end()).setAnalysisType(job.type()).setGpuType(job.slot().gpuType())
                        .setAmountMicros(0).setRatio(absolute)
                        .setLabels(Map.of("bias", String.format(Locale.ROOT, "%.6f", bias),
                                "jobs", Integer.toString(window.size())))
                        .build());
            }
        }
    }

    private CostRecord.Builder jobRecord(CostKind kind, Job job) {
        return CostRecord.newBuilder().setKind(kind).setWindowStart(job.start()).setWindowEnd(job.end())
                .setProject(PROJECTS.get(job.project())).setJobId(job.id()).setProvider(job.slot().provider())
                .setGpuType(job.slot().gpuType()).setAnalysisType(job.type()).setCurrency("EUR");
    }

    /** DEVICE_HOUR: each closed hour of each device a job held, its busy seconds and their cost. */
    private void deviceHours() {
        Map<String, double[]> hours = new TreeMap<>();
        Map<String, Slot> slots = new HashMap<>();
        for (Job job : jobs) {
            double eurPerSecond = job.amountMicros() / 1e6 / (job.hours() * 3600);
            Instant hour = job.start().truncatedTo(ChronoUnit.HOURS);
            for (; hour.isBefore(job.end()); hour = hour.plus(Duration.ofHours(1))) {
                if (hour.plus(Duration.ofHours(1)).isAfter(now)) {
                    break; // not closed yet
                }
                double seconds = Duration.between(max(hour, job.start()),
                        min(hour.plus(Duration.ofHours(1)), job.end())).toMillis() / 1000.0;
                String key = job.slot().device() + " " + hour.toEpochMilli();
                double[] sums = hours.computeIfAbsent(key, k -> new double[2]);
                sums[0] += seconds;
                sums[1] += seconds * eurPerSecond;
                slots.put(key, job.slot());
            }
        }
        hours.forEach((key, sums) -> {
            Slot slot = slots.get(key);
            Instant hour = Instant.ofEpochMilli(Long.parseLong(key.substring(key.indexOf(' ') + 1)));
            records.add(CostRecord.newBuilder().setKind(CostKind.DEVICE_HOUR).setWindowStart(hour)
                    .setWindowEnd(hour.plus(Duration.ofHours(1))).setProvider(slot.provider())
                    .setGpuType(slot.gpuType()).setGpuSeconds(sums[0]).setAmountMicros(Math.round(sums[1] * 1e6))
                    .setPriced(slot.eurPerHour() != null).setEnergyJoules(slot.local() ? sums[0] * slot.watts() : null)
                    .setLabels(Map.of("gpu_uuid", slot.device(), "pricing_model", slot.pricingModel())).build());
        });
    }

    /** Index of an analysis type in {@link #TYPES}, {@link #MODELS} and the throughput tables. */
    private static int typeIndex(AnalysisType type) {
        return List.of(TYPES).indexOf(type);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
