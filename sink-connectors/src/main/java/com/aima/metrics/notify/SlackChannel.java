package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The Slack channel: a group of alerts as one Block Kit message to an incoming webhook: a header block with the counts,
 * a section per alert (severity emoji, rule, state, summary, value and threshold, period, labels) and a {@code text}
 * fallback for notifications. Slack takes at most {@value #MAX_BLOCKS} blocks, so a larger group shows the first alerts
 * and an "and N more" line; a section's text is cut at {@value #MAX_SECTION_CHARS} characters.
 */
final class SlackChannel {

    static final String NAME = "slack";
    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_CHARS = 3000;
    static final int MAX_HEADER_CHARS = 150;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackChannel() {
    }

    /** The channel posting to {@code webhook}. */
    static Channel create(URI webhook, HttpSender http) {
        return new JsonWebhookChannel(NAME, webhook, http, SlackChannel::message);
    }

    static ObjectNode message(AlertGroup group) {
        ObjectNode message = JSON.createObjectNode();
        message.put("text", group.title());
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text")
                .put("type", "plain_text")
                .put("text", AlertFormat.cut(header(group), MAX_HEADER_CHARS))
                .put("emoji", true);
        int room = MAX_BLOCKS - 1;
        int shown = group.size() <= room ? group.size() : room - 1;
        for (AlertEvent alert : group.alerts().subList(0, shown)) {
            blocks.addObject().put("type", "section").putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", AlertFormat.cut(section(alert), MAX_SECTION_CHARS));
        }
        if (shown < group.size()) {
            blocks.addObject().put("type", "context").putArray("elements").addObject()
                    .put("type", "mrkdwn")
                    .put("text", "\u2026and " + (group.size() - shown) + " more alerts");
        }
        return message;
    }

    /** {@code 🔥 2 firing, ✅ 1 resolved}. */
    private static String header(AlertGroup group) {
        List<String> parts = new ArrayList<>(2);
        if (group.firing() > 0) {
            parts.add("\uD83D\uDD25 " + group.firing() + " firing");
        }
        if (group.resolved() > 0) {
            parts.add("\u2705 " + group.resolved() + " resolved");
        }
        return String.join(", ", parts);
    }

    private static String section(AlertEvent alert) {
        StringBuilder text = new StringBuilder()
                .append(AlertFormat.emoji(alert)).append(" *").append(alert.getSeverity()).append("* ")
                .append(alert.getState()).append(" \u00b7 *").append(escape(alert.getRule())).append("*\n")
                .append(escape(alert.getSummary())).append('\n');
        if (alert.getDescription() != null && !alert.getDescription().isBlank()) {
            text.append(escape(alert.getDescription())).append('\n');
        }
        text.append(escape(AlertFormat.valueAndThreshold(alert))).append(" \u00b7 ").append(AlertFormat.period(alert));
        String labels = AlertFormat.labels(alert);
        if (!labels.isEmpty()) {
            text.append("\n`").append(escape(labels)).append('`');
        }
        return text.toString();
    }

    /** Slack's mrkdwn reads {@code &}, {@code <} and {@code >} as control characters (links, mentions). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
