package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;

/**
 * The Teams channel: a group of alerts to a Microsoft Teams incoming webhook (a Workflows / Power Automate "post to a
 * channel when a webhook request is received" flow) as one message with an Adaptive Card 1.4 attachment: a title with
 * the counts and a container per alert, coloured by severity (green once resolved), with the summary, the description
 * and a fact set (value, labels, start, end, fingerprint). Teams rejects messages over about 28 KB, so a card shows at
 * most {@value #MAX_ALERTS_SHOWN} alerts and an "and N more" line, and cuts texts at {@value #MAX_TEXT_CHARS}
 * characters.
 */
final class TeamsChannel {

    static final String NAME = "teams";
    static final int MAX_ALERTS_SHOWN = 20;
    static final int MAX_TEXT_CHARS = 500;
    static final String CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TeamsChannel() {
    }

    /** The channel posting to {@code webhook}. */
    static Channel create(URI webhook, HttpSender http) {
        return new JsonWebhookChannel(NAME, webhook, http, TeamsChannel::message);
    }

    static ObjectNode message(AlertGroup group) {
        ObjectNode message = JSON.createObjectNode().put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject()
                .put("contentType", CARD_CONTENT_TYPE)
                .putNull("contentUrl");
        ObjectNode card = attachment.putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard")
                .put("version", "1.4");
        card.putObject("msteams").put("width", "Full");
        ArrayNode body = card.putArray("body");
        textBlock(body, group.title()).put("size", "Large").put("weight", "Bolder");
        int shown = Math.min(group.size(), MAX_ALERTS_SHOWN);
        for (AlertEvent alert : group.alerts().subList(0, shown)) {
            container(body.addObject(), alert);
        }
        if (shown < group.size()) {
            textBlock(body, "\u2026and " + (group.size() - shown) + " more alerts").put("isSubtle", true);
        }
        return message;
    }

    private static void container(ObjectNode container, AlertEvent alert) {
        container.put("type", "Container").put("style", style(alert)).put("separator", true);
        ArrayNode items = container.putArray("items");
        textBlock(items, AlertFormat.emoji(alert) + " " + alert.getSeverity() + " \u00b7 " + alert.getState()
                + " \u00b7 " + alert.getRule()).put("weight", "Bolder");
        textBlock(items, alert.getSummary());
        if (alert.getDescription() != null && !alert.getDescription().isBlank()) {
            textBlock(items, alert.getDescription()).put("isSubtle", true);
        }
        ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
        fact(facts, "Value", AlertFormat.valueAndThreshold(alert));
        String labels = AlertFormat.labels(alert);
        if (!labels.isEmpty()) {
            fact(facts, "Labels", labels);
        }
        fact(facts, "Started", AlertFormat.time(alert.getStartsAt()));
        if (alert.getEndsAt() != null) {
            fact(facts, "Ended", AlertFormat.time(alert.getEndsAt()) + " (after "
                    + AlertFormat.duration(Duration.between(alert.getStartsAt(), alert.getEndsAt())) + ")");
        }
        fact(facts, "Fingerprint", alert.getFingerprint());
    }

    /** Adaptive Card container styles: red, orange, blue while firing by severity; green once resolved. */
    private static String style(AlertEvent alert) {
        if (alert.getState() == AlertState.RESOLVED) {
            return "good";
        }
        return switch (alert.getSeverity()) {
            case CRITICAL -> "attention";
            case WARNING -> "warning";
            case INFO -> "accent";
        };
    }

    private static ObjectNode textBlock(ArrayNode parent, String text) {
        return parent.addObject()
                .put("type", "TextBlock")
                .put("text", AlertFormat.cut(text, MAX_TEXT_CHARS))
                .put("wrap", true);
    }

    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", AlertFormat.cut(value, MAX_TEXT_CHARS));
    }
}
