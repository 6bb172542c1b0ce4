package com.aima.metrics.cost;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cost engine's processor for job events. Each event is checked against the job's history (a redelivery is
 * dropped, a second final event or an event after the job was charged is dead-lettered with the reason) and applied.
 * A wall-clock punctuation then does the time-driven work on the {@link EngineClock}: it writes the cost of jobs
 * whose end is {@code costs.settle} old, closes hours that are as old ({@link Charger}), and publishes
 * {@value Budgets#METRIC} every {@code costs.budget.emit.interval}. Forwards CostRecords, MetricEvents and
 * dead-lettered events (byte[] with the reason in headers).
 */
final class CostEngine implements Processor<String, JobEvent, String, Object> {

    /** Hours closed per punctuation at most, so that catching up after downtime does not stall the task. */
    static final int MAX_HOURS_PER_PUNCTUATION = 24;
    private static final Logger log = LoggerFactory.getLogger(CostEngine.class);

    private final CostConfig config;
    private final long maxRunMs;
    private final long settleMs;
    private final long idleTimeoutMs;
    private final long budgetEmitIntervalMs;
    private final Supplier<PriceCatalog> catalog;
    private final Serializer<JobEvent> deadLetterSerializer;
    private ProcessorContext<String, Object> context;
    private CostStores stores;
    private Charger charger;
    private long lastBudgetEmitWallMs;

    CostEngine(CostConfig config, Supplier<PriceCatalog> catalog, Serializer<JobEvent> deadLetterSerializer) {
        this.config = config;
        this.maxRunMs = config.maxRunDuration().toMillis();
        this.settleMs = config.settle().toMillis();
        this.idleTimeoutMs = config.idleTimeout().toMillis();
        this.budgetEmitIntervalMs = config.budgetEmitInterval().toMillis();
        this.catalog = catalog;
        this.deadLetterSerializer = deadLetterSerializer;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        stores = CostStores.of(context);
        charger = new Charger(stores, catalog, config);
        context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, JobEvent> record) {
        JobEvent event = record.value();
        if (event == null) {
            return;
        }
        EngineClock.observe(stores.ledger, event.getEventTime().toEpochMilli(), context.currentSystemTimeMs());
        JobHistory before = stores.jobs.get(event.getJobId());
        JobHistory job = before == null ? JobHistory.empty(event.getJobId()) : before;
        switch (job.check(event)) {
            case DUPLICATE -> log.debug("Dropped the redelivered event {} of job {}.", event.getEventId(),
                    event.getJobId());
            case CONFLICT -> {
                String reason = job.conflict(event);
                log.warn("{} The event {} goes to {}.", reason, event.getEventId(), Topics.JOBS_DLQ);
                JobIntake.deadLetter(context, record.withValue(
                        (Object) deadLetterSerializer.serialize(Topics.JOBS_DLQ, event)), reason);
            }
            case APPLIED -> {
                JobHistory next = job.apply(event);
                stores.putJob(before, next, maxRunMs);
                // due at the final event, or, without one, when the last run reaches the maximum (written off)
                boolean ended = next.terminal() != null && job.terminal() == null;
                boolean startedAgain = next.terminal() == null && next.starts().size() > job.starts().size();
                if (ended || startedAgain) {
                    long dueMs = next.endMs(maxRunMs) + settleMs;
                    stores.pending.put(CostStores.pendingKey(dueMs, next.jobId()), next.jobId());
                }
            }
        }
    }

    private void tick(long wallMs) {
        long clockMs = EngineClock.now(stores.ledger, wallMs, idleTimeoutMs);
        if (clockMs == Long.MIN_VALUE) {
            return;
        }
        for (String pendingKey : due(clockMs)) {
            JobHistory job = stores.jobs.get(stores.pending.get(pendingKey));
            stores.pending.delete(pendingKey);
            if (job != null && job.finalizedAtMs() == null && job.endMs(maxRunMs) + settleMs <= clockMs) {
                forward(charger.finalizeJob(job, clockMs), clockMs);
            }
        }
        Long closedUntil = EngineClock.closedUntil(stores.ledger);
        for (int i = 0; i < MAX_HOURS_PER_PUNCTUATION && closedUntil != null
                && closedUntil + Charging.HOUR_MS + settleMs <= clockMs; i++) {
            forward(charger.closeHour(closedUntil, clockMs), clockMs);
            closedUntil += Charging.HOUR_MS;
            EngineClock.closedUntil(stores.ledger, closedUntil);
        }
        if (wallMs - lastBudgetEmitWallMs >= budgetEmitIntervalMs) {
            lastBudgetEmitWallMs = wallMs;
            for (MetricEvent metric : charger.budgets().metrics(clockMs, catalog.get())) {
                context.forward(new Record<>(Budgets.seriesKey(metric), metric, clockMs));
            }
        }
    }

    /** Pending keys of jobs due at {@code clockMs}. */
    private List<String> due(long clockMs) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = stores.pending.range(CostStores.pendingKey(0, ""),
                CostStores.pendingKey(clockMs, "\uffff"))) {
            it.forEachRemaining(entry -> due.add(entry.key));
        }
        return due;
    }

    private void forward(List<KeyValue<String, Object>> records, long timestampMs) {
        for (KeyValue<String, Object> record : records) {
            context.forward(new Record<>(record.key, record.value, timestampMs));
        }
    }
}
