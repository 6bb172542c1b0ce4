package com.aima.metrics.cost;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the cost engine keeps of one job: the fields its events carried, every STARTED (a job resumed from a
 * checkpoint or moved to other devices starts again), its final event, and what has been charged so far. Events are
 * applied in arrival order but placed by their event time, so a COMPLETED that arrives before its STARTED is charged
 * the same once both are in.
 *
 * @param starts         every STARTED, in arrival order
 * @param terminal       the first final event (COMPLETED, FAILED, CANCELLED); null while the job runs
 * @param eventIds       ids of the events applied, to drop redeliveries (at most {@value #REMEMBERED_EVENTS})
 * @param chargedUntilMs the job's device time before this instant is in {@code charged} (and in the budgets)
 * @param charged        what hour closes have charged so far
 * @param finalizedAtMs  when the job's cost was written; null before
 */
public record JobHistory(String jobId, String project, String analysisType, String provider, String pricingModel,
                         String gpuType, String node, Long mediaDurationMs, Long mediaProcessedMs, Estimate estimate,
                         List<Start> starts, Terminal terminal, List<String> eventIds, long chargedUntilMs,
                         Charge charged, Long finalizedAtMs) {

    static final int REMEMBERED_EVENTS = 256;
    /** Label of a STARTED event naming the job's process ids on the node, comma-separated. */
    public static final String PIDS_LABEL = "pids";

    /** A job's cost estimate (seed 000 section 1.2), in millionths of {@code currency}. */
    public record Estimate(long micros, String currency) {
    }

    /**
     * One STARTED: when, on which devices, with which processes, and what those devices are priced by (null fields:
     * the job's own, so a job that moves to another provider or GPU type is priced right for each run).
     */
    public record Start(String eventId, long timeMs, List<String> devices, List<String> pids, String provider,
                        String gpuType, String pricingModel) {
    }

    /** The final event. */
    public record Terminal(String eventId, String type, long timeMs, String failureCategory) {
    }

    /** Why an event was not applied. */
    public enum Outcome { APPLIED, DUPLICATE, CONFLICT }

    public JobHistory {
        starts = List.copyOf(starts);
        eventIds = List.copyOf(eventIds);
        charged = charged == null ? Charge.ZERO : charged;
    }

    static JobHistory empty(String jobId) {
        return new JobHistory(jobId, null, null, null, null, null, null, null, null, null, List.of(), null, List.of(),
                0, Charge.ZERO, null);
    }

    /** What applying {@code event} would do; {@link #apply} only for {@link Outcome#APPLIED}. */
    Outcome check(JobEvent event) {
        if (eventIds.contains(event.getEventId())) {
            return Outcome.DUPLICATE;
        }
        if (finalizedAtMs != null || terminal != null && isTerminal(event.getType())) {
            return Outcome.CONFLICT;
        }
        return Outcome.APPLIED;
    }

    /** Why {@link #check} said CONFLICT, as a sentence for the dead-letter header. */
    String conflict(JobEvent event) {
        if (finalizedAtMs != null) {
            return "The cost of job " + jobId + " was already written; a later " + event.getType()
                    + " event cannot change it.";
        }
        return "Job " + jobId + " already ended with " + terminal.type() + " (event " + terminal.eventId()
                + "); a second final event " + event.getType() + " is ignored.";
    }

    /** This history with {@code event} applied; fields an event leaves null keep their earlier value. */
    JobHistory apply(JobEvent event) {
        List<String> ids = new ArrayList<>(eventIds);
        ids.add(event.getEventId());
        if (ids.size() > REMEMBERED_EVENTS) {
            ids.remove(0);
        }
        List<Start> nextStarts = starts;
        Terminal nextTerminal = terminal;
        long time = event.getEventTime().toEpochMilli();
        if (event.getType() == JobEventType.STARTED) {
            nextStarts = new ArrayList<>(starts);
            nextStarts.add(new Start(event.getEventId(), time, List.copyOf(event.getAssignedDevices()),
                    pids(event.getLabels().get(PIDS_LABEL)), event.getProvider(), event.getGpuType(),
                    event.getPricingModel()));
        } else if (isTerminal(event.getType())) {
            nextTerminal = new Terminal(event.getEventId(), event.getType().name(), time,
                    event.getFailure() == null ? null : event.getFailure().getCategory());
        }
        Long processed = mediaProcessedMs;
        if (event.getMediaProcessedMs() != null) {
            processed = processed == null ? event.getMediaProcessedMs()
                    : Long.valueOf(Math.max(processed, event.getMediaProcessedMs()));
        }
        Estimate nextEstimate = event.getCostEstimate() == null ? estimate
                : new Estimate(event.getCostEstimate().getAmountMicros(), event.getCostEstimate().getCurrency());
        String type = event.getAnalysisType() == AnalysisType.UNKNOWN && analysisType != null ? analysisType
                : event.getAnalysisType().name();
        return new JobHistory(jobId, or(event.getProject(), project), type,
                or(event.getProvider(), provider), or(event.getPricingModel(), pricingModel),
                or(event.getGpuType(), gpuType), or(event.getNode(), node),
                event.getMediaDurationMs() == null ? mediaDurationMs : event.getMediaDurationMs(), processed,
                nextEstimate, nextStarts, nextTerminal, ids, chargedUntilMs, charged, finalizedAtMs);
    }

    JobHistory charged(long untilMs, Charge more) {
        return new JobHistory(jobId, project, analysisType, provider, pricingModel, gpuType, node, mediaDurationMs,
                mediaProcessedMs, estimate, starts, terminal, eventIds, untilMs, charged.plus(more), finalizedAtMs);
    }

    JobHistory finalized(long atMs) {
        return new JobHistory(jobId, project, analysisType, provider, pricingModel, gpuType, node, mediaDurationMs,
                mediaProcessedMs, estimate, starts, terminal, eventIds, chargedUntilMs, charged, atMs);
    }

    /** What the job's devices are priced by; null when the job named no provider or GPU type. */
    PriceKey priceKey() {
        return PriceKey.of(provider, gpuType, pricingModel);
    }

    /**
     * The job's devices over time: each STARTED (by event time) holds its devices until the next STARTED or the final
     * event; a run without either holds them until its start plus {@code maxRunMs}, which is also the most any run is
     * charged (see {@link #problem}). A run the final event precedes holds nothing.
     */
    List<Allocation> allocations(long maxRunMs) {
        List<Allocation> allocations = new ArrayList<>();
        for (Run run : runs()) {
            Start start = run.start();
            // a run that names its provider is priced by its own fields: a local run has no pricing model even
            // when a later cloud run of the same job has one
            PriceKey key = start.provider() == null ? priceKey()
                    : PriceKey.of(start.provider(), or(start.gpuType(), gpuType), start.pricingModel());
            long end = start.timeMs() + maxRunMs;
            if (run.endMs() != null) {
                end = Math.min(end, run.endMs());
            }
            if (terminal != null) {
                end = Math.min(end, terminal.timeMs());
            }
            if (end <= start.timeMs()) {
                continue;
            }
            for (String device : start.devices()) {
                allocations.add(new Allocation(jobId, device, start.timeMs(), end, start.pids(), key));
            }
        }
        return allocations;
    }

    /** A STARTED and when its run ends: the next STARTED, else the final event, else null (still running). */
    private record Run(Start start, Long endMs) {
    }

    /** The job's runs in event-time order. */
    private List<Run> runs() {
        List<Start> ordered = new ArrayList<>(starts);
        ordered.sort(Comparator.comparingLong(Start::timeMs));
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Long end = i + 1 < ordered.size() ? Long.valueOf(ordered.get(i + 1).timeMs())
                    : terminal == null ? null : Long.valueOf(terminal.timeMs());
            runs.add(new Run(ordered.get(i), end));
        }
        return runs;
    }

    /**
     * Why the job cannot be charged in full, or null: {@code missing_start} (COMPLETED without a STARTED),
     * {@code no_devices} (a STARTED named none), {@code negative_duration} (the final event precedes a STARTED),
     * {@code duration_exceeds_max} (a run longer than {@code maxRunMs}, charged up to that), {@code unpriced} (no
     * provider or GPU type, or no price in force for some of the time).
     */
    String problem(long maxRunMs, Charge charge) {
        if (starts.isEmpty()) {
            return terminal != null && JobEventType.COMPLETED.name().equals(terminal.type()) ? "missing_start" : null;
        }
        if (starts.stream().anyMatch(start -> start.devices().isEmpty())) {
            return "no_devices";
        }
        if (terminal != null && starts.stream().anyMatch(start -> start.timeMs() > terminal.timeMs())) {
            return "negative_duration";
        }
        for (Run run : runs()) {
            if (run.endMs() == null || run.endMs() - run.start().timeMs() > maxRunMs) {
                return "duration_exceeds_max";
            }
        }
        return charge.priced() ? null : "unpriced";
    }

    /** The media processed, in ms: what the final event reported, else the media's duration for a completed job. */
    Long mediaMs() {
        if (mediaProcessedMs != null) {
            return mediaProcessedMs;
        }
        return terminal != null && JobEventType.COMPLETED.name().equals(terminal.type()) ? mediaDurationMs : null;
    }

    /**
     * The end of the job's charged time: its final event, or, without one, when its last run has been charged for
     * {@code maxRunMs} (the job is then written off, marked {@code duration_exceeds_max}).
     *
     * @throws IllegalStateException when the job has neither a final event nor a STARTED
     */
    long endMs(long maxRunMs) {
        if (terminal != null) {
            return terminal.timeMs();
        }
        return starts.stream().mapToLong(Start::timeMs).max()
                .orElseThrow(() -> new IllegalStateException("Job " + jobId + " has neither started nor ended."))
                + maxRunMs;
    }

    /** The start of the job's first run, or null. */
    Long firstStartMs() {
        return starts.stream().map(Start::timeMs).min(Long::compare).orElse(null);
    }

    static boolean isTerminal(JobEventType type) {
        return type == JobEventType.COMPLETED || type == JobEventType.FAILED || type == JobEventType.CANCELLED;
    }

    private static List<String> pids(String label) {
        if (label == null || label.isBlank()) {
            return List.of();
        }
        return Arrays.stream(label.split(",")).map(String::trim).filter(pid -> !pid.isEmpty()).toList();
    }

    private static String or(CharSequence value, String previous) {
        return value == null ? previous : value.toString();
    }
}
