package com.aima.metrics.alert;

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
 * Settings of the alert engine ({@code alerts.*}). Durations are written 500ms, 10s, 5m, 1h or ISO-8601. The engine
 * runs as its own Kafka Streams application ({@code alerts.application.id}) with short commits, so that an alert is
 * on its topic within a fraction of a second and rollup load never delays it.
 */
public final class AlertConfig extends AbstractConfig {

    public static final String PREFIX = "alerts.";

    public static final String ENABLED_CONFIG = PREFIX + "enabled";
    public static final String APPLICATION_ID_CONFIG = PREFIX + "application.id";
    public static final String COMMIT_INTERVAL_CONFIG = PREFIX + "commit.interval.ms";
    public static final long COMMIT_INTERVAL_DEFAULT = 100;
    public static final String AUTO_OFFSET_RESET_CONFIG = PREFIX + "auto.offset.reset";
    public static final String AUTO_OFFSET_RESET_DEFAULT = "latest";
    public static final String RULES_FILE_CONFIG = PREFIX + "rules.file";
    public static final String RULES_RELOAD_INTERVAL_CONFIG = PREFIX + "rules.reload.interval";
    public static final String RULES_RELOAD_INTERVAL_DEFAULT = "5s";
    public static final String PUNCTUATE_INTERVAL_CONFIG = PREFIX + "punctuate.interval";
    public static final String PUNCTUATE_INTERVAL_DEFAULT = "1s";
    public static final String STALENESS_CONFIG = PREFIX + "staleness";
    public static final String STALENESS_DEFAULT = "5m";
    public static final String ERROR_RATE_WINDOW_CONFIG = PREFIX + "error.rate.window";
    public static final String ERROR_RATE_WINDOW_DEFAULT = "5m";
    public static final String ERROR_RATE_EMIT_INTERVAL_CONFIG = PREFIX + "error.rate.emit.interval";
    public static final String ERROR_RATE_EMIT_INTERVAL_DEFAULT = "30s";

    private static final ConfigDef CONFIG = configDef();

    public AlertConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH,
                        "Whether the streams application runs the alert engine next to the rollups.")
                .define(APPLICATION_ID_CONFIG, Type.STRING, null, Importance.MEDIUM,
                        "Kafka Streams application id of the alert engine (its consumer group, state and internal"
                                + " topics); unset: the rollups' application.id with -alerts appended.")
                .define(COMMIT_INTERVAL_CONFIG, Type.LONG, COMMIT_INTERVAL_DEFAULT, ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM, "Commit interval of the alert engine: with exactly-once an alert is"
                                + " visible on its topic only after the commit, so this bounds its latency.")
                .define(AUTO_OFFSET_RESET_CONFIG, Type.STRING, AUTO_OFFSET_RESET_DEFAULT,
                        ConfigDef.ValidString.in("latest", "earliest"), Importance.LOW,
                        "Where a new alert engine (no committed offsets) starts reading: latest, so that a first"
                                + " start does not alert on the past day's data, or earliest.")
                .define(RULES_FILE_CONFIG, Type.STRING, null, Importance.HIGH,
                        "YAML file of alert rules, read again when it changes; unset: the shipped defaults ("
                                + AlertRules.DEFAULTS_RESOURCE + ").")
                .define(RULES_RELOAD_INTERVAL_CONFIG, Type.STRING, RULES_RELOAD_INTERVAL_DEFAULT, Durations.positiveValidator(),
                        Importance.LOW, "How often the rules file is checked for changes.")
                .define(PUNCTUATE_INTERVAL_CONFIG, Type.STRING, PUNCTUATE_INTERVAL_DEFAULT, Durations.positiveValidator(),
                        Importance.LOW, "How often (wall clock) alerts are checked for firing, resolving and silence"
                                + " when no record arrives.")
                .define(STALENESS_CONFIG, Type.STRING, STALENESS_DEFAULT, Durations.validator(), Importance.MEDIUM,
                        "How long a series' last sample stays valid: a firing alert whose series has sent nothing"
                                + " for this long resolves (Prometheus' lookback delta).")
                .define(ERROR_RATE_WINDOW_CONFIG, Type.STRING, ERROR_RATE_WINDOW_DEFAULT, Durations.positiveValidator(),
                        Importance.MEDIUM, "Sliding window of job_error_rate_percent: failed ÷ finished jobs.")
                .define(ERROR_RATE_EMIT_INTERVAL_CONFIG, Type.STRING, ERROR_RATE_EMIT_INTERVAL_DEFAULT,
                        Durations.positiveValidator(), Importance.LOW, "How often job_error_rate_percent is published when no"
                                + " job finishes, so that the window slides past old failures.");
    }

    public boolean enabled() {
        return getBoolean(ENABLED_CONFIG);
    }

    /** The alert engine's application id: the configured one, or {@code rollupApplicationId-alerts}. */
    public String applicationId(String rollupApplicationId) {
        String id = getString(APPLICATION_ID_CONFIG);
        return id == null || id.isBlank() ? rollupApplicationId + "-alerts" : id;
    }

    public long commitIntervalMs() {
        return getLong(COMMIT_INTERVAL_CONFIG);
    }

    public AutoOffsetReset autoOffsetReset() {
        return "earliest".equals(getString(AUTO_OFFSET_RESET_CONFIG)) ? AutoOffsetReset.earliest()
                : AutoOffsetReset.latest();
    }

    /** The rules file, or null for the shipped defaults. */
    public Path rulesFile() {
        String file = getString(RULES_FILE_CONFIG);
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    public Duration rulesReloadInterval() {
        return duration(RULES_RELOAD_INTERVAL_CONFIG);
    }

    public Duration punctuateInterval() {
        return duration(PUNCTUATE_INTERVAL_CONFIG);
    }

    public Duration staleness() {
        return duration(STALENESS_CONFIG);
    }

    public Duration errorRateWindow() {
        return duration(ERROR_RATE_WINDOW_CONFIG);
    }

    public Duration errorRateEmitInterval() {
        return duration(ERROR_RATE_EMIT_INTERVAL_CONFIG);
    }

    private Duration duration(String key) {
        return Durations.parse(getString(key));
    }
}
