package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Sends a group of alerts as one short text to each configured number through an SMS provider's HTTP API: one
 * request per recipient, built from a template whose {@code {{to}}} and {@code {{text}}} are replaced by the number
 * and the text, escaped for the request's content type (JSON string escapes for {@code application/json},
 * percent-encoding for {@code application/x-www-form-urlencoded}). With {@code GET} the rendered, percent-encoded
 * template is appended to the URL's query and no body is sent.
 *
 * <p>The text, the counts and a line per alert such as {@code [FIRING:2, RESOLVED:1]}, {@code CRITICAL
 * gpu_temperature_high: GPU 0 on n1 at 91 C}, {@code RESOLVED gpu_memory_high: …}, is cut to the configured length
 * ({@code sms.max.length}, 160 characters by default) and ends in {@code ...} when cut. The length counts Java
 * characters, not SMS segments: a text with a character outside the GSM 03.38 alphabet (an emoji, for example) is
 * sent by the provider as UCS-2, 70 characters per segment, so 160 characters make three segments.
 *
 * <p>Twilio ({@code Authorization} is {@code Basic} and the Base64 of {@code AccountSid:AuthToken}):
 * <pre>{@code
 * sms.url=https://api.twilio.com/2010-04-01/Accounts/ACxxxxxxxx/Messages.json
 * sms.method=POST
 * sms.content.type=application/x-www-form-urlencoded
 * sms.body.template=To={{to}}&From=%2B15005550006&Body={{text}}
 * sms.headers=Authorization: Basic QUN4eHh4eHh4eDp0b2tlbg==
 * sms.to=+491701234567,+491707654321
 * }</pre>
 * A generic JSON gateway:
 * <pre>{@code
 * sms.url=https://sms.example.com/api/v1/messages
 * sms.content.type=application/json
 * sms.body.template={"recipient":"{{to}}","message":"{{text}}","sender":"AIMA"}
 * sms.headers=Authorization: Bearer 0123456789abcdef
 * sms.to=+491701234567
 * }</pre>
 *
 * <p>When some recipients fail, the others are not sent again: a retried delivery of the same alerts in the same
 * states ({@link AlertGroup#deliveryKey()}) goes only to the recipients whose failure was retryable.
 */
final class SmsChannel implements Channel {

    static final String NAME = "sms";
    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(to|text)}}");
    private static final String CUT_ENDING = "...";

    private final URI url;
    private final boolean get;
    private final String contentType;
    private final String template;
    private final Map<String, String> headers;
    private final List<String> recipients;
    private final int maxLength;
    private final HttpSender http;

    /** Delivery key of the last group that failed for some recipients, and the recipients it needs no more. */
    private String pendingKey;
    private final Set<String> finished = new HashSet<>();

    /**
     * @param method      {@code POST} or {@code GET}
     * @param contentType {@value #JSON} or {@value #FORM}; with GET the template is always percent-encoded
     * @param maxLength   the most characters of a text
     */
    SmsChannel(URI url, String method, String contentType, String template, Map<String, String> headers,
               List<String> recipients, int maxLength, HttpSender http) {
        this.url = url;
        this.get = "GET".equals(method);
        this.contentType = contentType;
        this.template = template;
        this.headers = Map.copyOf(headers);
        this.recipients = List.copyOf(recipients);
        this.maxLength = maxLength;
        this.http = http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void deliver(List<AlertEvent> alerts) throws DeliveryException {
        AlertGroup group = AlertGroup.of(alerts);
        if (!group.deliveryKey().equals(pendingKey)) {
            pendingKey = group.deliveryKey();
            finished.clear();
        }
        String text = text(group, maxLength);
        List<DeliveryException> failures = new ArrayList<>();
        for (String to : recipients) {
            if (finished.contains(to)) {
                continue;
            }
            try {
                http.send(NAME, request(to, text));
                finished.add(to);
            } catch (DeliveryException e) {
                failures.add(e);
                if (!e.retryable()) {
                    finished.add(to);
                }
            }
        }
        DeliveryException first = failures.stream().filter(DeliveryException::retryable).findFirst()
                .orElse(failures.isEmpty() ? null : failures.get(0));
        if (first == null || !first.retryable()) {
            pendingKey = null;
            finished.clear();
        }
        if (first == null) {
            return;
        }
        DeliveryException failure = new DeliveryException(NAME + ": " + failures.size() + " of " + recipients.size()
                + " recipients failed; first: " + first.getMessage(), first.retryable(),
                first.retryAfter().orElse(null), first);
        failures.stream().filter(e -> e != first).forEach(failure::addSuppressed);
        throw failure;
    }

    /** The text for {@code group}: the counts, then a line per alert with severity (or RESOLVED), rule and summary. */
    static String text(AlertGroup group, int maxLength) {
        String text = group.alerts().stream()
                .map(alert -> (alert.getState() == AlertState.RESOLVED ? "RESOLVED" : alert.getSeverity().name())
                        + " " + alert.getRule() + ": " + alert.getSummary().replaceAll("\\s+", " ").strip())
                .collect(Collectors.joining("\n", "[" + group.counts() + "]\n", ""));
        return AlertFormat.cut(text, maxLength, CUT_ENDING);
    }

    private HttpRequest request(String to, String text) {
        if (get) {
            String query = render(template, to, text, SmsChannel::formEncoded);
            URI withQuery = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + query);
            HttpRequest.Builder request = http.request(withQuery);
            headers.forEach(request::header);
            return request.GET().build();
        }
        UnaryOperator<String> escape = JSON.equals(contentType) ? SmsChannel::jsonEscaped : SmsChannel::formEncoded;
        HttpRequest.Builder request = http.request(url);
        headers.forEach(request::header);
        return request.setHeader("Content-Type", contentType)
                .POST(BodyPublishers.ofString(render(template, to, text, escape), StandardCharsets.UTF_8))
                .build();
    }

    /** {@code template} with every {@code {{to}}} and {@code {{text}}} replaced, in one pass. */
    static String render(String template, String to, String text, UnaryOperator<String> escape) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (placeholder.find()) {
            String value = "to".equals(placeholder.group(1)) ? to : text;
            placeholder.appendReplacement(rendered, Matcher.quoteReplacement(escape.apply(value)));
        }
        return placeholder.appendTail(rendered).toString();
    }

    static String jsonEscaped(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }

    static String formEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
