package com.aima.metrics.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.aima.metrics.influx.InfluxSchema;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The provisioning files and dashboards are what Grafana can load, and hang together. */
class DashboardStructureTest {

    private static final Pattern RETENTION_POLICY = Pattern.compile("FROM \"(\\w+)\"\\.\"\\w+\"");
    private static final Set<String> RETENTION_POLICIES = Arrays.stream(InfluxSchema.RetentionPolicy.values())
            .map(InfluxSchema.RetentionPolicy::policyName).collect(Collectors.toSet());

    private final GrafanaFiles files = GrafanaFiles.locate();
    private final List<Dashboard> dashboards = files.dashboards();

    @Test
    void datasourceIsTheAimaInfluxDbWithCredentialsFromTheEnvironment() {
        JsonNode datasource = files.datasource();

        assertThat(files.datasourceProvisioning().path("apiVersion").asInt()).isEqualTo(1);
        assertThat(datasource.path("type").asText()).isEqualTo("influxdb");
        assertThat(datasource.path("uid").asText()).isNotBlank();
        assertThat(datasource.path("url").asText()).isEqualTo("http://influxdb:8086");
        assertThat(datasource.path("jsonData").path("version").asText()).isEqualTo("InfluxQL");
        assertThat(datasource.path("jsonData").path("dbName").asText()).isEqualTo(InfluxSchema.DEFAULT_DATABASE);
        assertThat(datasource.path("user").asText()).isEqualTo("$INFLUXDB_USER");
        assertThat(datasource.path("secureJsonData").path("password").asText()).isEqualTo("$INFLUXDB_PASSWORD");
    }

    @Test
    void dashboardProviderReadsTheMountedFolder() {
        JsonNode providers = files.dashboardProvisioning().path("providers");

        assertThat(files.dashboardProvisioning().path("apiVersion").asInt()).isEqualTo(1);
        assertThat(providers).hasSize(1);
        assertThat(providers.get(0).path("type").asText()).isEqualTo("file");
        assertThat(providers.get(0).path("options").path("path").asText()).isEqualTo(GrafanaFiles.DASHBOARDS_MOUNT);
    }

    @Test
    void theThreeDashboardsOfTheSpecificationAreThereWithUniqueUids() {
        assertThat(dashboards).extracting(Dashboard::file).containsExactly("admin.json", "finance.json", "user.json");
        assertThat(dashboards).extracting(Dashboard::uid).doesNotHaveDuplicates().allMatch(uid -> !uid.isBlank());
        assertThat(dashboards).allSatisfy(dashboard -> {
            assertThat(dashboard.title()).isNotBlank();
            assertThat(dashboard.json().path("schemaVersion").asInt()).isBetween(36, 41);
            assertThat(dashboard.dataPanels()).isNotEmpty();
        });
    }

    @Test
    void everyPanelAndTargetUsesTheProvisionedDatasourceWithARawQuery() {
        String uid = files.datasource().path("uid").asText();
        List<String> problems = new ArrayList<>();
        for (Dashboard dashboard : dashboards) {
            for (JsonNode panel : dashboard.dataPanels()) {
                String where = dashboard + " panel '" + panel.path("title").asText() + "'";
                requireDatasource(panel.path("datasource"), uid, where, problems);
                if (panel.path("targets").isEmpty()) {
                    problems.add(where + " has no targets");
                }
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    String refId = target.path("refId").asText();
                    if (!refIds.add(refId)) {
                        problems.add(where + " has the refId " + refId + " twice");
                    }
                    requireDatasource(target.path("datasource"), uid, where + " [" + refId + "]", problems);
                    if (!target.path("rawQuery").asBoolean() || target.path("query").asText().isBlank()) {
                        problems.add(where + " [" + refId + "] is not a raw InfluxQL query");
                    }
                }
            }
            for (JsonNode variable : dashboard.variables()) {
                requireDatasource(variable.path("datasource"), uid,
                        dashboard + " variable $" + variable.path("name").asText(), problems);
            }
            for (JsonNode annotation : dashboard.queryAnnotations()) {
                requireDatasource(annotation.path("datasource"), uid,
                        dashboard + " annotation '" + annotation.path("name").asText() + "'", problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void panelIdsAreUniqueAndPanelsTileTheGridWithoutOverlapping() {
        List<String> problems = new ArrayList<>();
        for (Dashboard dashboard : dashboards) {
            Set<Integer> ids = new HashSet<>();
            List<int[]> placed = new ArrayList<>();
            for (JsonNode panel : dashboard.panels()) {
                String where = dashboard + " panel '" + panel.path("title").asText() + "'";
                if (!panel.path("id").isInt() || !ids.add(panel.path("id").asInt())) {
                    problems.add(where + " has a missing or repeated id " + panel.path("id"));
                }
                JsonNode grid = panel.path("gridPos");
                if (!(grid.path("x").isInt() && grid.path("y").isInt() && grid.path("w").isInt()
                        && grid.path("h").isInt())) {
                    problems.add(where + " has no complete gridPos (x, y, w, h)");
                    continue;
                }
                int[] box = {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
                        grid.path("h").asInt()};
                if (box[0] < 0 || box[2] < 1 || box[3] < 1 || box[0] + box[2] > 24) {
                    problems.add(where + " does not fit the 24-column grid: " + grid);
                }
                for (int[] other : placed) {
                    if (box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                            && box[1] < other[1] + other[3] && other[1] < box[1] + box[3]) {
                        problems.add(where + " overlaps another panel at " + grid);
                    }
                }
                placed.add(box);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableAQueryUsesIsDefinedBeforeUseAndMultiValueOnesOnlyInRegularExpressions() {
        List<String> problems = new ArrayList<>();
        for (Dashboard dashboard : dashboards) {
            Set<String> defined = new HashSet<>();
            Set<String> regex = new HashSet<>();
            for (JsonNode variable : dashboard.variables()) {
                String name = variable.path("name").asText();
                String where = dashboard + " variable $" + name;
                checkVariables(variable.path("query").asText(), where, defined, regex, problems);
                if (!variable.path("type").asText().equals("query")) {
                    problems.add(where + " is not a query variable");
                }
                defined.add(name);
                if (variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean()) {
                    regex.add(name);
                }
            }
            for (Dashboard.Query query : dashboard.queries()) {
                checkVariables(query.text(), query.toString(), defined, regex, problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyQueryIsBoundInTimeAndReadsAKnownRetentionPolicy() {
        List<String> problems = new ArrayList<>();
        for (Dashboard dashboard : dashboards) {
            for (Dashboard.Query query : dashboard.queries()) {
                String text = query.text();
                if (!text.contains("$timeFilter") && !text.contains("now()")) {
                    problems.add(query + " has neither $timeFilter nor a time bound on now(): " + text);
                }
                Matcher from = RETENTION_POLICY.matcher(text);
                boolean any = false;
                while (from.find()) {
                    any = true;
                    if (!RETENTION_POLICIES.contains(from.group(1))) {
                        problems.add(query + " reads the unknown retention policy " + from.group(1));
                    }
                }
                if (!any) {
                    problems.add(query + " does not name a retention policy (FROM \"rp\".\"measurement\")");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyTimeRangeAndIntervalIsOneGrafanaUnderstands() {
        Instant now = Instant.now();
        assertThat(dashboards).allSatisfy(dashboard -> {
            assertThatCode(() -> GrafanaMacros.relativeStart(dashboard.timeFrom(), now)).doesNotThrowAnyException();
            assertThat(dashboard.json().path("time").path("to").asText()).isEqualTo("now");
            for (Dashboard.Query query : dashboard.queries()) {
                query.timeShift().ifPresent(shift -> assertThatCode(() -> GrafanaMacros.duration(shift))
                        .as(query + " timeFrom").doesNotThrowAnyException());
                query.minInterval().ifPresent(interval -> assertThatCode(() -> GrafanaMacros.duration(interval))
                        .as(query + " interval").doesNotThrowAnyException());
            }
        });
    }

    private static void checkVariables(String query, String where, Set<String> defined, Set<String> regex,
                                       List<String> problems) {
        for (String name : GrafanaMacros.variablesUsed(query)) {
            if (!defined.contains(name)) {
                problems.add(where + " uses $" + name + ", which is not defined before it");
            } else if (regex.contains(name) && GrafanaMacros.variablesUsed(
                    query.replace("=~ /^$" + name + "$/", "")).contains(name)) {
                problems.add(where + " uses the multi-value $" + name + " outside =~ /^$" + name + "$/");
            }
        }
    }

    private static void requireDatasource(JsonNode datasource, String uid, String where, List<String> problems) {
        if (!datasource.path("type").asText().equals("influxdb") || !datasource.path("uid").asText().equals(uid)) {
            problems.add(where + " does not use the provisioned data source " + uid + ": " + datasource);
        }
    }
}
