package com.aima.metrics.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.influx.InfluxWriter.RejectedBatchException;
import com.aima.metrics.influx.InfluxWriter.SchemaMissingException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.influxdb.InfluxDBException;
import org.junit.jupiter.api.Test;

/** How InfluxDB's answers (status and body, as InfluxDB 1.6 gives them) are sorted. */
class InfluxWriterTest {

    private static RuntimeException classify(int status, String body) {
        return InfluxWriter.classify(status, InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"" + body.replace("\"", "\\\"") + "\"}"), "Writing");
    }

    @Test
    void refusedPointsAreARejectedBatch() {
        assertThat(classify(400, "partial write: field type conflict: input field \"value\" on measurement \"m\" is"
                + " type integer, already exists as type float dropped=1"))
                .isInstanceOf(RejectedBatchException.class).hasMessageContaining("input field \"value\"");
        assertThat(classify(400, "unable to parse 'm,a=b\\ value=1': invalid tag format"))
                .isInstanceOf(RejectedBatchException.class);
        assertThat(classify(400, "partial write: points beyond retention policy dropped=1"))
                .isInstanceOf(RejectedBatchException.class);
        assertThat(classify(413, "Request Entity Too Large")).isInstanceOf(RejectedBatchException.class);
    }

    @Test
    void serverErrorsAreRetried() {
        assertThat(classify(500, "timeout")).isExactlyInstanceOf(RetriableException.class)
                .hasMessageContaining("HTTP 500");
        assertThat(classify(503, "engine: cache-max-memory-size exceeded"))
                .isExactlyInstanceOf(RetriableException.class);
        assertThat(classify(429, "too many requests")).isExactlyInstanceOf(RetriableException.class);
    }

    @Test
    void aMissingDatabaseOrPolicyIsSetUpAgain() {
        assertThat(classify(404, "database not found: \"aima\"")).isInstanceOf(SchemaMissingException.class)
                .isInstanceOf(RetriableException.class);
        assertThat(classify(500, "retention policy not found: rollup_1h")).isInstanceOf(SchemaMissingException.class);
    }

    @Test
    void refusedCredentialsStopTheTask() {
        RuntimeException error = classify(401, "authorization failed");
        assertThat(error).isExactlyInstanceOf(ConnectException.class)
                .hasMessageContaining("influxdb.username").hasMessageContaining("influxdb.password");
        assertThat(classify(403, "user is not authorized to write to database")).isExactlyInstanceOf(
                ConnectException.class);
    }
}
