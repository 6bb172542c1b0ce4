package com.aima.metrics.collector.otlp;

import com.aima.metrics.collector.EventSink;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/HTTP metrics receiver, {@code POST /v1/metrics} on the JDK's {@code HttpServer}: register it with
 * {@code server.createContext(OtlpMetricsHandler.PATH, handler)}.
 *
 * <p>Accepts an {@code ExportMetricsServiceRequest} as {@code application/x-protobuf} or {@code application/json},
 * optionally with {@code Content-Encoding: gzip}, maps it with {@link OtlpMetricsMapper} and hands the events to the
 * {@link EventSink}. Answers, as the OTLP/HTTP specification asks, in the request's encoding:
 * <ul>
 * <li>200 with an {@code ExportMetricsServiceResponse}; when points were rejected (NaN, unsupported type, ...) its
 * {@code partial_success} holds their number and why, and the valid points are kept;</li>
 * <li>400 for a body that is not a request in its content type (truncated protobuf, bad JSON, broken gzip), and
 * for a request whose every data point was rejected (the message says why);</li>
 * <li>404 for another path under the context, 405 for a method other than POST;</li>
 * <li>413 for a body over the size limit (compressed or not), 415 for another content type or encoding;</li>
 * <li>503 when the sink fails (the client retries, as for any 503).</li>
 * </ul>
 * Error bodies are a {@code google.rpc.Status} (code and message) in the request's encoding, JSON when it has none
 * of the two. Thread-safe; the counters are totals since construction.
 */
public final class OtlpMetricsHandler implements HttpHandler {

    /** The OTLP/HTTP path for metrics. */
    public static final String PATH = "/v1/metrics";
    /** The default body limit: 4 MiB, compressed and uncompressed. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(OtlpMetricsHandler.class);

    private final OtlpMetricsMapper mapper;
    private final EventSink sink;
    private final int maxBodyBytes;
    private final AtomicLong acceptedDataPoints = new AtomicLong();
    private final AtomicLong rejectedDataPoints = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();

    /** A receiver with the {@linkplain #DEFAULT_MAX_BODY_BYTES default body limit}. */
    public OtlpMetricsHandler(OtlpMetricsMapper mapper, EventSink sink) {
        this(mapper, sink, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param maxBodyBytes the largest body accepted, in bytes, before and after gzip decompression
     * @throws IllegalArgumentException if {@code maxBodyBytes} is not positive
     */
    public OtlpMetricsHandler(OtlpMetricsMapper mapper, EventSink sink, int maxBodyBytes) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.maxBodyBytes = RequestBody.positiveLimit(maxBodyBytes);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            OtlpEncoding encoding = OtlpEncoding.of(RequestBody.mediaType(exchange));
            OtlpEncoding answerIn = encoding == null ? OtlpEncoding.JSON : encoding;
            try {
                export(exchange, encoding, answerIn);
            } catch (HttpProblem problem) {
                failedRequests.incrementAndGet();
                Responses.send(exchange, problem.status(), answerIn.mediaType(),
                        answerIn.status(RpcStatus.codeFor(problem.status()), problem.getMessage()));
            } catch (RuntimeException e) {
                failedRequests.incrementAndGet();
                log.error("An OTLP metrics export failed unexpectedly.", e);
                Responses.send(exchange, 500, answerIn.mediaType(),
                        answerIn.status(RpcStatus.INTERNAL, "The collector failed to process the export: " + e));
            }
        }
    }

    private void export(HttpExchange exchange, OtlpEncoding encoding, OtlpEncoding answerIn)
            throws HttpProblem, IOException {
        RequestBody.requirePost(exchange, PATH, "OTLP endpoint", "metrics");
        if (encoding == null) {
            throw new HttpProblem(415, "Content-Type '" + exchange.getRequestHeaders().getFirst("Content-Type")
                    + "' is not supported; send application/x-protobuf or application/json.");
        }
        byte[] body = RequestBody.read(exchange, maxBodyBytes);
        ExportMetricsServiceRequest request;
        try {
            request = encoding.parse(body);
        } catch (InvalidProtocolBufferException e) {
            throw new HttpProblem(400, "The body is not a valid ExportMetricsServiceRequest in "
                    + encoding.mediaType() + ": " + e.getMessage(), e);
        }
        OtlpMetricsMapper.Result result = mapper.map(request);
        if (result.events().isEmpty() && result.rejectedDataPoints() > 0) {
            // nothing to keep: a permanent failure, which OTLP/HTTP answers with 400 rather than a partial success
            rejectedDataPoints.addAndGet(result.rejectedDataPoints());
            throw new HttpProblem(400, "Every data point was rejected (" + result.rejectedDataPoints() + "): "
                    + result.errorMessage());
        }
        if (!result.events().isEmpty()) {
            try {
                sink.publishMetrics(result.events());
            } catch (RuntimeException e) {
                log.error("The event sink refused {} events of an OTLP export.", result.events().size(), e);
                throw new HttpProblem(503, "The collector could not store the metrics; retry later.", e);
            }
        }
        acceptedDataPoints.addAndGet(result.acceptedDataPoints());
        rejectedDataPoints.addAndGet(result.rejectedDataPoints());
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (result.rejectedDataPoints() > 0 || !result.errorMessage().isEmpty()) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(result.rejectedDataPoints())
                    .setErrorMessage(result.errorMessage()));
        }
        Responses.send(exchange, 200, answerIn.mediaType(), answerIn.write(response.build()));
    }

    /** Data points mapped to events and handed to the sink (a histogram point counts once). */
    public long acceptedDataPoints() {
        return acceptedDataPoints.get();
    }

    /** Data points rejected (NaN, unsupported type, missing value, ...), in partly or wholly refused requests. */
    public long rejectedDataPoints() {
        return rejectedDataPoints.get();
    }

    /** Requests answered with an error status (4xx, 5xx), whose points were all dropped. */
    public long failedRequests() {
        return failedRequests.get();
    }
}
