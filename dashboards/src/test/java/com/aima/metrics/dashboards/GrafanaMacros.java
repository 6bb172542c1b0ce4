package com.aima.metrics.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Grafana's InfluxDB data source does to a raw InfluxQL query before it sends it: {@code $timeFilter},
 * {@code $__interval}, {@code $__interval_ms}, {@code $interval} and template variables ({@code $name},
 * {@code ${name}}, {@code [[name]]}), expanded the way Grafana 10/11 expands them.
 */
final class GrafanaMacros {

    /** The macros Grafana's InfluxQL data source replaces itself; every other {@code $name} is a variable. */
    static final Set<String> BUILT_INS = Set.of("timeFilter", "__interval", "__interval_ms", "interval");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)}|\\[\\[(\\w+)]]|\\$(\\w+)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhdwy])");
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$*+?.()|\\[\\]{}/]");

    private GrafanaMacros() {
    }

    /**
     * A variable's current value.
     *
     * @param values the selected values; every value for "All"
     * @param regex  whether Grafana formats it as a regular expression: true for multi-value and include-All
     *               variables, which must appear as {@code =~ /^$name$/}
     */
    record Value(List<String> values, boolean regex) {
        Value {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("A variable needs at least one value.");
            }
            values = List.copyOf(values);
        }

        String format() {
            if (!regex) {
                return values.get(0);
            }
            List<String> escaped = values.stream().map(GrafanaMacros::escapeRegex).toList();
            return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
        }
    }

    /**
     * Expands {@code query} for the time range {@code from}..{@code to}, the interval {@code interval} and the
     * variables' values.
     *
     * @throws IllegalArgumentException naming a variable the query uses that {@code variables} lacks
     */
    static String expand(String query, Instant from, Instant to, Duration interval, Map<String, Value> variables) {
        Matcher matcher = REFERENCE.matcher(query);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String name = name(matcher);
            String replacement = switch (name) {
                case "timeFilter" -> "time >= " + from.toEpochMilli() + "ms and time <= " + to.toEpochMilli() + "ms";
                case "__interval", "interval" -> influxDuration(interval);
                case "__interval_ms" -> Long.toString(interval.toMillis());
                default -> {
                    Value value = variables.get(name);
                    if (value == null) {
                        throw new IllegalArgumentException("The query uses the variable $" + name
                                + ", which the dashboard does not define: " + query);
                    }
                    yield value.format();
                }
            };
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    /** Names of the template variables {@code query} refers to, built-in macros left out, in order. */
    static Set<String> variablesUsed(String query) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = REFERENCE.matcher(query);
        while (matcher.find()) {
            names.add(name(matcher));
        }
        names.removeAll(BUILT_INS);
        return names;
    }

    /**
     * A Grafana relative time: {@code now-6h} (a dashboard's {@code time.from}) or {@code 7d} (a panel's
     * {@code timeFrom}), as the instant it names before {@code now}.
     *
     * @throws IllegalArgumentException if it is neither
     */
    static Instant relativeStart(String relative, Instant now) {
        String amount = relative.startsWith("now-") ? relative.substring(4) : relative;
        return now.minus(duration(amount));
    }

    /**
     * A Grafana or InfluxQL duration of one unit: {@code 10s}, {@code 5m}, {@code 1h}, {@code 7d}, {@code 2w},
     * {@code 1y} (365 days).
     *
     * @throws IllegalArgumentException for anything else
     */
    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 10s, 5m, 1h, 7d, 2w or 1y.");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            case "w" -> Duration.ofDays(7 * amount);
            default -> Duration.ofDays(365 * amount);
        };
    }

    /** The duration as InfluxQL writes it, in its largest whole unit: {@code 1d}, {@code 6h}, {@code 10m}. */
    static String influxDuration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** Escapes a value for an InfluxQL regular expression literal, as Grafana's {@code escapeRegex} does. */
    static String escapeRegex(String value) {
        return REGEX_SPECIAL.matcher(value).replaceAll(match -> Matcher.quoteReplacement("\\" + match.group()));
    }

    private static String name(Matcher matcher) {
        for (int group = 1; group <= 3; group++) {
            if (matcher.group(group) != null) {
                return matcher.group(group);
            }
        }
        throw new IllegalStateException("No group matched in " + matcher);
    }

    static String describe(Map<String, Value> variables) {
        return variables.entrySet().stream().map(entry -> "$" + entry.getKey() + "=" + entry.getValue().format())
                .collect(Collectors.joining(", "));
    }
}
