package com.aima.metrics.influx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** InfluxQL against a test server, answers as rows of column → value (numbers as Double, time as RFC 3339 text). */
final class InfluxQueries implements AutoCloseable {

    /** {@link #retentionPolicies} of a database the sink created with the default durations, in InfluxDB's order. */
    static final Map<String, List<Object>> DEFAULT_POLICIES = defaultPolicies();

    private final InfluxDB influx;
    private final String database;

    InfluxQueries(String url, String database) {
        this.influx = InfluxDBFactory.connect(url);
        this.database = database;
    }

    InfluxDB client() {
        return influx;
    }

    /**
     * The rows of every series {@code influxql} returns, each with its series' tags (GROUP BY) and its columns.
     *
     * @throws IllegalStateException when InfluxDB answers with an error
     */
    List<Map<String, Object>> rows(String influxql) {
        QueryResult result = influx.query(new Query(influxql, database));
        if (result.hasError()) {
            throw new IllegalStateException(influxql + ": " + result.getError());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueryResult.Result statement : result.getResults()) {
            if (statement.hasError()) {
                throw new IllegalStateException(influxql + ": " + statement.getError());
            }
            if (statement.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : statement.getSeries()) {
                for (List<Object> values : series.getValues()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    if (series.getTags() != null) {
                        row.putAll(series.getTags());
                    }
                    for (int i = 0; i < values.size(); i++) {
                        row.put(series.getColumns().get(i), values.get(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** The one number {@code influxql} returns in {@code column}, or 0 when it returns no row. */
    double number(String influxql, String column) {
        List<Map<String, Object>> rows = rows(influxql);
        if (rows.isEmpty()) {
            return 0;
        }
        if (rows.size() > 1) {
            throw new IllegalStateException(influxql + " returned " + rows.size() + " rows: " + rows);
        }
        return ((Number) rows.get(0).get(column)).doubleValue();
    }

    /** name → [duration, default] of the database's retention policies. */
    Map<String, List<Object>> retentionPolicies() {
        Map<String, List<Object>> policies = new LinkedHashMap<>();
        for (Map<String, Object> row : rows("SHOW RETENTION POLICIES ON \"" + database + "\"")) {
            policies.put((String) row.get("name"), List.of(row.get("duration"), row.get("default")));
        }
        return policies;
    }

    private static Map<String, List<Object>> defaultPolicies() {
        Map<String, List<Object>> policies = new LinkedHashMap<>();
        policies.put("raw", List.of("24h0m0s", true));
        policies.put("rollup_1h", List.of("168h0m0s", false));
        policies.put("rollup_1d", List.of("720h0m0s", false));
        policies.put("rollup_1mo", List.of("8736h0m0s", false));
        policies.put("rollup_1y", List.of("0s", false));
        policies.put("costs", List.of("8784h0m0s", false));
        policies.put("alerts", List.of("720h0m0s", false));
        return Collections.unmodifiableMap(policies);
    }

    @Override
    public void close() {
        influx.close();
    }
}
