package com.aima.metrics.notify;

import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The settings of the notification channels. A channel is configured when its URL (or, for e-mail, its SMTP host) is
 * set; {@link #incompleteSettings()} names what else a configured channel needs. Webhook URLs of Slack and Teams,
 * secrets and header lists are of type PASSWORD, so Connect shows them as {@code [hidden]}.
 */
public final class ChannelConfig extends AbstractConfig {

    public static final String SLACK_WEBHOOK_URL_CONFIG = "slack.webhook.url";
    private static final String SLACK_WEBHOOK_URL_DOC = "Slack incoming webhook URL (https://hooks.slack.com/services/"
            + "...); the path is the credential. Empty: no Slack channel.";

    public static final String TEAMS_WEBHOOK_URL_CONFIG = "teams.webhook.url";
    private static final String TEAMS_WEBHOOK_URL_DOC = "Microsoft Teams incoming webhook URL of a Workflows (Power "
            + "Automate) flow that posts an Adaptive Card to a channel; its query carries the signature. Empty: no "
            + "Teams channel.";

    public static final String WEBHOOK_URL_CONFIG = "webhook.url";
    private static final String WEBHOOK_URL_DOC = "URL that alerts are POSTed to as JSON (version 1, see "
            + "WebhookChannel). Empty: no webhook channel.";

    public static final String WEBHOOK_SECRET_CONFIG = "webhook.secret";
    private static final String WEBHOOK_SECRET_DOC = "Key of the X-Signature header: sha256= and the hex "
            + "HMAC-SHA256 of the exact body bytes, keyed with the secret's UTF-8 bytes. Empty: no signature.";

    public static final String WEBHOOK_HEADERS_CONFIG = "webhook.headers";
    private static final String WEBHOOK_HEADERS_DOC = "Extra headers of the webhook's requests, 'Name: value' entries "
            + "separated by commas (a value cannot contain a comma), e.g. 'Authorization: Bearer abc'. They cannot "
            + "replace Content-Type, Idempotency-Key or X-Signature.";

    public static final String EMAIL_SMTP_HOST_CONFIG = "email.smtp.host";
    private static final String EMAIL_SMTP_HOST_DOC = "SMTP server that sends the alert e-mails. Empty: no e-mail "
            + "channel; set, it needs " + ChannelConfig.EMAIL_FROM_CONFIG + " and " + ChannelConfig.EMAIL_TO_CONFIG
            + ".";

    public static final String EMAIL_SMTP_PORT_CONFIG = "email.smtp.port";
    public static final int EMAIL_SMTP_PORT_DEFAULT = 587;
    private static final String EMAIL_SMTP_PORT_DOC = "Port of the SMTP server: 587 for submission with STARTTLS, 25 "
            + "for relaying. Implicit TLS (465) is not supported.";

    public static final String EMAIL_SMTP_STARTTLS_CONFIG = "email.smtp.starttls";
    public static final String EMAIL_SMTP_STARTTLS_DEFAULT = "required";
    private static final String EMAIL_SMTP_STARTTLS_DOC = "none: never upgrade the connection to TLS; optional: "
            + "upgrade when the server offers STARTTLS; required: do not send unless the server offers STARTTLS. The "
            + "server's certificate must be trusted by the JVM and match the host.";

    public static final String EMAIL_SMTP_USERNAME_CONFIG = "email.smtp.username";
    private static final String EMAIL_SMTP_USERNAME_DOC = "User name for SMTP AUTH. Empty: no authentication; set, "
            + "it needs " + ChannelConfig.EMAIL_SMTP_PASSWORD_CONFIG + ".";

    public static final String EMAIL_SMTP_PASSWORD_CONFIG = "email.smtp.password";
    private static final String EMAIL_SMTP_PASSWORD_DOC = "Password for SMTP AUTH.";

    public static final String EMAIL_SMTP_TIMEOUT_MS_CONFIG = "email.smtp.timeout.ms";
    public static final int EMAIL_SMTP_TIMEOUT_MS_DEFAULT = 10_000;
    private static final String EMAIL_SMTP_TIMEOUT_MS_DOC = "Time-out in milliseconds for connecting to the SMTP server"
            + " and for each read and write on the connection.";

    public static final String EMAIL_FROM_CONFIG = "email.from";
    private static final String EMAIL_FROM_DOC = "Sender of the alert e-mails, e.g. "
            + "'AIMA Alerts <alerts@example.com>'.";

    public static final String EMAIL_TO_CONFIG = "email.to";
    private static final String EMAIL_TO_DOC = "Recipients of the alert e-mails, separated by commas; every one gets "
            + "the same message.";

    public static final String SMS_URL_CONFIG = "sms.url";
    private static final String SMS_URL_DOC = "HTTP API of the SMS provider, e.g. "
            + "https://api.twilio.com/2010-04-01/Accounts/<sid>/Messages.json. Empty: no SMS channel; set, it needs "
            + ChannelConfig.SMS_TO_CONFIG + ".";

    public static final String SMS_METHOD_CONFIG = "sms.method";
    public static final String SMS_METHOD_DEFAULT = "POST";
    private static final String SMS_METHOD_DOC = "POST sends the rendered template as the body; GET appends it, "
            + "percent-encoded, to the URL's query.";

    public static final String SMS_CONTENT_TYPE_CONFIG = "sms.content.type";
    public static final String SMS_CONTENT_TYPE_DEFAULT = SmsChannel.JSON;
    private static final String SMS_CONTENT_TYPE_DOC = "Content type of a POST body, which decides how {{to}} and "
            + "{{text}} are escaped: application/json (JSON string escapes) or application/x-www-form-urlencoded "
            + "(percent-encoding).";

    public static final String SMS_BODY_TEMPLATE_CONFIG = "sms.body.template";
    public static final String SMS_BODY_TEMPLATE_DEFAULT = "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}";
    private static final String SMS_BODY_TEMPLATE_DOC = "Request body (or query with GET) with the placeholders {{to}} "
            + "(one recipient's number) and {{text}}, e.g. for Twilio 'To={{to}}&From=%2B15005550006&Body={{text}}'.";

    public static final String SMS_HEADERS_CONFIG = "sms.headers";
    private static final String SMS_HEADERS_DOC = "Headers of the SMS requests, 'Name: value' entries separated by "
            + "commas (a value cannot contain a comma), e.g. 'Authorization: Basic <base64 of sid:token>'.";

    public static final String SMS_TO_CONFIG = "sms.to";
    private static final String SMS_TO_DOC = "Numbers that get the alert texts, separated by commas, e.g. "
            + "+491701234567; one request per number.";

    public static final String SMS_MAX_LENGTH_CONFIG = "sms.max.length";
    public static final int SMS_MAX_LENGTH_DEFAULT = 160;
    private static final String SMS_MAX_LENGTH_DOC = "Most characters of a text; a longer one is cut and ends in '...'."
            + " 160 is one SMS of the GSM alphabet; characters outside it (emoji) make a segment 70 characters.";

    public static final String HTTP_TIMEOUT_MS_CONFIG = "http.timeout.ms";
    public static final long HTTP_TIMEOUT_MS_DEFAULT = 10_000;
    private static final String HTTP_TIMEOUT_MS_DOC = "Time-out in milliseconds for connecting to the endpoint of an "
            + "HTTP channel (Slack, Teams, webhook, SMS) and, separately, for its answer.";

    private static final String SLACK_GROUP = "Slack";
    private static final String TEAMS_GROUP = "Microsoft Teams";
    private static final String WEBHOOK_GROUP = "Webhook";
    private static final String EMAIL_GROUP = "E-mail";
    private static final String SMS_GROUP = "SMS";
    private static final String HTTP_GROUP = "HTTP";

    public ChannelConfig(Map<String, ?> settings) {
        super(define(new ConfigDef()), settings, false);
    }

    /** Adds every channel setting to {@code config} and returns it. */
    public static ConfigDef define(ConfigDef config) {
        new Definer(config, SLACK_GROUP)
                .add(SLACK_WEBHOOK_URL_CONFIG, Type.PASSWORD, null, ChannelValidators.HTTP_URL, Importance.HIGH,
                        SLACK_WEBHOOK_URL_DOC);
        new Definer(config, TEAMS_GROUP)
                .add(TEAMS_WEBHOOK_URL_CONFIG, Type.PASSWORD, null, ChannelValidators.HTTP_URL, Importance.HIGH,
                        TEAMS_WEBHOOK_URL_DOC);
        new Definer(config, WEBHOOK_GROUP)
                .add(WEBHOOK_URL_CONFIG, Type.STRING, null, ChannelValidators.HTTP_URL, Importance.HIGH,
                        WEBHOOK_URL_DOC)
                .add(WEBHOOK_SECRET_CONFIG, Type.PASSWORD, null, null, Importance.MEDIUM, WEBHOOK_SECRET_DOC)
                .add(WEBHOOK_HEADERS_CONFIG, Type.PASSWORD, null, ChannelValidators.HEADERS, Importance.LOW,
                        WEBHOOK_HEADERS_DOC);
        new Definer(config, EMAIL_GROUP)
                .add(EMAIL_SMTP_HOST_CONFIG, Type.STRING, null, null, Importance.HIGH, EMAIL_SMTP_HOST_DOC)
                .add(EMAIL_SMTP_PORT_CONFIG, Type.INT, EMAIL_SMTP_PORT_DEFAULT, Range.between(1, 65_535),
                        Importance.MEDIUM, EMAIL_SMTP_PORT_DOC)
                .add(EMAIL_SMTP_STARTTLS_CONFIG, Type.STRING, EMAIL_SMTP_STARTTLS_DEFAULT,
                        ValidString.in("none", "optional", "required"), Importance.MEDIUM, EMAIL_SMTP_STARTTLS_DOC)
                .add(EMAIL_SMTP_USERNAME_CONFIG, Type.STRING, null, null, Importance.MEDIUM, EMAIL_SMTP_USERNAME_DOC)
                .add(EMAIL_SMTP_PASSWORD_CONFIG, Type.PASSWORD, null, null, Importance.MEDIUM, EMAIL_SMTP_PASSWORD_DOC)
                .add(EMAIL_SMTP_TIMEOUT_MS_CONFIG, Type.INT, EMAIL_SMTP_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                        Importance.LOW, EMAIL_SMTP_TIMEOUT_MS_DOC)
                .add(EMAIL_FROM_CONFIG, Type.STRING, null, ChannelValidators.EMAIL_ADDRESS, Importance.HIGH,
                        EMAIL_FROM_DOC)
                .add(EMAIL_TO_CONFIG, Type.LIST, List.of(), ChannelValidators.EMAIL_ADDRESSES, Importance.HIGH,
                        EMAIL_TO_DOC);
        new Definer(config, SMS_GROUP)
                .add(SMS_URL_CONFIG, Type.STRING, null, ChannelValidators.HTTP_URL, Importance.HIGH, SMS_URL_DOC)
                .add(SMS_METHOD_CONFIG, Type.STRING, SMS_METHOD_DEFAULT, ValidString.in("POST", "GET"),
                        Importance.MEDIUM, SMS_METHOD_DOC)
                .add(SMS_CONTENT_TYPE_CONFIG, Type.STRING, SMS_CONTENT_TYPE_DEFAULT,
                        ValidString.in(SmsChannel.JSON, SmsChannel.FORM), Importance.MEDIUM, SMS_CONTENT_TYPE_DOC)
                .add(SMS_BODY_TEMPLATE_CONFIG, Type.STRING, SMS_BODY_TEMPLATE_DEFAULT, ChannelValidators.SMS_TEMPLATE,
                        Importance.MEDIUM, SMS_BODY_TEMPLATE_DOC)
                .add(SMS_HEADERS_CONFIG, Type.PASSWORD, null, ChannelValidators.HEADERS, Importance.MEDIUM,
                        SMS_HEADERS_DOC)
                .add(SMS_TO_CONFIG, Type.LIST, List.of(), ChannelValidators.PHONE_NUMBERS, Importance.HIGH,
                        SMS_TO_DOC)
                .add(SMS_MAX_LENGTH_CONFIG, Type.INT, SMS_MAX_LENGTH_DEFAULT, Range.atLeast(10), Importance.LOW,
                        SMS_MAX_LENGTH_DOC);
        new Definer(config, HTTP_GROUP)
                .add(HTTP_TIMEOUT_MS_CONFIG, Type.LONG, HTTP_TIMEOUT_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                        HTTP_TIMEOUT_MS_DOC);
        return config;
    }

    /**
     * What the configured channels lack, by setting: e-mail needs a sender and recipients once its host is set,
     * SMTP AUTH a user name and a password together, SMS recipients once its URL is set. Empty when complete; meant
     * for a connector's {@code validate()} as well as for {@link Channels#create(Map)}.
     */
    public Map<String, String> incompleteSettings() {
        Map<String, String> problems = new LinkedHashMap<>();
        if (emailSmtpHost() != null) {
            requireSet(problems, EMAIL_FROM_CONFIG, getString(EMAIL_FROM_CONFIG), EMAIL_SMTP_HOST_CONFIG);
            if (getList(EMAIL_TO_CONFIG).isEmpty()) {
                problems.put(EMAIL_TO_CONFIG, EMAIL_TO_CONFIG + " needs at least one address when "
                        + EMAIL_SMTP_HOST_CONFIG + " is set.");
            }
            boolean user = emailSmtpUsername() != null;
            boolean password = emailSmtpPassword() != null;
            if (user && !password) {
                requireSet(problems, EMAIL_SMTP_PASSWORD_CONFIG, null, EMAIL_SMTP_USERNAME_CONFIG);
            } else if (password && !user) {
                requireSet(problems, EMAIL_SMTP_USERNAME_CONFIG, null, EMAIL_SMTP_PASSWORD_CONFIG);
            }
        }
        if (smsUrl() != null && getList(SMS_TO_CONFIG).isEmpty()) {
            problems.put(SMS_TO_CONFIG, SMS_TO_CONFIG + " needs at least one number when " + SMS_URL_CONFIG
                    + " is set.");
        }
        return problems;
    }

    private static void requireSet(Map<String, String> problems, String key, String value, String because) {
        if (value == null || value.isBlank()) {
            problems.put(key, key + " must be set when " + because + " is set.");
        }
    }

    URI slackWebhookUrl() {
        return ChannelValidators.url(SLACK_WEBHOOK_URL_CONFIG, secret(SLACK_WEBHOOK_URL_CONFIG));
    }

    URI teamsWebhookUrl() {
        return ChannelValidators.url(TEAMS_WEBHOOK_URL_CONFIG, secret(TEAMS_WEBHOOK_URL_CONFIG));
    }

    URI webhookUrl() {
        return ChannelValidators.url(WEBHOOK_URL_CONFIG, getString(WEBHOOK_URL_CONFIG));
    }

    /** Null when unset or empty. */
    String webhookSecret() {
        return blankToNull(secret(WEBHOOK_SECRET_CONFIG));
    }

    Map<String, String> webhookHeaders() {
        return ChannelValidators.headers(WEBHOOK_HEADERS_CONFIG, secret(WEBHOOK_HEADERS_CONFIG));
    }

    String emailSmtpHost() {
        return blankToNull(getString(EMAIL_SMTP_HOST_CONFIG));
    }

    int emailSmtpPort() {
        return getInt(EMAIL_SMTP_PORT_CONFIG);
    }

    EmailChannel.StartTls emailStartTls() {
        return EmailChannel.StartTls.valueOf(getString(EMAIL_SMTP_STARTTLS_CONFIG).toUpperCase(Locale.ROOT));
    }

    String emailSmtpUsername() {
        return blankToNull(getString(EMAIL_SMTP_USERNAME_CONFIG));
    }

    String emailSmtpPassword() {
        return blankToNull(secret(EMAIL_SMTP_PASSWORD_CONFIG));
    }

    Duration emailSmtpTimeout() {
        return Duration.ofMillis(getInt(EMAIL_SMTP_TIMEOUT_MS_CONFIG));
    }

    InternetAddress emailFrom() {
        return ChannelValidators.emailAddress(EMAIL_FROM_CONFIG, getString(EMAIL_FROM_CONFIG));
    }

    List<InternetAddress> emailTo() {
        return getList(EMAIL_TO_CONFIG).stream()
                .map(address -> ChannelValidators.emailAddress(EMAIL_TO_CONFIG, address))
                .toList();
    }

    URI smsUrl() {
        return ChannelValidators.url(SMS_URL_CONFIG, getString(SMS_URL_CONFIG));
    }

    String smsMethod() {
        return getString(SMS_METHOD_CONFIG);
    }

    String smsContentType() {
        return getString(SMS_CONTENT_TYPE_CONFIG);
    }

    String smsBodyTemplate() {
        return getString(SMS_BODY_TEMPLATE_CONFIG);
    }

    Map<String, String> smsHeaders() {
        return ChannelValidators.headers(SMS_HEADERS_CONFIG, secret(SMS_HEADERS_CONFIG));
    }

    List<String> smsTo() {
        return getList(SMS_TO_CONFIG);
    }

    int smsMaxLength() {
        return getInt(SMS_MAX_LENGTH_CONFIG);
    }

    Duration httpTimeout() {
        return Duration.ofMillis(getLong(HTTP_TIMEOUT_MS_CONFIG));
    }

    /** The value of a PASSWORD setting; null when unset. */
    private String secret(String key) {
        return ChannelValidators.text(getPassword(key));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Defines the keys of one group, numbered in the order they are added. */
    private static final class Definer {
        private final ConfigDef config;
        private final String group;
        private int order;

        Definer(ConfigDef config, String group) {
            this.config = config;
            this.group = group;
        }

        Definer add(String name, Type type, Object defaultValue, ConfigDef.Validator validator, Importance importance,
                    String doc) {
            config.define(name, type, defaultValue, validator, importance, doc, group, ++order, Width.LONG, name);
            return this;
        }
    }
}
