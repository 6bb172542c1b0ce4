package com.aima.metrics.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfluxServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void keepsItsDataAcrossAStopAndStartOnTheSamePort(@TempDir Path dir) throws Exception {
        try (InfluxServer influx = InfluxServer.start(dir, 0)) {
            assertThat(query(influx, "CREATE DATABASE probe")).contains("\"statement_id\":0");
            HttpResponse<String> written = http.send(HttpRequest.newBuilder(
                            URI.create(influx.url() + "/write?db=probe&precision=ms"))
                    .POST(HttpRequest.BodyPublishers.ofString("cpu,node=a value=0.5 1700000000000")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(written.statusCode()).isEqualTo(204);

            influx.stop();
            assertThat(influx.isRunning()).isFalse();
            assertThatThrownBy(() -> query(influx, "SHOW DATABASES")).isInstanceOf(ConnectException.class);

            influx.start();
            assertThat(query(influx, "SELECT value FROM probe..cpu")).contains("[\"2023-11-14T22:13:20Z\",0.5]");
        }
    }

    @Test
    void refusesASecondStartWhileRunning(@TempDir Path dir) {
        try (InfluxServer influx = InfluxServer.start(dir, 0)) {
            assertThatThrownBy(influx::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
        }
    }

    private String query(InfluxServer influx, String statement) throws IOException, InterruptedException {
        URI uri = URI.create(influx.url() + "/query?q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
