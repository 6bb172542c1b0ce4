package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;

/**
 * The subject, plain-text body and HTML body of the e-mail for a group of alerts. The subject is the group's title,
 * e.g. {@code [FIRING:2, RESOLVED:1] gpu_temperature_high, gpu_memory_high}; both bodies list every alert with its
 * state, severity, rule, summary, description, value and threshold, period, labels, metric and fingerprint.
 */
final class EmailContent {

    private final AlertGroup group;

    EmailContent(AlertGroup group) {
        this.group = group;
    }

    String subject() {
        return group.title();
    }

    String text() {
        StringBuilder text = new StringBuilder(subject()).append("\n");
        for (AlertEvent alert : group.alerts()) {
            text.append('\n').append(alert.getState()).append(' ').append(alert.getSeverity()).append(' ')
                    .append(alert.getRule()).append('\n');
            text.append("  ").append(alert.getSummary()).append('\n');
            if (hasDescription(alert)) {
                text.append("  ").append(alert.getDescription().strip().replace("\n", "\n  ")).append('\n');
            }
            text.append("  ").append(AlertFormat.valueAndThreshold(alert)).append('\n');
            text.append("  ").append(AlertFormat.period(alert)).append('\n');
            String labels = AlertFormat.labels(alert);
            if (!labels.isEmpty()) {
                text.append("  labels: ").append(labels).append('\n');
            }
            text.append("  metric: ").append(alert.getMetric())
                    .append(", fingerprint: ").append(alert.getFingerprint()).append('\n');
        }
        return text.toString();
    }

    String html() {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><body style=\"font-family:sans-serif\">\n<h2>")
                .append(escape(subject())).append("</h2>\n");
        for (AlertEvent alert : group.alerts()) {
            html.append("<div style=\"border-left:4px solid ").append(colour(alert))
                    .append(";padding:4px 12px;margin:12px 0\">\n<p><b>")
                    .append(AlertFormat.emoji(alert)).append(' ').append(alert.getState()).append(' ')
                    .append(alert.getSeverity()).append(" \u00b7 ").append(escape(alert.getRule()))
                    .append("</b><br>").append(escape(alert.getSummary())).append("</p>\n");
            if (hasDescription(alert)) {
                html.append("<p>").append(escape(alert.getDescription()).replace("\n", "<br>")).append("</p>\n");
            }
            html.append("<table>\n");
            row(html, "Value", AlertFormat.valueAndThreshold(alert));
            row(html, "Period", AlertFormat.period(alert));
            row(html, "Labels", AlertFormat.labels(alert));
            row(html, "Metric", alert.getMetric());
            row(html, "Fingerprint", alert.getFingerprint());
            html.append("</table>\n</div>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><td style=\"color:#666;padding-right:12px\">").append(name).append("</td><td>")
                .append(escape(value)).append("</td></tr>\n");
    }

    private static boolean hasDescription(AlertEvent alert) {
        return alert.getDescription() != null && !alert.getDescription().isBlank();
    }

    private static String colour(AlertEvent alert) {
        if (alert.getState() == AlertState.RESOLVED) {
            return "#2eb67d";
        }
        return switch (alert.getSeverity()) {
            case CRITICAL -> "#e01e5a";
            case WARNING -> "#ecb22e";
            case INFO -> "#36c5f0";
        };
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
