package com.aima.metrics.notify;

import static com.aima.metrics.notify.Alerts.gpuHot;
import static com.aima.metrics.notify.Alerts.gpuHotResolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The message a Teams Workflows webhook takes, as Microsoft documents it (an attachment with an Adaptive Card, schema
 * adaptivecards.io, version 1.4); a real Teams cannot be reached here.
 */
class TeamsChannelTest {

    private RecordingHttpServer server;
    private Channel teams;

    @BeforeEach
    void start() throws IOException {
        server = new RecordingHttpServer().respond(202, "");
        teams = Channels.create(Map.of(ChannelConfig.TEAMS_WEBHOOK_URL_CONFIG,
                server.url("/workflows/abc/triggers/manual/paths/invoke?sig=secret").toString())).get("teams");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsOneAdaptiveCardForTheGroup() throws DeliveryException {
        teams.deliver(List.of(gpuHotResolved(), gpuHot()));

        JsonNode message = server.onlyRequest().json();
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("attachments")).hasSize(1);
        JsonNode attachment = message.at("/attachments/0");
        assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.get("content");
        assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.get("version").asText()).isEqualTo("1.4");
        assertThat(card.get("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
        JsonNode body = card.get("body");
        assertThat(body).hasSize(3);
        assertThat(body.at("/0/type").asText()).isEqualTo("TextBlock");
        assertThat(body.at("/0/text").asText()).isEqualTo("[FIRING:1, RESOLVED:1] gpu_temperature_high");

        JsonNode firing = body.get(1);
        assertThat(firing.get("type").asText()).isEqualTo("Container");
        assertThat(firing.get("style").asText()).isEqualTo("attention");
        assertThat(firing.at("/items/0/text").asText())
                .isEqualTo("\uD83D\uDD34 CRITICAL \u00b7 FIRING \u00b7 gpu_temperature_high");
        assertThat(firing.at("/items/1/text").asText()).isEqualTo("GPU 0 on n1 is at 91.5 C");
        assertThat(firing.at("/items/2/text").asText()).isEqualTo("Check the fans of n1.");
        assertThat(firing.at("/items/3/type").asText()).isEqualTo("FactSet");
        assertThat(firing.at("/items/3/facts").toString()).isEqualTo("[{\"title\":\"Value\",\"value\":\"value 91.5, "
                + "threshold > 85\"},{\"title\":\"Labels\",\"value\":\"gpu=0, node=n1\"},{\"title\":\"Started\","
                + "\"value\":\"2026-11-22 10:02:00 UTC\"},{\"title\":\"Fingerprint\",\"value\":\"f1a2\"}]");

        JsonNode resolved = body.get(2);
        assertThat(resolved.get("style").asText()).isEqualTo("good");
        assertThat(resolved.at("/items/3/facts/3/title").asText()).isEqualTo("Ended");
        assertThat(resolved.at("/items/3/facts/3/value").asText())
                .isEqualTo("2026-11-22 10:14:30 UTC (after 12m 30s)");
    }

    @Test
    void showsAtMostTwentyAlertsAndCountsTheRest() throws DeliveryException {
        teams.deliver(Alerts.many(25));

        JsonNode body = server.onlyRequest().json().at("/attachments/0/content/body");
        assertThat(body).hasSize(1 + TeamsChannel.MAX_ALERTS_SHOWN + 1);
        assertThat(body.get(body.size() - 1).get("text").asText()).isEqualTo("\u2026and 5 more alerts");
    }
}
