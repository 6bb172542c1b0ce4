package com.aima.metrics.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.dashboards.GrafanaMacros.Value;
import com.aima.metrics.devstack.InfluxServer;
import com.aima.metrics.influx.InfluxSchema;
import com.aima.metrics.testing.RecordingSinkTaskContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every query of every dashboard, as Grafana would send it, against a real InfluxDB (Debian's influxd 1.6)
 * filled with the pipeline's records ({@link DashboardDataSet}) through the InfluxDB sink ({@link InfluxFill}), which
 * must accept every one of them and creates the database and its retention policies: every template
 * variable's query must list values, and every panel target and annotation must answer without an error and with at
 * least one value in each of its columns. Macros are expanded as Grafana does: {@code $timeFilter} from the panel's
 * relative time or the dashboard's range, {@code $__interval} from the panel's minimum interval or
 * {@value #DEFAULT_INTERVAL}, variables from their own queries (All for multi-value ones, the first value otherwise).
 */
class DashboardQueriesIT {

    private static final String DEFAULT_INTERVAL = "1h";

    @TempDir
    static Path dir;

    private static InfluxServer server;
    private static InfluxHttp influx;
    private static int points;

    @BeforeAll
    static void fill() throws IOException {
        server = InfluxServer.start(dir, 0);
        influx = new InfluxHttp(server.url(), InfluxSchema.DEFAULT_DATABASE);
        List<SpecificRecord> records = DashboardDataSet.build(Instant.now().truncatedTo(ChronoUnit.MINUTES));
        List<RecordingSinkTaskContext.Reported> refused = new InfluxFill(server.url()).write(records);
        assertThat(refused).as("records of the data set the InfluxDB sink refused, with its reasons")
                .extracting(reported -> reported.record().topic() + "@" + reported.record().kafkaOffset() + ": "
                        + reported.error().getMessage())
                .isEmpty();
        points = records.size();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyVariablePanelAndAnnotationQueryReturnsData() throws IOException {
        Instant now = Instant.now();
        List<String> failures = new ArrayList<>();
        int queries = 0;
        for (Dashboard dashboard : GrafanaFiles.locate().dashboards()) {
            Instant from = GrafanaMacros.relativeStart(dashboard.timeFrom(), now);
            Map<String, Value> variables = variables(dashboard, from, now, failures);
            for (Dashboard.Query query : dashboard.queries()) {
                queries++;
                Instant start = query.timeShift().map(shift -> GrafanaMacros.relativeStart(shift, now)).orElse(from);
                Duration interval = GrafanaMacros.duration(query.minInterval().orElse(DEFAULT_INTERVAL));
                String expanded;
                try {
                    expanded = GrafanaMacros.expand(query.text(), start, now, interval, variables);
                } catch (IllegalArgumentException e) {
                    failures.add(query + ": " + e.getMessage());
                    continue;
                }
                InfluxHttp.Result result = influx.query(expanded);
                if (result.error() != null) {
                    failures.add(query + ": InfluxDB error: " + result.error() + "\n    " + expanded);
                } else if (result.nonNullValues() == 0) {
                    failures.add(query + ": no data\n    " + expanded);
                } else if (!result.emptyColumns().isEmpty()) {
                    failures.add(query + ": no value in the column(s) " + result.emptyColumns() + "\n    " + expanded);
                }
            }
        }
        System.out.printf("Ran %d dashboard queries against %d points.%n", queries, points);

        assertThat(queries).as("queries found in the dashboards").isPositive();
        assertThat(failures).as("dashboard queries that fail or return nothing, each with the query InfluxDB got")
                .isEmpty();
    }

    /**
     * Each template variable's value, from its own query with the variables before it expanded: every value for a
     * multi-value or include-All variable (the dashboards default to All), the first value otherwise.
     */
    private static Map<String, Value> variables(Dashboard dashboard, Instant from, Instant to, List<String> failures)
            throws IOException {
        Map<String, Value> values = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.variables()) {
            String name = variable.path("name").asText();
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            String where = dashboard.file() + " variable $" + name;
            String expanded;
            try {
                expanded = GrafanaMacros.expand(text, from, to, GrafanaMacros.duration(DEFAULT_INTERVAL), values);
            } catch (IllegalArgumentException e) {
                failures.add(where + ": " + e.getMessage());
                continue;
            }
            InfluxHttp.Result result = influx.query(expanded);
            List<String> found = result.column("value").stream().distinct().sorted().toList();
            if (result.error() != null || found.isEmpty()) {
                failures.add(where + ": " + (result.error() != null ? "InfluxDB error: " + result.error() : "no values")
                        + "\n    " + expanded);
                continue;
            }
            boolean regex = variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean();
            values.put(name, new Value(regex ? found : found.subList(0, 1), regex));
        }
        return values;
    }
}
