package com.aima.metrics.rollup;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the rollup topology. Durations are ISO-8601 ({@code PT10M}). Defaults follow seed 004 section 4.1:
 * hourly, daily, calendar-monthly and calendar-yearly windows (UTC) with 1% quantile accuracy.
 */
public final class RollupConfig extends AbstractConfig {

    public static final String PREFIX = "rollup.";

    public static final String SKETCH_RELATIVE_ACCURACY_CONFIG = PREFIX + "sketch.relative.accuracy";
    public static final double SKETCH_RELATIVE_ACCURACY_DEFAULT = 0.01;
    public static final String SKETCH_MAX_BINS_CONFIG = PREFIX + "sketch.max.bins";
    public static final int SKETCH_MAX_BINS_DEFAULT = 2048;

    /** {@code rollup.<tier>.window}, for example {@code rollup.1h.window}. */
    public static String windowConfig(Tier tier) {
        return PREFIX + tier.label() + ".window";
    }

    /** {@code rollup.<tier>.grace}, for example {@code rollup.1h.grace}. */
    public static String graceConfig(Tier tier) {
        return PREFIX + tier.label() + ".grace";
    }

    public static final Map<Tier, String> WINDOW_DEFAULTS = Map.of(
            Tier.HOUR, "PT1H", Tier.DAY, "P1D", Tier.MONTH, "calendar-month", Tier.YEAR, "calendar-year");
    public static final String GRACE_DEFAULT = "PT10M";

    public static final String IDLE_TIMEOUT_CONFIG = PREFIX + "idle.timeout";
    public static final String IDLE_TIMEOUT_DEFAULT = "PT1M";
    public static final String PUNCTUATE_INTERVAL_CONFIG = PREFIX + "punctuate.interval";
    public static final String PUNCTUATE_INTERVAL_DEFAULT = "PT10S";
    public static final String EARLY_RESULTS_INTERVAL_CONFIG = PREFIX + "early.results.interval";
    public static final String EARLY_RESULTS_INTERVAL_DEFAULT = "PT0S";
    public static final String MAX_FUTURE_SKEW_CONFIG = PREFIX + "max.future.skew";
    public static final String MAX_FUTURE_SKEW_DEFAULT = "PT5M";
    public static final String RAW_STORE_ENABLED_CONFIG = PREFIX + "raw.store.enabled";
    public static final boolean RAW_STORE_ENABLED_DEFAULT = true;

    private static final ConfigDef CONFIG = configDef();

    private final Map<Tier, WindowScheme> windows = new EnumMap<>(Tier.class);
    private final Map<Tier, Duration> graces = new EnumMap<>(Tier.class);

    public RollupConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        for (Tier tier : Tier.values()) {
            windows.put(tier, WindowScheme.parse(getString(windowConfig(tier))));
            graces.put(tier, duration(graceConfig(tier)));
        }
        for (Tier tier = Tier.HOUR; tier.coarser() != null; tier = tier.coarser()) {
            Tier coarser = tier.coarser();
            if (!windows.get(tier).nestsIn(windows.get(coarser))) {
                throw new ConfigException(windowConfig(coarser), getString(windowConfig(coarser)),
                        "Windows of " + coarser.label() + " must be made of whole " + tier.label() + " windows ("
                                + windowConfig(tier) + "=" + getString(windowConfig(tier)) + ").");
            }
            if (graces.get(coarser).compareTo(graces.get(tier)) < 0) {
                throw new ConfigException(graceConfig(coarser), getString(graceConfig(coarser)),
                        "The grace of " + coarser.label() + " must be at least that of " + tier.label() + " ("
                                + getString(graceConfig(tier)) + "), so that a window closes after its parts.");
            }
        }
    }

    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef()
                .define(SKETCH_RELATIVE_ACCURACY_CONFIG, Type.DOUBLE, SKETCH_RELATIVE_ACCURACY_DEFAULT,
                        ConfigDef.LambdaValidator.with((name, value) -> {
                            double accuracy = (Double) value;
                            if (!(accuracy > 0 && accuracy < 1)) {
                                throw new ConfigException(name, value, "Relative accuracy must be in (0, 1).");
                            }
                        }, () -> "(0, 1)"),
                        Importance.MEDIUM, "Relative accuracy of p50, p95 and p99: 0.01 means within 1% of the exact"
                                + " value.")
                .define(SKETCH_MAX_BINS_CONFIG, Type.INT, SKETCH_MAX_BINS_DEFAULT, ConfigDef.Range.atLeast(16),
                        Importance.LOW, "Maximum bins per sketch and sign; beyond it the lowest bins collapse.")
                .define(IDLE_TIMEOUT_CONFIG, Type.STRING, IDLE_TIMEOUT_DEFAULT, durationValidator(),
                        Importance.MEDIUM, "When a partition has had no record for this long, its clock follows the"
                                + " wall clock minus this delay, so windows of silent series close.")
                .define(PUNCTUATE_INTERVAL_CONFIG, Type.STRING, PUNCTUATE_INTERVAL_DEFAULT, durationValidator(),
                        Importance.LOW, "How often (wall clock) windows are checked for closing, early results"
                                + " emitted and expired state purged.")
                .define(EARLY_RESULTS_INTERVAL_CONFIG, Type.STRING, EARLY_RESULTS_INTERVAL_DEFAULT,
                        durationValidator(), Importance.MEDIUM, "Emit early (non-final) results of open windows this"
                                + " often, for dashboards; PT0S (default) emits final results only.")
                .define(MAX_FUTURE_SKEW_CONFIG, Type.STRING, MAX_FUTURE_SKEW_DEFAULT, durationValidator(),
                        Importance.MEDIUM, "Events further than this ahead of the wall clock are dead-lettered.")
                .define(RAW_STORE_ENABLED_CONFIG, Type.BOOLEAN, RAW_STORE_ENABLED_DEFAULT, Importance.MEDIUM,
                        "Keep every valid raw point of the last 24 h in a changelogged window store ("
                                + RawPoints.STORE + "), which the REST API's /metrics/raw reads; false saves the"
                                + " store's disk and changelog traffic, and /metrics/raw answers 404.");
        for (Tier tier : Tier.values()) {
            def.define(windowConfig(tier), Type.STRING, WINDOW_DEFAULTS.get(tier),
                    ConfigDef.LambdaValidator.with((name, value) -> {
                        try {
                            WindowScheme.parse((String) value);
                        } catch (IllegalArgumentException e) {
                            throw new ConfigException(name, value, e.getMessage());
                        }
                    }, () -> "calendar-month, calendar-year or an ISO-8601 duration"),
                    Importance.MEDIUM, "Windows of the " + tier.label() + " tier.");
            def.define(graceConfig(tier), Type.STRING, GRACE_DEFAULT, durationValidator(), Importance.MEDIUM,
                    "How long after its end a " + tier.label() + " window waits for late records before its final"
                            + " result; later records go to the late topic and correct the window.");
        }
        return def;
    }

    public WindowScheme window(Tier tier) {
        return windows.get(tier);
    }

    public Duration grace(Tier tier) {
        return graces.get(tier);
    }

    public double sketchRelativeAccuracy() {
        return getDouble(SKETCH_RELATIVE_ACCURACY_CONFIG);
    }

    public int sketchMaxBins() {
        return getInt(SKETCH_MAX_BINS_CONFIG);
    }

    public Duration idleTimeout() {
        return duration(IDLE_TIMEOUT_CONFIG);
    }

    public Duration punctuateInterval() {
        Duration interval = duration(PUNCTUATE_INTERVAL_CONFIG);
        if (interval.isZero()) {
            throw new ConfigException(PUNCTUATE_INTERVAL_CONFIG, getString(PUNCTUATE_INTERVAL_CONFIG),
                    "The punctuation interval must be positive.");
        }
        return interval;
    }

    public Duration earlyResultsInterval() {
        return duration(EARLY_RESULTS_INTERVAL_CONFIG);
    }

    public boolean rawStoreEnabled() {
        return getBoolean(RAW_STORE_ENABLED_CONFIG);
    }

    public Duration maxFutureSkew() {
        return duration(MAX_FUTURE_SKEW_CONFIG);
    }

    private Duration duration(String key) {
        return Duration.parse(getString(key).trim());
    }

    private static ConfigDef.Validator durationValidator() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            try {
                if (Duration.parse(((String) value).trim()).isNegative()) {
                    throw new ConfigException(name, value, "A duration must not be negative.");
                }
            } catch (DateTimeParseException | NullPointerException e) {
                throw new ConfigException(name, value, "Not an ISO-8601 duration such as PT10M.");
            }
        }, () -> "ISO-8601 duration, for example PT10M");
    }
}
