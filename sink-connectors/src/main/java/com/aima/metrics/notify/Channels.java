package com.aima.metrics.notify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The channels' settings (see {@link ChannelConfig} for every key) and the channels built from them.
 */
public final class Channels {

    private Channels() {
    }

    /** Adds every channel's settings ({@code slack.*}, {@code teams.*}, {@code email.*}, {@code webhook.*},
     *  {@code sms.*}, {@code http.timeout.ms}) to {@code config} and returns it. */
    public static ConfigDef define(ConfigDef config) {
        return ChannelConfig.define(config);
    }

    /**
     * The channels configured in {@code settings}, by name, in the order slack, teams, email, webhook, sms; a channel
     * whose URL or host ({@code slack.webhook.url}, {@code teams.webhook.url}, {@code email.smtp.host},
     * {@code webhook.url}, {@code sms.url}) is unset or empty is absent. Values may be strings, as Connect passes
     * them, or already parsed. The HTTP channels share one HTTP client.
     *
     * @throws ConfigException naming the setting and value that are wrong, or the first setting that a configured
     *                         channel lacks (see {@link ChannelConfig#incompleteSettings()})
     */
    public static Map<String, Channel> create(Map<String, ?> settings) {
        ChannelConfig config = new ChannelConfig(settings);
        config.incompleteSettings().entrySet().stream().findFirst().ifPresent(problem -> {
            throw new ConfigException(problem.getKey(), settings.get(problem.getKey()), problem.getValue());
        });
        Map<String, Channel> channels = new LinkedHashMap<>();
        boolean anyHttp = config.slackWebhookUrl() != null || config.teamsWebhookUrl() != null
                || config.webhookUrl() != null || config.smsUrl() != null;
        // Java 17's HttpClient cannot be closed and runs a selector thread from the start, so only when needed.
        HttpSender http = anyHttp ? new HttpSender(config.httpTimeout()) : null;
        if (config.slackWebhookUrl() != null) {
            channels.put(SlackChannel.NAME, SlackChannel.create(config.slackWebhookUrl(), http));
        }
        if (config.teamsWebhookUrl() != null) {
            channels.put(TeamsChannel.NAME, TeamsChannel.create(config.teamsWebhookUrl(), http));
        }
        if (config.emailSmtpHost() != null) {
            channels.put(EmailChannel.NAME, new EmailChannel(config.emailSmtpHost(), config.emailSmtpPort(),
                    config.emailStartTls(), config.emailSmtpTimeout(), config.emailSmtpUsername(),
                    config.emailSmtpPassword(), config.emailFrom(), config.emailTo()));
        }
        if (config.webhookUrl() != null) {
            channels.put(WebhookChannel.NAME, new WebhookChannel(config.webhookUrl(), config.webhookSecret(),
                    config.webhookHeaders(), http));
        }
        if (config.smsUrl() != null) {
            channels.put(SmsChannel.NAME, new SmsChannel(config.smsUrl(), config.smsMethod(), config.smsContentType(),
                    config.smsBodyTemplate(), config.smsHeaders(), config.smsTo(), config.smsMaxLength(), http));
        }
        return Collections.unmodifiableMap(channels);
    }
}
