package com.aima.metrics.influx;

import com.aima.metrics.influx.InfluxSchema.RetentionPolicy;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Synchronous writes and InfluxQL statements through influxdb-java's v1 client (no background batching: a write has
 * succeeded or failed when {@link #write} returns), with InfluxDB's answers sorted by what the sink does about them:
 * <ul>
 *   <li>{@link RetriableException}: unreachable, time-out, HTTP 5xx, 429, or InfluxDB's retryable errors
 *       (cache full, hinted handoff); {@link SchemaMissingException}, a kind of it, when the database or the
 *       retention policy is gone;</li>
 *   <li>{@link RejectedBatchException}: HTTP 400 or 413, the batch holds points InfluxDB refuses (type conflict,
 *       unparsable, beyond the retention policy, too large); the others may have been written;</li>
 *   <li>{@link ConnectException}: anything else (credentials refused, other 4xx), which retrying does not mend.</li>
 * </ul>
 * Used by one thread.
 */
final class InfluxWriter implements AutoCloseable {

    /** The batch holds points InfluxDB refuses; its message is InfluxDB's, naming the field or line at fault. */
    static final class RejectedBatchException extends RuntimeException {
        RejectedBatchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The database or retention policy written to does not exist (any more): set it up again, then retry. */
    static final class SchemaMissingException extends RetriableException {
        SchemaMissingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final InfluxDB influx;
    private final String url;
    private final String database;
    private final LastStatus lastStatus = new LastStatus();

    InfluxWriter(InfluxSinkConfig config) {
        this.url = config.url();
        this.database = config.database();
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .addInterceptor(lastStatus)
                .connectTimeout(config.timeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeoutMs(), TimeUnit.MILLISECONDS)
                .writeTimeout(config.timeoutMs(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        this.influx = config.username() == null
                ? InfluxDBFactory.connect(url, http)
                : InfluxDBFactory.connect(url, config.username(), config.password(), http);
        influx.setLogLevel(InfluxDB.LogLevel.NONE);
        if (config.gzip()) {
            influx.enableGzip();
        }
    }

    String url() {
        return url;
    }

    String database() {
        return database;
    }

    /**
     * Writes {@code points} to {@code policy} with millisecond precision in one request.
     *
     * @throws RetriableException      when the write may succeed later (see the class comment)
     * @throws RejectedBatchException  when InfluxDB refuses points of the batch
     * @throws ConnectException        for an answer retrying does not mend
     */
    void write(RetentionPolicy policy, List<Point> points) {
        BatchPoints batch = BatchPoints.database(database).retentionPolicy(policy.policyName())
                .precision(TimeUnit.MILLISECONDS).points(points).build();
        lastStatus.clear();
        try {
            influx.write(batch);
        } catch (InfluxDBIOException e) {
            throw new RetriableException("InfluxDB at " + url + " cannot be reached: " + e.getCause(), e);
        } catch (InfluxDBException e) {
            throw classify(lastStatus.code, e, "Writing " + points.size() + " point(s) to " + database + "."
                    + policy.policyName());
        }
    }

    /**
     * Runs an InfluxQL statement (POST, so that schema statements are allowed).
     *
     * @throws RetriableException when InfluxDB cannot be reached or fails with a server error
     * @throws ConnectException   when InfluxDB refuses the statement, or a statement of it fails
     */
    QueryResult query(String statement) {
        lastStatus.clear();
        QueryResult result;
        try {
            result = influx.query(new Query(statement, null, true));
        } catch (InfluxDBIOException e) {
            throw new RetriableException("InfluxDB at " + url + " cannot be reached: " + e.getCause(), e);
        } catch (InfluxDBException e) {
            throw classify(lastStatus.code, e, "Running '" + statement + "'");
        }
        String error = result.hasError() ? result.getError() : result.getResults() == null ? null
                : result.getResults().stream().filter(QueryResult.Result::hasError).map(QueryResult.Result::getError)
                .findFirst().orElse(null);
        if (error != null) {
            throw new ConnectException("InfluxDB at " + url + " refused '" + statement + "': " + error);
        }
        return result;
    }

    /** What to throw for InfluxDB's answer {@code error} with HTTP status {@code status} (0: none was read). */
    static RuntimeException classify(int status, InfluxDBException error, String what) {
        String message = error.getMessage();
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (error instanceof InfluxDBException.DatabaseNotFoundException
                || lower.contains("retention policy not found")) {
            return new SchemaMissingException(what + " failed: " + message, error);
        }
        if (status >= 500 || status == 429 || error instanceof InfluxDBException.CacheMaxMemorySizeExceededException
                || error instanceof InfluxDBException.HintedHandOffQueueNotEmptyException) {
            return new RetriableException(what + " failed with HTTP " + status + ": " + message, error);
        }
        if (status == 400 || status == 413) {
            return new RejectedBatchException(message, error);
        }
        if (error instanceof InfluxDBException.AuthorizationFailedException || status == 401 || status == 403) {
            return new ConnectException(what + " was refused (HTTP " + status + "): " + message + ". Check "
                    + InfluxSinkConfig.USERNAME_CONFIG + " and " + InfluxSinkConfig.PASSWORD_CONFIG
                    + " and the user's privileges.", error);
        }
        return new ConnectException(what + " failed with HTTP " + status + ": " + message, error);
    }

    @Override
    public void close() {
        influx.close();
    }

    /** Remembers the HTTP status of the last response: influxdb-java's exceptions carry only the body. */
    private static final class LastStatus implements Interceptor {

        private volatile int code;

        void clear() {
            code = 0;
        }

        @Override
        public Response intercept(Chain chain) throws IOException {
            Response response = chain.proceed(chain.request());
            code = response.code();
            return response;
        }
    }
}
