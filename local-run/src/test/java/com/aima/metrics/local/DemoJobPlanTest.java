package com.aima.metrics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.aima.metrics.cost.PriceCatalog;
import com.aima.metrics.local.DemoJobPlan.Job;
import com.aima.metrics.local.DemoJobPlan.Timing;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The simulated jobs of --demo-jobs: who they bill, where they run, and what their events say. */
class DemoJobPlanTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z"); // a Monday, 11:00 in Berlin

    @Test
    void jobsAlternateProjectsCycleTypesAndGpusAndRunWithinTheBounds() {
        Random random = new Random(7);
        List<Job> jobs = IntStream.range(0, 60).mapToObj(n -> DemoJobPlan.job("r1", n, 4, Timing.DEFAULT, random))
                .toList();

        assertThat(jobs.subList(0, 4)).extracting(Job::jobId, Job::project, Job::type, Job::device).containsExactly(
                tuple("demo-r1-0", "newsroom", AnalysisType.VIDEO,
                        "GPU-51m0000-0000-0000-0000-000000000000"),
                tuple("demo-r1-1", "archive", AnalysisType.AUDIO,
                        "GPU-51m0000-0000-0000-0000-000000000001"),
                tuple("demo-r1-2", "newsroom", AnalysisType.IMAGE,
                        "GPU-51m0000-0000-0000-0000-000000000002"),
                tuple("demo-r1-3", "archive", AnalysisType.VIDEO,
                        "GPU-51m0000-0000-0000-0000-000000000003"));
        assertThat(jobs.get(4).device()).isEqualTo(DemoJobPlan.gpuUuid(0));
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.runMs()).isBetween(10_000L, 60_000L);
            assertThat(job.estimateFactor()).isBetween(0.8, 1.2);
        });
        assertThat(jobs).filteredOn(Job::cancel).isNotEmpty().hasSizeLessThan(30);
    }

    @Test
    void theStartCarriesDevicesMediaAndAnEstimateFromTheCatalog() {
        // 30 s video, estimated at 1.2 x 30 = 36 GPU seconds on the sample's simulated GPU (0.11 EUR amortised per
        // hour, 0.30 EUR per kWh): 36 x 110,000 / 3600 = 1100 micros, plus 50 W x 36 s = 1800 J = 0.0005 kWh x
        // 300,000 = 150 micros: 1250 micros.
        Job job = new Job("demo-r1-0", "newsroom", AnalysisType.VIDEO, DemoJobPlan.gpuUuid(0), 30_000, false, 1.2);
        JobEvent started = DemoJobPlan.started(job, "node-1", PriceCatalog.sample(), NOW);

        assertThat(started.getType()).isEqualTo(JobEventType.STARTED);
        assertThat(started.getJobId()).isEqualTo("demo-r1-0");
        assertThat(started.getProject()).isEqualTo("newsroom");
        assertThat(started.getProvider()).isEqualTo("local");
        assertThat(started.getGpuType()).isEqualTo("Simulated NVIDIA L4");
        assertThat(started.getNode()).isEqualTo("node-1");
        assertThat(started.getAssignedDevices()).containsExactly("GPU-51m0000-0000-0000-0000-000000000000");
        assertThat(started.getMediaDurationMs()).isEqualTo(120_000L); // video at 4x real time
        assertThat(started.getEventTime()).isEqualTo(NOW);
        assertThat(started.getCostEstimate().getAmountMicros()).isEqualTo(1250);
        assertThat(started.getCostEstimate().getCurrency()).isEqualTo("EUR");
        assertThat(started.getCostEstimate().getEstimatedGpuSeconds()).isCloseTo(36.0, within(1e-9));
    }

    @Test
    void withoutAPriceThereIsNoEstimate() {
        Job job = new Job("demo-r1-2", "newsroom", AnalysisType.IMAGE, DemoJobPlan.gpuUuid(2), 10_000, false, 1);
        JobEvent started = DemoJobPlan.started(job, "node-1", PriceCatalog.empty(), NOW);
        assertThat(started.getCostEstimate()).isNull();
        assertThat(started.getMediaDurationMs()).isNull();
    }

    @Test
    void completedJobsProcessedAllTheirMediaAndCancelledOnesAtMostHalf() {
        Job audio = new Job("demo-r1-1", "archive", AnalysisType.AUDIO, DemoJobPlan.gpuUuid(1), 20_000, true, 1);
        JobEvent completed = DemoJobPlan.ended(audio, "node-1", NOW, 20_000, false);
        assertThat(completed.getType()).isEqualTo(JobEventType.COMPLETED);
        assertThat(completed.getMediaProcessedMs()).isEqualTo(400_000L); // audio at 20x real time
        assertThat(completed.getFailure()).isNull();

        JobEvent cancelledEarly = DemoJobPlan.ended(audio, "node-1", NOW, 5_000, true);
        assertThat(cancelledEarly.getType()).isEqualTo(JobEventType.CANCELLED);
        assertThat(cancelledEarly.getMediaProcessedMs()).isEqualTo(100_000L); // a quarter of the run
        assertThat(cancelledEarly.getFailure().getCategory()).isEqualTo("user_cancelled");
        assertThat(DemoJobPlan.ended(audio, "node-1", NOW, 20_000, true).getMediaProcessedMs())
                .isEqualTo(200_000L);
        assertThat(completed.getEventId()).isNotEqualTo(cancelledEarly.getEventId());
    }
}
