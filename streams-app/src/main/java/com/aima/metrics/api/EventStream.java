package com.aima.metrics.api;

import com.aima.metrics.api.auth.Permissions;
import com.aima.metrics.api.auth.Principal;
import com.aima.metrics.schema.AlertEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One {@code /alerts/stream} connection (Server-Sent Events, for live push to a web UI, seed 004 section 5.3.1).
 * The stream opens with the comment {@code : connected} once the instance's alert feed stands at the end of the
 * alert topic; from then on every alert that fires or resolves of a metric the caller may read is one event:
 * <pre>
 * id: 5f0c2a9be1d47c3e-FIRING-1765188000000
 * event: alert
 * data: {"fingerprint":"5f0c2a9be1d47c3e","rule":"gpu_temperature_high","state":"FIRING",...}
 * </pre>
 * Idle streams get a {@code : keepalive} comment every {@code api.sse.keepalive}. The connection ends when the
 * client goes, the server stops, or the client falls {@value AlertStream#QUEUE_CAPACITY} events behind.
 */
final class EventStream {

    private final AlertStream feed;
    private final ObjectMapper json;
    private final Duration keepalive;
    private final BooleanSupplier closing;

    EventStream(AlertStream feed, ObjectMapper json, Duration keepalive, BooleanSupplier closing) {
        this.feed = feed;
        this.json = json;
        this.keepalive = keepalive;
        this.closing = closing;
    }

    void serve(ApiServer.Request request, Principal principal, Semaphore slots) throws IOException {
        if (!slots.tryAcquire()) {
            throw ApiException.unavailable("This instance serves its maximum of open event streams"
                    + " (api.sse.max.clients); retry later or on another instance.");
        }
        BlockingQueue<AlertEvent> queue = feed.subscribe();
        try {
            boolean positioned;
            try {
                positioned = feed.awaitPositioned(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                positioned = false;
            }
            if (!positioned) {
                throw ApiException.unavailable("The alert feed is not connected to Kafka yet; retry.");
            }
            HttpExchange exchange = request.exchange;
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            write(out, ": connected\n\n");
            while (!closing.getAsBoolean() && feed.subscribed(queue)) {
                AlertEvent event;
                try {
                    event = queue.poll(keepalive.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (event == null) {
                    write(out, ": keepalive\n\n");
                } else if (principal.allows(Permissions.readMetric(event.getMetric()))) {
                    write(out, "id: " + event.getFingerprint() + "-" + event.getState() + "-"
                            + event.getStartsAt().toEpochMilli() + "\nevent: alert\ndata: "
                            + json.writeValueAsString(body(event)) + "\n\n");
                    request.rows++;
                }
            }
        } catch (IOException e) {
            // the client went away: the normal end of a stream
        } finally {
            feed.unsubscribe(queue);
            slots.release();
        }
    }

    private ObjectNode body(AlertEvent event) {
        ObjectNode body = json.createObjectNode();
        body.put("fingerprint", event.getFingerprint());
        body.put("rule", event.getRule());
        body.put("state", event.getState().name());
        body.put("severity", event.getSeverity().name());
        body.put("metric_name", event.getMetric());
        ObjectNode labels = body.putObject("labels");
        event.getLabels().forEach(labels::put);
        body.put("value", event.getValue());
        body.put("condition", event.getCondition());
        body.put("threshold", event.getThreshold());
        body.put("starts_at", Rows.time(event.getStartsAt().toEpochMilli()));
        if (event.getEndsAt() != null) {
            body.put("ends_at", Rows.time(event.getEndsAt().toEpochMilli()));
        }
        body.put("summary", event.getSummary());
        return body;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
