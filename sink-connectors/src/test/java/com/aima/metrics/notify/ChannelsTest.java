package com.aima.metrics.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelsTest {

    private static final Map<String, String> EMAIL = Map.of(
            ChannelConfig.EMAIL_SMTP_HOST_CONFIG, "smtp.example.com",
            ChannelConfig.EMAIL_FROM_CONFIG, "alerts@example.com",
            ChannelConfig.EMAIL_TO_CONFIG, "ops@example.com");

    @Test
    void definesEverySettingWithDocumentation() {
        ConfigDef config = Channels.define(new ConfigDef());

        assertThat(config.names()).containsExactlyInAnyOrder(
                "slack.webhook.url", "teams.webhook.url",
                "webhook.url", "webhook.secret", "webhook.headers",
                "email.smtp.host", "email.smtp.port", "email.smtp.starttls", "email.smtp.username",
                "email.smtp.password", "email.smtp.timeout.ms", "email.from", "email.to",
                "sms.url", "sms.method", "sms.content.type", "sms.body.template", "sms.headers", "sms.to",
                "sms.max.length", "http.timeout.ms");
        assertThat(config.configKeys().values()).allSatisfy(key -> {
            assertThat(key.documentation).isNotBlank();
            assertThat(key.group).isNotBlank();
        });
        assertThat(config.defaultValues())
                .containsEntry("email.smtp.port", 587)
                .containsEntry("email.smtp.starttls", "required")
                .containsEntry("http.timeout.ms", 10_000L)
                .containsEntry("sms.max.length", 160);
        assertThat(config.configKeys().get("webhook.secret").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(config.configKeys().get("sms.headers").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void createsNoChannelWithoutSettings() {
        assertThat(Channels.create(Map.of())).isEmpty();
    }

    @Test
    void createsEveryConfiguredChannelByName() {
        Map<String, String> settings = new HashMap<>(EMAIL);
        settings.putAll(Map.of(
                ChannelConfig.SLACK_WEBHOOK_URL_CONFIG, "https://hooks.slack.com/services/T0/B0/x",
                ChannelConfig.TEAMS_WEBHOOK_URL_CONFIG, "https://prod.westeurope.logic.azure.com/workflows/1?sig=x",
                ChannelConfig.WEBHOOK_URL_CONFIG, "https://alerts.example.com/in",
                ChannelConfig.SMS_URL_CONFIG, "https://sms.example.com/send",
                ChannelConfig.SMS_TO_CONFIG, "+491701234567"));

        Map<String, Channel> channels = Channels.create(settings);

        assertThat(channels.keySet()).containsExactly("slack", "teams", "email", "webhook", "sms");
        channels.forEach((name, channel) -> assertThat(channel.name()).isEqualTo(name));
    }

    @Test
    void anEmptyUrlLeavesTheChannelOut() {
        assertThat(Channels.create(Map.of(ChannelConfig.SLACK_WEBHOOK_URL_CONFIG, "",
                ChannelConfig.EMAIL_SMTP_HOST_CONFIG, " "))).isEmpty();
    }

    @ParameterizedTest(name = "{0} missing")
    @CsvSource({"email.from", "email.to"})
    void emailHostWithoutSenderOrRecipientsNamesTheMissingSetting(String missing) {
        Map<String, String> settings = new HashMap<>(EMAIL);
        settings.remove(missing);

        assertThatThrownBy(() -> Channels.create(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing + " ")
                .hasMessageContaining("email.smtp.host is set");
    }

    @Test
    void smtpUserNameWithoutPasswordNamesThePassword() {
        Map<String, String> settings = new HashMap<>(EMAIL);
        settings.put(ChannelConfig.EMAIL_SMTP_USERNAME_CONFIG, "alerts");

        assertThatThrownBy(() -> Channels.create(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("email.smtp.password must be set when email.smtp.username is set");
    }

    @Test
    void smsUrlWithoutRecipientsNamesSmsTo() {
        assertThatThrownBy(() -> Channels.create(Map.of(ChannelConfig.SMS_URL_CONFIG, "https://sms.example.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sms.to needs at least one number");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "slack.webhook.url | ftp://hooks.slack.com/services/T0/B0/token",
            "teams.webhook.url | not a url with token",
            "webhook.url       | /relative/only",
            "email.smtp.port   | 70000",
            "email.smtp.starttls | sometimes",
            "email.to          | ops@example.com, not an address",
            "email.from        | @example.com",
            "sms.method        | PUT",
            "sms.content.type  | text/plain",
            "sms.body.template | {\"to\":\"{{to}}\"}",
            "sms.to            | call me",
            "sms.max.length    | 5",
            "sms.headers       | Authorization Bearer token",
            "webhook.headers   | Host: token.example.com",
            "http.timeout.ms   | 0"})
    void invalidValueNamesTheSetting(String key, String value) {
        assertThatThrownBy(() -> Channels.create(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void secretValuesAreNotQuotedInErrors() {
        assertThatThrownBy(() -> Channels.create(Map.of(
                ChannelConfig.SLACK_WEBHOOK_URL_CONFIG, "hooks.slack.com/services/T0/B0/token")))
                .hasMessageNotContaining("token");
        assertThatThrownBy(() -> Channels.create(Map.of(
                ChannelConfig.SMS_HEADERS_CONFIG, "Authorization: Basic token, broken")))
                .hasMessageContaining("Entry 2")
                .hasMessageNotContaining("token")
                .hasMessageNotContaining("broken");
    }
}
