package com.aima.metrics.collector.otlp;

import com.aima.metrics.collector.EventSink;
import com.aima.metrics.collector.privacy.LabelPolicy;
import com.aima.metrics.schema.JobEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job-event endpoint, {@code POST /v1/jobs} on the JDK's {@code HttpServer}: register it with
 * {@code server.createContext(JobEventHandler.PATH, handler)}. Workers report job lifecycle steps as JSON, one object
 * or an array, read as described in {@code JobEventJson}; every event is checked before any is handed to the
 * {@link EventSink}, so a request is taken whole or not at all.
 *
 * <p>Answers: 200 with {@code {"accepted": n, "eventIds": [...]}}; 400 naming the field and value at fault
 * ({@code [1].type: 'STARTD' is not one of SUBMITTED, STARTED, ...}) or the JSON syntax error; 404 for another path
 * under the context; 405 for a method other than POST; 413 for a body over the limit; 415 for a content type other
 * than {@code application/json} or an encoding other than gzip; 503 when the sink fails. Error bodies are
 * {@code {"code": <gRPC code>, "message": "..."}}, as on {@code /v1/metrics}. Thread-safe.
 */
public final class JobEventHandler implements HttpHandler {

    /** The path of the job-event endpoint. */
    public static final String PATH = "/v1/jobs";
    /** The default body limit: 1 MiB, compressed and uncompressed. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    private static final String JSON_MEDIA_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(JobEventHandler.class);

    private final EventSink sink;
    private final JobEventJson reader;
    private final int maxBodyBytes;
    private final AtomicLong acceptedEvents = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();

    /**
     * An endpoint hashing {@code submitter} with the policy's HMAC key, with the
     * {@linkplain #DEFAULT_MAX_BODY_BYTES default body limit}.
     */
    public JobEventHandler(EventSink sink, LabelPolicy policy) {
        this(sink, policy::hmacHex, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param submitterHasher hashes a submitter's id to 64 lower-case hex digits; {@code null} to refuse requests
     *                        that name a submitter
     * @param maxBodyBytes    the largest body accepted, in bytes, before and after gzip decompression
     * @throws IllegalArgumentException if {@code maxBodyBytes} is not positive
     */
    public JobEventHandler(EventSink sink, UnaryOperator<String> submitterHasher, int maxBodyBytes) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.reader = new JobEventJson(submitterHasher);
        this.maxBodyBytes = RequestBody.positiveLimit(maxBodyBytes);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                List<String> eventIds = publish(exchange);
                ObjectNode answer = JSON.createObjectNode().put("accepted", eventIds.size());
                eventIds.forEach(answer.putArray("eventIds")::add);
                Responses.send(exchange, 200, JSON_MEDIA_TYPE, JSON.writeValueAsBytes(answer));
            } catch (HttpProblem problem) {
                failedRequests.incrementAndGet();
                Responses.send(exchange, problem.status(), JSON_MEDIA_TYPE,
                        RpcStatus.json(RpcStatus.codeFor(problem.status()), problem.getMessage()));
            } catch (RuntimeException e) {
                failedRequests.incrementAndGet();
                log.error("A job-event request failed unexpectedly.", e);
                Responses.send(exchange, 500, JSON_MEDIA_TYPE,
                        RpcStatus.json(RpcStatus.INTERNAL, "The collector failed to process the job events: " + e));
            }
        }
    }

    private List<String> publish(HttpExchange exchange) throws HttpProblem, IOException {
        RequestBody.requirePost(exchange, PATH, "endpoint", "job events");
        if (!JSON_MEDIA_TYPE.equals(RequestBody.mediaType(exchange))) {
            throw new HttpProblem(415, "Content-Type '" + exchange.getRequestHeaders().getFirst("Content-Type")
                    + "' is not supported; send " + JSON_MEDIA_TYPE + ".");
        }
        List<JobEvent> events;
        try {
            events = reader.parse(RequestBody.read(exchange, maxBodyBytes));
        } catch (InvalidJobEventException e) {
            throw new HttpProblem(400, e.getMessage(), e);
        }
        for (JobEvent event : events) {
            try {
                sink.publishJob(event);
            } catch (RuntimeException e) {
                log.error("The event sink refused job event {} of job {}.", event.getEventId(), event.getJobId(), e);
                throw new HttpProblem(503, "The collector could not store job event " + event.getEventId()
                        + "; the events before it in the request were stored. Retry later with the same eventIds.", e);
            }
            acceptedEvents.incrementAndGet();
        }
        return events.stream().map(JobEvent::getEventId).toList();
    }

    /** Job events handed to the sink. */
    public long acceptedEvents() {
        return acceptedEvents.get();
    }

    /** Requests answered with an error status (4xx, 5xx). */
    public long failedRequests() {
        return failedRequests.get();
    }
}
