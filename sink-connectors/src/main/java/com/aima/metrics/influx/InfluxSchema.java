package com.aima.metrics.influx;

import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.RollupTier;
import java.util.Locale;

/**
 * The InfluxDB schema the sink writes and the Grafana dashboards query: the database, the retention policies with
 * their default durations, and the measurement, tag and field names. See {@code docs/influxdb-sink.md}.
 */
public final class InfluxSchema {

    /** Database written when {@code influxdb.database} is not set. */
    public static final String DEFAULT_DATABASE = "aima";

    /** Measurement of every {@code AlertEvent}. */
    public static final String ALERTS_MEASUREMENT = "alerts";
    /** Prefix of the cost measurements: {@code cost_<kind in lower case>}. */
    public static final String COST_MEASUREMENT_PREFIX = "cost_";
    /** Prefix given to a label whose name is {@code time} or clashes with a field or fixed tag of its measurement. */
    public static final String LABEL_PREFIX = "label_";

    // Fields of raw metrics and rollups.
    public static final String VALUE = "value";
    public static final String COUNT = "count";
    public static final String SUM = "sum";
    public static final String MIN = "min";
    public static final String MAX = "max";
    public static final String AVG = "avg";
    public static final String P50 = "p50";
    public static final String P95 = "p95";
    public static final String P99 = "p99";
    public static final String REVISION = "revision";
    public static final String FINAL = "final";

    // Tags and fields of cost records.
    public static final String PROJECT = "project";
    public static final String PROVIDER = "provider";
    public static final String GPU_TYPE = "gpu_type";
    public static final String ANALYSIS_TYPE = "analysis_type";
    public static final String JOB_ID = "job_id";
    public static final String CURRENCY = "currency";
    public static final String PRICED = "priced";
    public static final String AMOUNT = "amount";
    public static final String AMOUNT_MICROS = "amount_micros";
    public static final String GPU_SECONDS = "gpu_seconds";
    public static final String RATIO = "ratio";
    public static final String ESTIMATE = "estimate";
    public static final String ESTIMATE_MICROS = "estimate_micros";
    public static final String ENERGY_JOULES = "energy_joules";

    // Tags and fields of alerts.
    public static final String RULE = "rule";
    public static final String SEVERITY = "severity";
    public static final String STATE = "state";
    public static final String METRIC = "metric";
    public static final String FINGERPRINT = "fingerprint";
    public static final String THRESHOLD = "threshold";
    public static final String SUMMARY = "summary";
    public static final String FIRING = "firing";

    /** The name InfluxQL gives the time column; a label may not take it. */
    public static final String TIME = "time";

    private InfluxSchema() {
    }

    /**
     * The retention policies of the database, with their default durations (InfluxQL duration literals; {@code INF}
     * keeps data forever). The names are fixed; the durations are set by {@code influxdb.retention.<name>}.
     */
    public enum RetentionPolicy {
        /** Raw samples, 24 h; the database's DEFAULT policy. */
        RAW("raw", "24h"),
        ROLLUP_1H("rollup_1h", "7d"),
        ROLLUP_1D("rollup_1d", "30d"),
        ROLLUP_1MO("rollup_1mo", "52w"),
        ROLLUP_1Y("rollup_1y", "INF"),
        COSTS("costs", "366d"),
        ALERTS("alerts", "30d");

        private final String policyName;
        private final String defaultDuration;

        RetentionPolicy(String policyName, String defaultDuration) {
            this.policyName = policyName;
            this.defaultDuration = defaultDuration;
        }

        /** The policy's name in InfluxDB, for example {@code rollup_1h}. */
        public String policyName() {
            return policyName;
        }

        /** The duration used when {@code influxdb.retention.<name>} is not set, as an InfluxQL literal. */
        public String defaultDuration() {
            return defaultDuration;
        }

        /** Whether this is the database's DEFAULT policy (queries without a policy read it). */
        public boolean isDefault() {
            return this == RAW;
        }

        /** The policy holding the rollups of {@code tier}. */
        public static RetentionPolicy of(RollupTier tier) {
            return switch (tier) {
                case HOUR -> ROLLUP_1H;
                case DAY -> ROLLUP_1D;
                case MONTH -> ROLLUP_1MO;
                case YEAR -> ROLLUP_1Y;
            };
        }
    }

    /** The measurement of cost records of {@code kind}, for example {@code cost_device_hour}. */
    public static String costMeasurement(CostKind kind) {
        return COST_MEASUREMENT_PREFIX + kind.name().toLowerCase(Locale.ROOT);
    }
}
