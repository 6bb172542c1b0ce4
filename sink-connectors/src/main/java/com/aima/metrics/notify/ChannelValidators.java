package com.aima.metrics.notify;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Validators and parsers of the channels' settings. A value of type PASSWORD reaches a validator as a
 * {@link Password}, whose {@code toString()} is {@code [hidden]}; messages about such a value never quote it.
 */
final class ChannelValidators {

    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?(?:[ ().-]*\\d){3,20}[ ().-]*");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers that the HTTP client sets itself and refuses to take from a caller. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    /** An absolute http or https URL with a host; unset (null or blank) is valid. */
    static final ConfigDef.Validator HTTP_URL = validator("an http or https URL, or empty", ChannelValidators::url);

    /** One e-mail address ({@code alerts@example.com} or {@code AIMA <alerts@example.com>}); unset is valid. */
    static final ConfigDef.Validator EMAIL_ADDRESS = validator("an e-mail address, or empty", (name, value) -> {
        if (!value.isBlank()) {
            emailAddress(name, value);
        }
    });

    static final ConfigDef.Validator EMAIL_ADDRESSES = listValidator("a list of e-mail addresses",
            ChannelValidators::emailAddress);

    /** Numbers as SMS providers take them: digits, an optional leading +, spaces, dashes, dots, parentheses. */
    static final ConfigDef.Validator PHONE_NUMBERS = listValidator("a list of phone numbers, e.g. +491701234567",
            (name, number) -> {
                if (!PHONE_NUMBER.matcher(number).matches()) {
                    throw new ConfigException(name, number, "A phone number has 3 to 20 digits, an optional leading +"
                            + " and may have spaces, dashes, dots or parentheses.");
                }
            });

    /** {@code Name: value} entries separated by commas; unset is valid. */
    static final ConfigDef.Validator HEADERS = validator("Name: value, Name: value", ChannelValidators::headers);

    static final ConfigDef.Validator SMS_TEMPLATE = validator("a template with {{to}} and {{text}}", (name, value) -> {
        if (!value.contains("{{to}}") || !value.contains("{{text}}")) {
            throw new ConfigException(name, value, "The template must contain the placeholders {{to}} and {{text}}.");
        }
    });

    private ChannelValidators() {
    }

    /** The text of a STRING or PASSWORD value; null when unset. */
    static String text(Object value) {
        if (value instanceof Password password) {
            return password.value();
        }
        return value == null ? null : value.toString();
    }

    /** {@code value} as a URI, or null when blank. */
    static URI url(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new ConfigException(name, hidden(), "The value is not a URL: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ConfigException(name, hidden(), "The value must be an absolute http or https URL with a host.");
        }
        return uri;
    }

    static InternetAddress emailAddress(String name, String value) {
        try {
            InternetAddress address = new InternetAddress(value.strip(), true);
            address.validate();
            return address;
        } catch (AddressException e) {
            throw new ConfigException(name, value, "The value is not an e-mail address: " + e.getMessage() + ".");
        }
    }

    /** The headers in {@code value}, in order; empty when blank. */
    static Map<String, String> headers(String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return headers;
        }
        int number = 0;
        for (String entry : value.split(",")) {
            number++;
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String header = colon < 0 ? "" : entry.substring(0, colon).strip();
            String content = colon < 0 ? "" : entry.substring(colon + 1).strip();
            if (!HEADER_NAME.matcher(header).matches() || content.isEmpty() || content.matches(".*[\\r\\n].*")) {
                throw new ConfigException(name, hidden(), "Entry " + number + " is not of the form 'Name: value'"
                        + " (entries are separated by commas, so a value cannot contain one).");
            }
            if (RESTRICTED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, hidden(), "Entry " + number + " sets " + header
                        + ", which the HTTP client sets itself.");
            }
            headers.put(header, content);
        }
        return headers;
    }

    /** Settings that may carry credentials are never quoted in messages. */
    private static String hidden() {
        return "[hidden]";
    }

    private interface Check {
        void check(String name, String value);
    }

    private static ConfigDef.Validator validator(String description, Check check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                String text = text(value);
                if (text != null) {
                    check.check(name, text);
                }
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    private static ConfigDef.Validator listValidator(String description, Check check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value instanceof List<?> list) {
                    list.forEach(item -> check.check(name, String.valueOf(item)));
                }
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
