package com.aima.metrics.rollup;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.RollupTier;
import java.time.Duration;

/** The rollup tiers, finest first, with their output topic, stores and retention (seed 004 section 4.1). */
public enum Tier {
    HOUR("1h", RollupTier.HOUR, Topics.ROLLUPS_HOUR, Topics.HOUR_RETENTION),
    DAY("1d", RollupTier.DAY, Topics.ROLLUPS_DAY, Topics.DAY_RETENTION),
    MONTH("1mo", RollupTier.MONTH, Topics.ROLLUPS_MONTH, Topics.MONTH_RETENTION),
    YEAR("1y", RollupTier.YEAR, Topics.ROLLUPS_YEAR, null);

    private final String label;
    private final RollupTier schemaTier;
    private final String topic;
    private final Duration retention;

    Tier(String label, RollupTier schemaTier, String topic, Duration retention) {
        this.label = label;
        this.schemaTier = schemaTier;
        this.topic = topic;
        this.retention = retention;
    }

    /** Short name used in topic, store and config names: 1h, 1d, 1mo, 1y. */
    public String label() {
        return label;
    }

    public RollupTier schemaTier() {
        return schemaTier;
    }

    public String topic() {
        return topic;
    }

    /** How long closed windows are kept for corrections and on the topic; null for unlimited. */
    public Duration retention() {
        return retention;
    }

    /** Store of the tier's windows that are still open. */
    public String openStore() {
        return "rollup-" + label + "-open";
    }

    /** Store of the tier's closed windows, kept for late-data corrections for {@link #retention()}. */
    public String closedStore() {
        return "rollup-" + label + "-closed";
    }

    /** Name of the sink node writing this tier's topic. */
    public String sinkName() {
        return "rollups-" + label + "-sink";
    }

    /** The next coarser tier, or null for {@link #YEAR}. */
    public Tier coarser() {
        return this == YEAR ? null : values()[ordinal() + 1];
    }
}
