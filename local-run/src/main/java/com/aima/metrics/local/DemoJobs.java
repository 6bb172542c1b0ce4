package com.aima.metrics.local;

import com.aima.metrics.Topics;
import com.aima.metrics.cost.PriceCatalog;
import com.aima.metrics.local.DemoJobPlan.Job;
import com.aima.metrics.local.DemoJobPlan.Timing;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.SpecificAvroSerializer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo-jobs}: the local run itself plays a media-analysis worker, so that costs appear without one. Every
 * {@link Timing#interval()} (the first at once) a job of {@link DemoJobPlan} starts, and ends after its run time.
 * Jobs still running when the local run stops are cancelled then, so that none stays open: an open job would be
 * charged on the next start until {@code costs.max.run.duration}.
 *
 * <p>The events go straight to {@link Topics#JOBS} as Avro JobEvents keyed by job id ({@link SpecificAvroSerializer}
 * with the run's registry), not through the collector's {@code /v1/jobs}: that works with {@code --no-collector} too,
 * and needs no JSON mapping that could drift from the schema. One thread does everything, so the running jobs need no
 * locking. Prints a line per job start ({@code [demo job     ] ...}); the costs print when the engine writes them.
 */
final class DemoJobs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoJobs.class);
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final KafkaProducer<String, JobEvent> producer;
    private final PriceCatalog catalog;
    private final Timing timing;
    private final int gpus;
    private final String node;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
    private final Random random = new Random();
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "demo-jobs");
        thread.setDaemon(true);
        return thread;
    });
    /** Running jobs by id, with their start (ms since the epoch); touched only on the executor's thread. */
    private final Map<String, Running> running = new LinkedHashMap<>();
    private int next;

    private record Running(Job job, long startMs) {
    }

    private DemoJobs(KafkaProducer<String, JobEvent> producer, PriceCatalog catalog, Timing timing, int gpus,
                     String node, PrintStream out) {
        this.producer = producer;
        this.catalog = catalog;
        this.timing = timing;
        this.gpus = gpus;
        this.node = node;
        this.out = out;
        // On close, planned ends are dropped: close() cancels the jobs still running itself.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /**
     * @param catalog the catalog the cost engine charges by, for the jobs' estimates
     * @param gpus    how many simulated GPUs the collector makes up (jobs use GPU 0 to gpus - 1)
     * @param node    the host name the jobs report
     */
    static DemoJobs start(String bootstrapServers, String registryUrl, PriceCatalog catalog, Timing timing, int gpus,
                          String node, PrintStream out) {
        SpecificAvroSerializer<JobEvent> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        KafkaProducer<String, JobEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), values);
        DemoJobs jobs = new DemoJobs(producer, catalog, timing, gpus, node, out);
        jobs.executor.scheduleAtFixedRate(jobs::startOne, 0, timing.interval().toMillis(), TimeUnit.MILLISECONDS);
        return jobs;
    }

    private void startOne() {
        try {
            Job job = DemoJobPlan.job(runId, next++, gpus, timing, random);
            Instant now = Instant.now();
            send(DemoJobPlan.started(job, node, catalog, now));
            running.put(job.jobId(), new Running(job, now.toEpochMilli()));
            executor.schedule(() -> end(job.jobId(), job.cancel()), job.runMs(), TimeUnit.MILLISECONDS);
            out.println(String.format(Locale.ROOT, "[demo job     ] %s/%s %s started on %s, %s in %d s",
                    job.project(), job.jobId(), job.type().name().toLowerCase(Locale.ROOT), job.device(),
                    job.cancel() ? "cancelled" : "completes", Math.round(job.runMs() / 1000.0)));
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: log and try the next job
            log.warn("Could not start a demo job.", e);
        }
    }

    private void end(String jobId, boolean cancelled) {
        Running job = running.remove(jobId);
        if (job == null) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            send(DemoJobPlan.ended(job.job(), node, Instant.ofEpochMilli(now), now - job.startMs(), cancelled));
        } catch (RuntimeException e) {
            log.warn("Could not end the demo job {}.", jobId, e);
        }
    }

    private void send(JobEvent event) {
        producer.send(new ProducerRecord<>(Topics.JOBS, event.getJobId(), event), (metadata, error) -> {
            if (error != null) {
                log.warn("Could not send the {} event of demo job {}.", event.getType(), event.getJobId(), error);
            }
        });
    }

    /** Cancels the jobs still running, then stops; waits at most about 20 s. */
    @Override
    public void close() throws InterruptedException {
        Future<?> cancelled = executor.submit(() -> new ArrayList<>(running.keySet()).forEach(id -> end(id, true)));
        executor.shutdown();
        try {
            cancelled.get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not cancel the running demo jobs.", e);
        }
        executor.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(STOP_TIMEOUT_SECONDS));
    }
}
