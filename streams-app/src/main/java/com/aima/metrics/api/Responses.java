package com.aima.metrics.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Writes the API's answers: JSON, CSV ({@code Accept: text/csv}) and {@code application/problem+json} errors. */
final class Responses {

    static final String JSON = "application/json";
    static final String CSV = "text/csv";
    static final String PROBLEM = "application/problem+json";
    /** Set to true when rows were cut at the limit. */
    static final String TRUNCATED_HEADER = "X-Aima-Truncated";

    private final ObjectMapper json;
    private final CsvMapper csv = new CsvMapper();

    Responses(ObjectMapper json) {
        this.json = json;
    }

    /** Whether the client asked for CSV. */
    static boolean wantsCsv(HttpExchange exchange) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.toLowerCase().contains(CSV);
    }

    /** The rows as a JSON array, or as CSV with {@code header} when asked for. */
    void rows(HttpExchange exchange, List<? extends Rows.Row> rows, List<String> header, boolean truncated)
            throws IOException {
        if (truncated) {
            exchange.getResponseHeaders().set(TRUNCATED_HEADER, "true");
        }
        if (wantsCsv(exchange)) {
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
            header.forEach(schema::addColumn);
            byte[] body = csv.writer(schema.build()).writeValueAsBytes(rows.stream().map(Rows.Row::csv).toList());
            send(exchange, 200, CSV + "; charset=utf-8", body);
        } else {
            send(exchange, 200, JSON, json.writeValueAsBytes(rows));
        }
    }

    /** Any value as JSON with status 200. */
    void json(HttpExchange exchange, Object value) throws IOException {
        send(exchange, 200, JSON, json.writeValueAsBytes(value));
    }

    /** An RFC 9457 problem: type, title, status, detail, instance and, where one is at fault, the parameter. */
    void problem(HttpExchange exchange, int status, String detail, String parameter) throws IOException {
        ObjectNode problem = json.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", title(status));
        problem.put("status", status);
        problem.put("detail", detail);
        if (parameter != null) {
            problem.put("parameter", parameter);
        }
        problem.put("instance", exchange.getRequestURI().getPath());
        send(exchange, status, PROBLEM, json.writeValueAsBytes(problem));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
