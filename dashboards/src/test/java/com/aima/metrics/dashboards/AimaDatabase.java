package com.aima.metrics.dashboards;

import java.io.IOException;
import java.util.List;

/**
 * The InfluxDB schema the dashboards read and the InfluxDB sink writes: database {@value #NAME} and one retention
 * policy per tier (seed 004 section 4.1), plus costs and alerts. Times are UTC.
 */
final class AimaDatabase {

    static final String NAME = "aima";

    /** A retention policy: its name, how long InfluxDB keeps its points, and whether it is the default. */
    record RetentionPolicy(String name, String duration, boolean isDefault) {
    }

    static final RetentionPolicy RAW = new RetentionPolicy("raw", "24h", true);
    static final RetentionPolicy ROLLUP_1H = new RetentionPolicy("rollup_1h", "7d", false);
    static final RetentionPolicy ROLLUP_1D = new RetentionPolicy("rollup_1d", "30d", false);
    static final RetentionPolicy ROLLUP_1MO = new RetentionPolicy("rollup_1mo", "52w", false);
    static final RetentionPolicy ROLLUP_1Y = new RetentionPolicy("rollup_1y", "INF", false);
    static final RetentionPolicy COSTS = new RetentionPolicy("costs", "366d", false);
    static final RetentionPolicy ALERTS = new RetentionPolicy("alerts", "30d", false);

    static final List<RetentionPolicy> RETENTION_POLICIES =
            List.of(RAW, ROLLUP_1H, ROLLUP_1D, ROLLUP_1MO, ROLLUP_1Y, COSTS, ALERTS);

    private AimaDatabase() {
    }

    /** Creates the database and its retention policies; statements that exist already change nothing. */
    static void create(InfluxHttp influx) throws IOException {
        run(influx, "CREATE DATABASE \"" + NAME + "\" WITH DURATION " + RAW.duration() + " REPLICATION 1 NAME \""
                + RAW.name() + "\"");
        for (RetentionPolicy policy : RETENTION_POLICIES) {
            if (policy != RAW) {
                run(influx, "CREATE RETENTION POLICY \"" + policy.name() + "\" ON \"" + NAME + "\" DURATION "
                        + policy.duration() + " REPLICATION 1" + (policy.isDefault() ? " DEFAULT" : ""));
            }
        }
    }

    private static void run(InfluxHttp influx, String statement) throws IOException {
        InfluxHttp.Result result = influx.query(statement);
        if (result.error() != null) {
            throw new IOException(statement + " failed: " + result.error());
        }
    }
}
