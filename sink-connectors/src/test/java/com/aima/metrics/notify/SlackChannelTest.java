package com.aima.metrics.notify;

import static com.aima.metrics.notify.Alerts.gpuHotResolved;
import static com.aima.metrics.notify.Alerts.info;
import static com.aima.metrics.notify.Alerts.memoryHigh;
import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.schema.AlertEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Block Kit message as Slack documents it (api.slack.com/block-kit); a real Slack cannot be reached here. */
class SlackChannelTest {

    private RecordingHttpServer server;
    private Channel slack;

    @BeforeEach
    void start() throws IOException {
        server = new RecordingHttpServer();
        slack = Channels.create(Map.of(ChannelConfig.SLACK_WEBHOOK_URL_CONFIG,
                server.url("/services/T0/B0/token").toString())).get("slack");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsOneBlockKitMessageForTheGroup() throws DeliveryException {
        slack.deliver(List.of(gpuHotResolved(), memoryHigh(), Alerts.gpuHot()));

        RecordingHttpServer.Request request = server.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri().getPath()).isEqualTo("/services/T0/B0/token");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        JsonNode message = request.json();
        assertThat(message.get("text").asText())
                .isEqualTo("[FIRING:2, RESOLVED:1] gpu_temperature_high, gpu_memory_high");
        JsonNode blocks = message.get("blocks");
        assertThat(blocks).hasSize(4);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).at("/text/type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).at("/text/text").asText()).isEqualTo("\uD83D\uDD25 2 firing, \u2705 1 resolved");
        assertThat(blocks.get(1).get("type").asText()).isEqualTo("section");
        assertThat(blocks.get(1).at("/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(1).at("/text/text").asText()).isEqualTo("""
                \uD83D\uDD34 *CRITICAL* FIRING \u00b7 *gpu_temperature_high*
                GPU 0 on n1 is at 91.5 C
                Check the fans of n1.
                value 91.5, threshold &gt; 85 \u00b7 since 2026-11-22 10:02:00 UTC
                `gpu=0, node=n1`""");
        assertThat(blocks.get(2).at("/text/text").asText())
                .startsWith("\uD83D\uDFE0 *WARNING* FIRING \u00b7 *gpu_memory_high*");
        assertThat(blocks.get(3).at("/text/text").asText())
                .startsWith("\u2705 *CRITICAL* RESOLVED \u00b7 *gpu_temperature_high*")
                .contains("value 80, threshold &gt; 85 \u00b7 2026-11-22 10:02:00 UTC to 2026-11-22 10:14:30 UTC"
                        + " (12m 30s)");
    }

    @Test
    void capsTheBlocksAtFiftyWithACountOfTheRest() throws DeliveryException {
        slack.deliver(Alerts.many(60));

        JsonNode blocks = server.onlyRequest().json().get("blocks");
        assertThat(blocks).hasSize(SlackChannel.MAX_BLOCKS);
        assertThat(blocks.get(48).at("/text/text").asText()).contains("queue_long_47");
        assertThat(blocks.get(49).get("type").asText()).isEqualTo("context");
        assertThat(blocks.get(49).at("/elements/0/text").asText()).isEqualTo("\u2026and 12 more alerts");
    }

    @Test
    void fiftyBlocksFitFortyNineAlertsWithoutACount() throws DeliveryException {
        slack.deliver(Alerts.many(49));

        JsonNode blocks = server.onlyRequest().json().get("blocks");
        assertThat(blocks).hasSize(SlackChannel.MAX_BLOCKS);
        assertThat(blocks.get(49).get("type").asText()).isEqualTo("section");
    }

    @Test
    void escapesSlackControlCharacters() throws DeliveryException {
        AlertEvent alert = info("queue_long", "aa", "Queue <default> & <@U123> too long");

        slack.deliver(List.of(alert));

        assertThat(server.onlyRequest().json().at("/blocks/1/text/text").asText())
                .contains("Queue &lt;default&gt; &amp; &lt;@U123&gt; too long");
    }
}
