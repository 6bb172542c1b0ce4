package com.aima.metrics.api;

import com.aima.metrics.streams.StreamsApp;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** The API ITs' client: a GET to one instance with a bearer token, and a CSV answer read back as rows of text. */
final class ApiClient {

    private final HttpClient http = HttpClient.newHttpClient();

    HttpClient http() {
        return http;
    }

    /** GET {@code pathAndQuery} on {@code app} with {@code Bearer token} and, unless null, {@code Accept}. */
    HttpResponse<String> get(StreamsApp.Running app, String pathAndQuery, String token, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(app, pathAndQuery))
                .header("Authorization", "Bearer " + token);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(StreamsApp.Running app, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.api().port() + pathAndQuery);
    }

    /** A CSV body with a header line as one map per record, column → text. */
    static List<Map<String, String>> csv(String body) throws IOException {
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            return rows.readAll();
        }
    }
}
