package com.aima.metrics.local;

import com.aima.metrics.cost.PriceCatalog;
import com.aima.metrics.cost.PriceKey;
import com.aima.metrics.cost.Rate;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostEstimate;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.JobFailure;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.serde.TrustedClasses;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The simulated jobs of {@code --demo-jobs}: what each job is and the JobEvents that report it. Pure; {@link DemoJobs}
 * schedules and sends them.
 *
 * <p>Job {@code n} runs on simulated GPU {@code n mod gpus} (their UUIDs as the collector's simulated GPU source names
 * them), is billed alternately to {@code newsroom} and {@code archive} (the sample catalog's budgets), analyses video,
 * audio and images in turn, on provider {@value #PROVIDER} with GPU type {@value #GPU_TYPE} (the sample catalog's
 * price for the simulated GPUs). Its run time is drawn between the timing's bounds; one job in six is cancelled
 * halfway instead of completing. Video is analysed at 4x and audio at 20x real time, so a completed job reports
 * {@code mediaProcessedMs} = run time x that factor; images report none.
 */
final class DemoJobPlan {

    static final String PROVIDER = PriceKey.LOCAL;
    /** The model the collector's SimulatedGpuSource reports (its constant is not public). */
    static final String GPU_TYPE = "Simulated NVIDIA L4";
    static final List<String> PROJECTS = List.of("newsroom", "archive");
    static final List<AnalysisType> TYPES = List.of(AnalysisType.VIDEO, AnalysisType.AUDIO, AnalysisType.IMAGE);
    /** What the estimates assume a simulated GPU draws, in watts (it draws 20 to 72 W). */
    static final int ESTIMATE_WATTS = 50;
    private static final int CANCEL_ONE_IN = 6;
    private static final double JOULES_PER_KWH = 3_600_000.0;

    static {
        // Building a JobEvent resolves enum defaults (priority), which Avro loads only from trusted packages.
        TrustedClasses.trustSchemaPackage();
    }

    /** How often a job starts, and the bounds of its run time. */
    record Timing(Duration interval, Duration minRun, Duration maxRun) {
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(20), Duration.ofSeconds(10),
                Duration.ofSeconds(60));
        /** With --demo-windows: twice as fast, so the first cost shows within a minute. */
        static final Timing DEMO_WINDOWS = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    /**
     * One job.
     *
     * @param runMs   how long it runs before its final event, in ms
     * @param cancel  whether it ends CANCELLED (after {@code runMs}, having processed half its media) instead of
     *                COMPLETED
     * @param estimateFactor the estimate's GPU time / the run time: estimates are off by up to 20 % either way
     */
    record Job(String jobId, String project, AnalysisType type, String device, long runMs, boolean cancel,
               double estimateFactor) {

        /** The media to analyse in ms: run time x 4 (video) or x 20 (audio); null for images. */
        Long mediaMs() {
            return switch (type) {
                case VIDEO -> runMs * 4;
                case AUDIO -> runMs * 20;
                default -> null;
            };
        }
    }

    private DemoJobPlan() {
    }

    /** The UUID of simulated GPU {@code index}, as SimulatedGpuSource labels it ({@code gpu_uuid}). */
    static String gpuUuid(int index) {
        return String.format(Locale.ROOT, "GPU-51m0000-0000-0000-0000-%012d", index);
    }

    /**
     * Job {@code n} (from 0) of the run {@code runId}: the id {@code demo-<runId>-<n>} is new on every run, because
     * the cost engine remembers charged jobs (costs.job.retention) and dead-letters new events for them.
     */
    static Job job(String runId, int n, int gpus, Timing timing, Random random) {
        long min = timing.minRun().toMillis();
        long max = timing.maxRun().toMillis();
        long runMs = min + (long) (random.nextDouble() * (max - min));
        return new Job("demo-" + runId + "-" + n, PROJECTS.get(n % PROJECTS.size()), TYPES.get(n % TYPES.size()),
                gpuUuid(n % gpus), runMs, random.nextInt(CANCEL_ONE_IN) == 0, 0.8 + 0.4 * random.nextDouble());
    }

    /**
     * The STARTED event: devices, provider, GPU type, media duration and, when {@code catalog} prices the simulated
     * GPU at {@code now}, a cost estimate: estimated GPU seconds x the hourly price, plus for a local price
     * {@value #ESTIMATE_WATTS} W over that time at the electricity price, rounded to whole micro-units.
     */
    static JobEvent started(Job job, String node, PriceCatalog catalog, Instant now) {
        JobEvent.Builder event = base(job, JobEventType.STARTED, node, now).setAssignedDevices(List.of(job.device()))
                .setMediaDurationMs(job.mediaMs());
        Rate rate = catalog.rate(PriceKey.of(PROVIDER, GPU_TYPE, null), now).orElse(null);
        if (rate != null) {
            double seconds = job.runMs() / 1000.0 * job.estimateFactor();
            double micros = seconds * rate.microsPerGpuHour() / 3600;
            if (rate.electricityMicrosPerKwh() != null) {
                micros += ESTIMATE_WATTS * seconds / JOULES_PER_KWH * rate.electricityMicrosPerKwh();
            }
            event.setCostEstimate(CostEstimate.newBuilder().setAmountMicros(Math.round(micros))
                    .setCurrency(catalog.currency()).setEstimatedGpuSeconds(seconds).setEstimatedAt(now).build());
        }
        return event.build();
    }

    /**
     * The final event after {@code ranMs}: COMPLETED with all its media processed, or CANCELLED ({@code cancelled}:
     * planned, or because the local run stops) with the share of the media it got through by then, half at most.
     */
    static JobEvent ended(Job job, String node, Instant now, long ranMs, boolean cancelled) {
        JobEvent.Builder event = base(job, cancelled ? JobEventType.CANCELLED : JobEventType.COMPLETED, node, now);
        Long media = job.mediaMs();
        if (media != null) {
            double share = Math.min(1.0, (double) ranMs / job.runMs());
            event.setMediaProcessedMs(cancelled ? Math.round(media * Math.min(0.5, share)) : media);
        }
        if (cancelled) {
            event.setFailure(JobFailure.newBuilder().setCategory("user_cancelled").setSeverity(Severity.INFO)
                    .setMessage("A demo job of the local run, cancelled.").build());
        }
        return event.build();
    }

    private static JobEvent.Builder base(Job job, JobEventType type, String node, Instant now) {
        return JobEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setJobId(job.jobId()).setType(type)
                .setEventTime(now).setProject(job.project()).setAnalysisType(job.type()).setProvider(PROVIDER)
                .setGpuType(GPU_TYPE).setNode(node);
    }
}
