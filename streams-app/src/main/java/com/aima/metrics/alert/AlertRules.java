package com.aima.metrics.alert;

import com.aima.metrics.Durations;
import com.aima.metrics.LabelMatcher;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.streams.Resources;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Alert rules read from YAML: a list under {@code rules}, each with {@code name}, {@code metric}, optional
 * {@code matchers} (Prometheus-style, {@code ['gpu_model=~"NVIDIA H100.*"']}), {@code condition} (gt, ge, lt, le,
 * eq, ne, or absent: no sample for {@code for}), {@code threshold} (not with absent), optional {@code for} and {@code keep_firing_for} (500ms, 10s, 10m, 1h, PT10M),
 * {@code severity} (critical, warning, info), {@code channels} (slack, teams, email, webhook, sms), optional
 * {@code summary} and {@code description} templates ({@link Template}). Errors name the rule and the field; unknown
 * fields are errors, so that a typo does not silently disable part of a rule. {@link #defaults()} are the rules of
 * seed 004 section 5.3.2, in {@code alert-rules/default.yaml}.
 */
public final class AlertRules {

    /** The shipped defaults on the class path. */
    public static final String DEFAULTS_RESOURCE = "alert-rules/default.yaml";
    private static final Set<String> FIELDS = Set.of("name", "metric", "matchers", "condition", "threshold", "for",
            "keep_firing_for", "severity", "channels", "summary", "description");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private AlertRules() {
    }

    /** The rules of seed 004 section 5.3.2. */
    public static List<AlertRule> defaults() {
        return parse(Resources.text(DEFAULTS_RESOURCE), DEFAULTS_RESOURCE);
    }

    /** @throws IllegalArgumentException naming the file, the rule and the field that are wrong */
    public static List<AlertRule> load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the alert rules " + file + ": " + e, e);
        }
    }

    /**
     * @param source where the text comes from, for error messages
     * @throws IllegalArgumentException naming the source, the rule and the field that are wrong
     */
    public static List<AlertRule> parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        JsonNode rules = root == null ? null : root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new IllegalArgumentException(source + ": expected a list of rules under 'rules'.");
        }
        List<AlertRule> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            String where = source + ": rule " + (i + 1) + (rule.hasNonNull("name")
                    ? " (" + rule.get("name").asText() + ")" : "");
            try {
                AlertRule read = rule(rule);
                if (!names.add(read.name())) {
                    throw new IllegalArgumentException("name: '" + read.name() + "' is used by an earlier rule.");
                }
                parsed.add(read);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(parsed);
    }

    private static AlertRule rule(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a mapping of fields.");
        }
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(field + ": not a rule field; the fields are " + FIELDS + ".");
            }
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (String matcher : strings(node, "matchers")) {
            matchers.add(field("matchers", () -> LabelMatcher.parse(matcher)));
        }
        return new AlertRule(text(node, "name"), text(node, "metric"), matchers,
                field("condition", () -> Condition.of(required(node, "condition"))),
                field("threshold", () -> "absent".equals(text(node, "condition")) ? absentThreshold(node)
                        : number(node, "threshold")),
                field("for", () -> duration(node, "for")),
                field("keep_firing_for", () -> duration(node, "keep_firing_for")),
                field("severity", () -> severity(required(node, "severity"))),
                strings(node, "channels"),
                field("summary", () -> node.hasNonNull("summary") ? new Template(node.get("summary").asText()) : null),
                field("description", () -> node.hasNonNull("description")
                        ? new Template(node.get("description").asText()) : null));
    }

    private interface Reader<T> {
        T read();
    }

    /** Runs {@code reader}, prefixing its error with {@code field} unless the message names it already. */
    private static <T> T field(String field, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(field + ":") ? e
                    : new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            throw new IllegalArgumentException(field + ": missing.");
        }
        return value;
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing.");
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("'" + value.asText() + "' is not a number.");
        }
        return value.asDouble();
    }

    private static double absentThreshold(JsonNode node) {
        if (node.has("threshold")) {
            throw new IllegalArgumentException("an absent rule has no threshold; remove it.");
        }
        return 0;
    }

    private static Duration duration(JsonNode node, String field) {
        return node.hasNonNull(field) ? Durations.parse(node.get(field).asText()) : Duration.ZERO;
    }

    private static Severity severity(String text) {
        try {
            return Severity.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not one of critical, warning, info.");
        }
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode list = node.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(field + ": expected a list.");
        }
        List<String> values = new ArrayList<>();
        list.forEach(value -> values.add(value.asText()));
        return values;
    }
}
