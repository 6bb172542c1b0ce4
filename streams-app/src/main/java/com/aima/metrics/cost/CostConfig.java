package com.aima.metrics.cost;

import com.aima.metrics.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.AutoOffsetReset;

/**
 * Settings of the cost engine ({@code costs.*}). Durations are written 500ms, 10s, 5m, 1h, 7d or ISO-8601. The engine
 * runs as its own Kafka Streams application ({@code costs.application.id}), so that its single task (every job and
 * device in one place, see {@link CostTopology}) never waits behind the rollups.
 */
public final class CostConfig extends AbstractConfig {

    public static final String PREFIX = "costs.";

    public static final String ENABLED_CONFIG = PREFIX + "enabled";
    public static final String APPLICATION_ID_CONFIG = PREFIX + "application.id";
    public static final String AUTO_OFFSET_RESET_CONFIG = PREFIX + "auto.offset.reset";
    public static final String AUTO_OFFSET_RESET_DEFAULT = "earliest";
    public static final String CATALOG_FILE_CONFIG = PREFIX + "catalog.file";
    public static final String SETTLE_CONFIG = PREFIX + "settle";
    public static final String SETTLE_DEFAULT = "5m";
    public static final String IDLE_TIMEOUT_CONFIG = PREFIX + "idle.timeout";
    public static final String IDLE_TIMEOUT_DEFAULT = "1m";
    public static final String PUNCTUATE_INTERVAL_CONFIG = PREFIX + "punctuate.interval";
    public static final String PUNCTUATE_INTERVAL_DEFAULT = "10s";
    public static final String MAX_RUN_DURATION_CONFIG = PREFIX + "max.run.duration";
    public static final String MAX_RUN_DURATION_DEFAULT = "7d";
    public static final String SAMPLE_RETENTION_CONFIG = PREFIX + "sample.retention";
    public static final String SAMPLE_RETENTION_DEFAULT = "6h";
    public static final String JOB_RETENTION_CONFIG = PREFIX + "job.retention";
    public static final String JOB_RETENTION_DEFAULT = "7d";
    public static final String BUDGET_EMIT_INTERVAL_CONFIG = PREFIX + "budget.emit.interval";
    public static final String BUDGET_EMIT_INTERVAL_DEFAULT = "1m";
    public static final String WINDOW_JOBS_CONFIG = PREFIX + "window.jobs";
    public static final int WINDOW_JOBS_DEFAULT = 50;
    public static final String VIEW_RETENTION_CONFIG = PREFIX + "view.retention";
    public static final String VIEW_RETENTION_DEFAULT = "90d";

    private static final ConfigDef CONFIG = configDef();

    public CostConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        if (sampleRetention().compareTo(settle().plusHours(1)) < 0) {
            throw new ConfigException(SAMPLE_RETENTION_CONFIG, getString(SAMPLE_RETENTION_CONFIG),
                    "Must be at least " + SETTLE_CONFIG + " plus one hour: samples are needed until the hour they"
                            + " fall in is charged.");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH,
                        "Whether the streams application runs the cost engine next to the rollups.")
                .define(APPLICATION_ID_CONFIG, Type.STRING, null, Importance.MEDIUM,
                        "Kafka Streams application id of the cost engine; unset: the rollups' application.id with"
                                + " -costs appended.")
                .define(AUTO_OFFSET_RESET_CONFIG, Type.STRING, AUTO_OFFSET_RESET_DEFAULT,
                        ConfigDef.ValidString.in("latest", "earliest"), Importance.LOW,
                        "Where a new cost engine (no committed offsets) starts reading: earliest, so that the jobs"
                                + " still on the jobs topic are charged, or latest.")
                .define(CATALOG_FILE_CONFIG, Type.STRING, null, Importance.HIGH,
                        "YAML price catalog and budgets (docs/price-catalog.md); unset: no prices, so every job is"
                                + " counted as unpriced.")
                .define(SETTLE_CONFIG, Type.STRING, SETTLE_DEFAULT, Durations.positiveValidator(), Importance.MEDIUM,
                        "How long after a job's end, or an hour's end, the engine waits for late events and samples"
                                + " before it writes the job's cost or the hour's figures.")
                .define(IDLE_TIMEOUT_CONFIG, Type.STRING, IDLE_TIMEOUT_DEFAULT, Durations.positiveValidator(),
                        Importance.LOW, "When no record has arrived for this long, the engine's clock follows the"
                                + " wall clock minus this, so hours close and costs are written in quiet times.")
                .define(PUNCTUATE_INTERVAL_CONFIG, Type.STRING, PUNCTUATE_INTERVAL_DEFAULT, Durations.positiveValidator(),
                        Importance.LOW, "How often (wall clock) ended jobs and closed hours are charged.")
                .define(MAX_RUN_DURATION_CONFIG, Type.STRING, MAX_RUN_DURATION_DEFAULT, Durations.positiveValidator(),
                        Importance.MEDIUM, "The most GPU time one run of a job is charged for; a longer run (or one"
                                + " that never ends) is marked duration_exceeds_max.")
                .define(SAMPLE_RETENTION_CONFIG, Type.STRING, SAMPLE_RETENTION_DEFAULT, Durations.validator(),
                        Importance.LOW, "How long energy and per-process samples are kept for charging.")
                .define(JOB_RETENTION_CONFIG, Type.STRING, JOB_RETENTION_DEFAULT, Durations.validator(),
                        Importance.LOW, "How long a charged job is remembered, so that a redelivered or late event"
                                + " for it is recognised instead of charged again.")
                .define(BUDGET_EMIT_INTERVAL_CONFIG, Type.STRING, BUDGET_EMIT_INTERVAL_DEFAULT,
                        Durations.positiveValidator(), Importance.LOW, "How often budget_used_percent is published per"
                                + " project and period, so that budget alerts stay fresh (alerts.staleness).")
                .define(WINDOW_JOBS_CONFIG, Type.INT, WINDOW_JOBS_DEFAULT, ConfigDef.Range.atLeast(1),
                        Importance.LOW, "How many recent completed jobs the rolling estimate accuracy and measured"
                                + " throughput (provider comparison) are computed from, per analysis type and GPU"
                                + " type.")
                .define(VIEW_RETENTION_CONFIG, Type.STRING, VIEW_RETENTION_DEFAULT, Durations.positiveValidator(),
                        Importance.LOW, "How long the cost records stay in the engine's stores for the REST API's"
                                + " /costs views (counted from the hour, the job's end, the time computed or a budget"
                                + " period's end); older figures are in InfluxDB and the S3 archive.");
    }

    public boolean enabled() {
        return getBoolean(ENABLED_CONFIG);
    }

    /** The cost engine's application id: the configured one, or {@code rollupApplicationId-costs}. */
    public String applicationId(String rollupApplicationId) {
        String id = getString(APPLICATION_ID_CONFIG);
        return id == null || id.isBlank() ? rollupApplicationId + "-costs" : id;
    }

    public AutoOffsetReset autoOffsetReset() {
        return "earliest".equals(getString(AUTO_OFFSET_RESET_CONFIG)) ? AutoOffsetReset.earliest()
                : AutoOffsetReset.latest();
    }

    /** The catalog file, or null: no prices. */
    public Path catalogFile() {
        String file = getString(CATALOG_FILE_CONFIG);
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    /**
     * The catalog of {@link #CATALOG_FILE_CONFIG}, or {@link PriceCatalog#empty()} when unset.
     *
     * @throws ConfigException naming the file, entry and field when the catalog is invalid
     */
    public PriceCatalog catalog() {
        Path file = catalogFile();
        if (file == null) {
            return PriceCatalog.empty();
        }
        try {
            return PriceCatalog.load(file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CATALOG_FILE_CONFIG, file.toString(), e.getMessage());
        }
    }

    public Duration settle() {
        return duration(SETTLE_CONFIG);
    }

    public Duration idleTimeout() {
        return duration(IDLE_TIMEOUT_CONFIG);
    }

    public Duration punctuateInterval() {
        return duration(PUNCTUATE_INTERVAL_CONFIG);
    }

    public Duration maxRunDuration() {
        return duration(MAX_RUN_DURATION_CONFIG);
    }

    public Duration sampleRetention() {
        return duration(SAMPLE_RETENTION_CONFIG);
    }

    public Duration jobRetention() {
        return duration(JOB_RETENTION_CONFIG);
    }

    public Duration budgetEmitInterval() {
        return duration(BUDGET_EMIT_INTERVAL_CONFIG);
    }

    public Duration viewRetention() {
        return duration(VIEW_RETENTION_CONFIG);
    }

    public int windowJobs() {
        return getInt(WINDOW_JOBS_CONFIG);
    }

    private Duration duration(String key) {
        return Durations.parse(getString(key));
    }
}
