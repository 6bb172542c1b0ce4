package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

/**
 * A channel that POSTs one JSON message per group to an incoming webhook: Slack ({@link SlackChannel#message}) and
 * Teams ({@link TeamsChannel#message}) differ only in the message they build.
 */
record JsonWebhookChannel(String name, URI webhook, HttpSender http, Function<AlertGroup, JsonNode> message)
        implements Channel {

    @Override
    public void deliver(List<AlertEvent> alerts) throws DeliveryException {
        http.postJson(name, webhook, message.apply(AlertGroup.of(alerts)));
    }
}
