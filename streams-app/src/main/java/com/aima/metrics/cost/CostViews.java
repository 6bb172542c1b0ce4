package com.aima.metrics.cost;

import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The cost records as the REST API serves them. Every {@link CostRecord} the engine writes to {@code aima.costs} is
 * also kept, for {@code costs.view.retention}, in two changelogged stores of the engine's single task:
 * <ul>
 *   <li>{@value #STORE}: {@code <view> <time> <identity>} → record, the time zero-padded, so that a view's records
 *       in a time range are one range scan, in time order;</li>
 *   <li>{@value #BY_JOB_STORE}: {@code <jobId> <view>} → record, the cost, cost per media minute and estimate of
 *       one job.</li>
 * </ul>
 * A record written again under the same identity replaces the one before: a budget's spend is written at every
 * hour close, and the API shows the latest.
 */
public final class CostViews {

    public static final String STORE = "cost-views";
    public static final String BY_JOB_STORE = "cost-views-by-job";
    static final String[] STORES = {STORE, BY_JOB_STORE};
    /** How often records older than the retention are deleted. */
    static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    /** The longest budget period: a query reaches this far back for periods that began before its start. */
    private static final long LONGEST_PERIOD_MS = Duration.ofDays(31).toMillis();
    private static final long MAX_TIME_MS = 9_999_999_999_999L;

    private CostViews() {
    }

    /**
     * What the API serves, one view per {@link CostKind}, each with the time that places a record in a query's
     * range: the hour (device hours), the job's end (a job is costed once it has ended), the period (budgets: every
     * period overlapping the range), or when the figure was computed (estimate accuracy, provider options).
     */
    public enum View {
        DEVICE_HOURS("device_hours", CostKind.DEVICE_HOUR, false),
        JOBS("jobs", CostKind.JOB, true),
        MEDIA_MINUTES("media_minutes", CostKind.MEDIA_MINUTE, true),
        ESTIMATES("estimates", CostKind.ESTIMATE, true),
        BUDGETS("budgets", CostKind.BUDGET, true),
        ESTIMATE_ACCURACY("estimate_accuracy", CostKind.ESTIMATE_ACCURACY, false),
        PROVIDER_OPTIONS("provider_options", CostKind.PROVIDER_OPTION, false);

        private final String path;
        private final CostKind kind;
        private final boolean perProject;

        View(String path, CostKind kind, boolean perProject) {
            this.path = path;
            this.kind = kind;
            this.perProject = perProject;
        }

        /** The view's name in the API's path, {@code /costs/<path>}. */
        public String path() {
            return path;
        }

        /** Whether its records belong to a project (else they are about the fleet: devices, providers). */
        public boolean perProject() {
            return perProject;
        }

        /** Whether its records belong to one job. */
        public boolean perJob() {
            return this == JOBS || this == MEDIA_MINUTES || this == ESTIMATES;
        }

        public static Optional<View> ofPath(String path) {
            return Arrays.stream(values()).filter(view -> view.path.equals(path)).findFirst();
        }

        public static Optional<View> of(CostKind kind) {
            return Arrays.stream(values()).filter(view -> view.kind == kind).findFirst();
        }

        /** The time that places {@code record} in a query's range, ms since the epoch. */
        long timeOf(CostRecord record) {
            return perJob() ? record.getWindowEnd().toEpochMilli() : record.getWindowStart().toEpochMilli();
        }

        /** What tells records of one time apart: the device, job, project and period, or type and offer. */
        String identityOf(CostRecord record) {
            return switch (this) {
                case DEVICE_HOURS -> record.getLabels().getOrDefault("gpu_uuid", "");
                case JOBS, MEDIA_MINUTES, ESTIMATES -> record.getJobId();
                case BUDGETS -> record.getProject() + ' ' + record.getLabels().getOrDefault("budget_period", "");
                case ESTIMATE_ACCURACY -> record.getAnalysisType() + " " + record.getGpuType();
                case PROVIDER_OPTIONS -> record.getAnalysisType() + " " + record.getProvider() + ' '
                        + record.getGpuType() + ' ' + record.getLabels().getOrDefault("pricing_model", "");
            };
        }
    }

    static List<StoreBuilder<?>> builders(Serde<CostRecord> records) {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), records),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BY_JOB_STORE), Serdes.String(), records));
    }

    /** {@code <view> <time, 13 digits> <identity>}. */
    static String key(View view, CostRecord record) {
        return timeKey(view, view.timeOf(record)) + ' ' + view.identityOf(record);
    }

    static String jobKey(String jobId, View view) {
        return jobId + ' ' + view.path();
    }

    /** {@code <view> <time>}, the time clamped to 13 digits (years 1970 to 2286) so that keys sort by time. */
    private static String timeKey(View view, long timeMs) {
        return view.path() + ' ' + String.format(Locale.ROOT, "%013d", Math.max(0, Math.min(MAX_TIME_MS, timeMs)));
    }

    /**
     * Offers {@code sink} the records of {@code view} whose time is in [{@code fromMs}, {@code toMs}) (for budgets:
     * whose period overlaps it), in time order, until it answers false.
     */
    public static void read(ReadOnlyKeyValueStore<String, CostRecord> store, View view, long fromMs, long toMs,
                            Predicate<CostRecord> sink) {
        long scanFrom = view == View.BUDGETS ? fromMs - LONGEST_PERIOD_MS : fromMs;
        try (KeyValueIterator<String, CostRecord> it = store.range(timeKey(view, scanFrom), timeKey(view, toMs))) {
            while (it.hasNext()) {
                CostRecord record = it.next().value;
                long time = view.timeOf(record);
                boolean inRange = view == View.BUDGETS
                        ? time < toMs && record.getWindowEnd().toEpochMilli() > fromMs
                        : time >= fromMs && time < toMs;
                if (inRange && !sink.test(record)) {
                    return;
                }
            }
        }
    }

    /** The records of one job (its cost, cost per media minute, estimate), in view order. */
    public static List<CostRecord> job(ReadOnlyKeyValueStore<String, CostRecord> byJob, String jobId) {
        List<CostRecord> records = new ArrayList<>();
        try (KeyValueIterator<String, CostRecord> it = byJob.prefixScan(jobId + ' ', new StringSerializer())) {
            it.forEachRemaining(entry -> {
                if (jobId.equals(entry.value.getJobId())) { // a job id may hold a space: "a" is a prefix of "a b"
                    records.add(entry.value);
                }
            });
        }
        return records;
    }

    /** Keeps every record passing through in the stores, and deletes those older than the retention every hour. */
    static final class Recorder implements FixedKeyProcessor<String, CostRecord, CostRecord> {

        private final long retentionMs;
        private FixedKeyProcessorContext<String, CostRecord> context;
        private KeyValueStore<String, CostRecord> views;
        private KeyValueStore<String, CostRecord> byJob;

        Recorder(Duration retention) {
            this.retentionMs = retention.toMillis();
        }

        @Override
        public void init(FixedKeyProcessorContext<String, CostRecord> context) {
            this.context = context;
            views = context.getStateStore(STORE);
            byJob = context.getStateStore(BY_JOB_STORE);
            context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
        }

        @Override
        public void process(FixedKeyRecord<String, CostRecord> record) {
            CostRecord value = record.value();
            Optional<View> view = value == null ? Optional.empty() : View.of(value.getKind());
            if (view.isPresent()) {
                String key = key(view.get(), value);
                if (view.get().perJob()) {
                    // a job costed again with another end (remembered no longer, then an event for it) replaces its
                    // earlier record in both stores instead of leaving it listed twice
                    String jobKey = jobKey(value.getJobId(), view.get());
                    CostRecord before = byJob.get(jobKey);
                    if (before != null && !key(view.get(), before).equals(key)) {
                        views.delete(key(view.get(), before));
                    }
                    byJob.put(jobKey, value);
                }
                views.put(key, value);
            }
            context.forward(record);
        }

        /**
         * Deletes the records whose time is more than the retention before {@code wallMs}; a budget's when its
         * period ended that long ago.
         */
        void purge(long wallMs) {
            long cutoffMs = wallMs - retentionMs;
            for (View view : View.values()) {
                List<KeyValue<String, CostRecord>> old = new ArrayList<>();
                try (KeyValueIterator<String, CostRecord> it = views.range(timeKey(view, 0),
                        timeKey(view, cutoffMs))) {
                    it.forEachRemaining(old::add);
                }
                for (KeyValue<String, CostRecord> entry : old) {
                    if (view == View.BUDGETS && entry.value.getWindowEnd().toEpochMilli() > cutoffMs) {
                        continue; // a period still within the retention: its spend is current
                    }
                    views.delete(entry.key);
                    if (view.perJob()) {
                        String jobKey = jobKey(entry.value.getJobId(), view);
                        CostRecord indexed = byJob.get(jobKey);
                        if (indexed != null && key(view, indexed).equals(entry.key)) {
                            byJob.delete(jobKey);
                        }
                    }
                }
            }
        }
    }
}
