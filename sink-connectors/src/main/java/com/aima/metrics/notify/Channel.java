package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import java.util.List;

/**
 * One notification endpoint (Slack, Teams, e-mail, webhook, SMS) that alerts are delivered to. The sink groups the
 * alerts routed to a channel within one grouping window and hands them over in one call, which sends one message.
 * Implementations are used by one thread at a time.
 */
public interface Channel extends AutoCloseable {

    /** The channel's name as rules and routes write it: slack, teams, email, webhook or sms. */
    String name();

    /**
     * Sends one message for {@code alerts} (at least one; FIRING and RESOLVED events may be mixed).
     *
     * @throws DeliveryException when the endpoint did not take the message; {@link DeliveryException#retryable()}
     *                           says whether sending it again may succeed (time-out, refused connection, HTTP 429
     *                           or 5xx, SMTP 4xx) or not (HTTP 4xx other than 429, SMTP 5xx, bad address)
     */
    void deliver(List<AlertEvent> alerts) throws DeliveryException;

    @Override
    default void close() {
    }
}
