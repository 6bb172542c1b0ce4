package com.aima.metrics.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One Grafana dashboard file: its panels (rows flattened), template variables, annotations and their queries. */
record Dashboard(String file, JsonNode json) {

    String title() {
        return json.path("title").asText();
    }

    String uid() {
        return json.path("uid").asText();
    }

    /** The dashboard's default time range start, for example {@code now-6h}. */
    String timeFrom() {
        return json.path("time").path("from").asText();
    }

    /** Every panel, rows included, with the panels of collapsed rows after their row. */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** Panels that show data: every panel but rows. */
    List<JsonNode> dataPanels() {
        return panels().stream().filter(panel -> !"row".equals(panel.path("type").asText())).toList();
    }

    List<JsonNode> variables() {
        List<JsonNode> variables = new ArrayList<>();
        json.path("templating").path("list").forEach(variables::add);
        return variables;
    }

    /** Annotations that query a data source; Grafana's built-in one does not. */
    List<JsonNode> queryAnnotations() {
        List<JsonNode> annotations = new ArrayList<>();
        for (JsonNode annotation : json.path("annotations").path("list")) {
            if (!annotation.path("target").path("query").isMissingNode()) {
                annotations.add(annotation);
            }
        }
        return annotations;
    }

    /** Every InfluxQL query of a panel target or an annotation, in the order Grafana shows them. */
    List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dataPanels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(this, "panel '" + panel.path("title").asText() + "' ["
                        + target.path("refId").asText() + "]", target.path("query").asText(),
                        text(panel, "interval"), text(panel, "timeFrom")));
            }
        }
        for (JsonNode annotation : queryAnnotations()) {
            queries.add(new Query(this, "annotation '" + annotation.path("name").asText() + "'",
                    annotation.path("target").path("query").asText(), Optional.empty(), Optional.empty()));
        }
        return queries;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    @Override
    public String toString() {
        return file;
    }

    /**
     * A query as the dashboard holds it, before Grafana expands its macros.
     *
     * @param where       which panel target or annotation holds it, for messages
     * @param minInterval the panel's minimum interval ({@code interval}), the floor of {@code $__interval}
     * @param timeShift   the panel's relative time ({@code timeFrom}), which replaces the dashboard's time range
     */
    record Query(Dashboard dashboard, String where, String text, Optional<String> minInterval,
                 Optional<String> timeShift) {

        @Override
        public String toString() {
            return dashboard.file() + " " + where;
        }
    }
}
