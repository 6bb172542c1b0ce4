package com.aima.metrics.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** InfluxDB 1.x's HTTP API as Grafana's data source uses it: {@code /query} (InfluxQL). */
final class InfluxHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String database;

    InfluxHttp(String url, String database) {
        this.url = url;
        this.database = database;
    }

    /**
     * Runs one InfluxQL statement with POST (as the provisioned data source does, {@code httpMode: POST}), times
     * in epoch milliseconds.
     *
     * @throws IOException when the server does not answer 200; an InfluxQL error comes back in {@link Result#error}
     */
    Result query(String influxql) throws IOException {
        String form = "db=" + encode(database) + "&epoch=ms&q=" + encode(influxql);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        JsonNode body = JSON.readTree(response.body());
        JsonNode result = body.path("results").path(0);
        String error = body.path("error").asText(result.path("error").asText(null));
        if (response.statusCode() != 200 && error == null) {
            throw new IOException("InfluxDB answered " + response.statusCode() + " to " + influxql + ": "
                    + response.body());
        }
        return new Result(error, result.path("series"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while talking to InfluxDB at " + url + ".", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The first statement's result: an error, or series of rows. */
    record Result(String error, JsonNode series) {

        /** How many cells, the time column left out, hold a value other than null. */
        int nonNullValues() {
            int count = 0;
            for (JsonNode one : series) {
                JsonNode columns = one.path("columns");
                for (JsonNode row : one.path("values")) {
                    for (int i = 0; i < row.size(); i++) {
                        if (!"time".equals(columns.path(i).asText()) && !row.get(i).isNull()) {
                            count++;
                        }
                    }
                }
            }
            return count;
        }

        /** Columns, the time column left out, that are null in every row of every series, in order. */
        Set<String> emptyColumns() {
            Set<String> empty = new LinkedHashSet<>();
            Set<String> filled = new HashSet<>();
            for (JsonNode one : series) {
                JsonNode columns = one.path("columns");
                for (int i = 0; i < columns.size(); i++) {
                    String column = columns.get(i).asText();
                    if (column.equals("time")) {
                        continue;
                    }
                    empty.add(column);
                    for (JsonNode row : one.path("values")) {
                        if (!row.get(i).isNull()) {
                            filled.add(column);
                        }
                    }
                }
            }
            empty.removeAll(filled);
            return empty;
        }

        /** The values of a column over every series, for example {@code value} of {@code SHOW TAG VALUES}. */
        List<String> column(String name) {
            List<String> values = new ArrayList<>();
            for (JsonNode one : series) {
                int index = -1;
                JsonNode columns = one.path("columns");
                for (int i = 0; i < columns.size(); i++) {
                    if (columns.get(i).asText().equals(name)) {
                        index = i;
                    }
                }
                if (index >= 0) {
                    for (JsonNode row : one.path("values")) {
                        values.add(row.get(index).asText());
                    }
                }
            }
            return values;
        }
    }
}
