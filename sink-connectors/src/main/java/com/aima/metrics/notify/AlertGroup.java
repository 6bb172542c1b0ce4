package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AlertState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The alerts of one message, in the order messages show them: firing before resolved, then by severity (critical
 * first), then by start time. Gives what every channel needs about the group as a whole: counts, a title and keys.
 */
final class AlertGroup {

    /** Rule names in a title beyond this many characters are counted ("+3 more") instead of listed. */
    static final int TITLE_RULES_MAX_CHARS = 100;

    private static final Comparator<AlertEvent> DISPLAY_ORDER = Comparator
            .comparing(AlertEvent::getState)
            .thenComparing(AlertEvent::getSeverity)
            .thenComparing(AlertEvent::getStartsAt)
            .thenComparing(AlertEvent::getFingerprint);

    private final List<AlertEvent> alerts;

    private AlertGroup(List<AlertEvent> alerts) {
        this.alerts = alerts;
    }

    /** @throws IllegalArgumentException when {@code alerts} is empty */
    static AlertGroup of(List<AlertEvent> alerts) {
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("A message needs at least one alert; the group is empty.");
        }
        List<AlertEvent> sorted = new ArrayList<>(alerts);
        sorted.sort(DISPLAY_ORDER);
        return new AlertGroup(List.copyOf(sorted));
    }

    List<AlertEvent> alerts() {
        return alerts;
    }

    int size() {
        return alerts.size();
    }

    long firing() {
        return alerts.stream().filter(alert -> alert.getState() == AlertState.FIRING).count();
    }

    long resolved() {
        return size() - firing();
    }

    /** {@code FIRING:2, RESOLVED:1}, leaving out a state with no alert. */
    String counts() {
        List<String> parts = new ArrayList<>(2);
        if (firing() > 0) {
            parts.add("FIRING:" + firing());
        }
        if (resolved() > 0) {
            parts.add("RESOLVED:" + resolved());
        }
        return String.join(", ", parts);
    }

    /** {@code [FIRING:2, RESOLVED:1] gpu_temperature_high, gpu_memory_high}: counts and the distinct rule names. */
    String title() {
        return "[" + counts() + "] " + ruleNames();
    }

    /** The distinct rule names in display order, as many as fit in {@link #TITLE_RULES_MAX_CHARS}. */
    String ruleNames() {
        Set<String> names = alerts.stream()
                .map(AlertEvent::getRule)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        StringBuilder text = new StringBuilder();
        int listed = 0;
        for (String name : names) {
            if (listed > 0 && text.length() + 2 + name.length() > TITLE_RULES_MAX_CHARS) {
                break;
            }
            text.append(listed > 0 ? ", " : "").append(name);
            listed++;
        }
        if (listed < names.size()) {
            text.append(", +").append(names.size() - listed).append(" more");
        }
        return text.toString();
    }

    /**
     * Hex SHA-256 of the sorted {@code fingerprint:state} pairs: the same alerts in the same states give the same key,
     * so a receiver can recognise a message sent again after a failure; a resolution gives a new key.
     */
    String deliveryKey() {
        return sha256(alerts.stream().map(alert -> alert.getFingerprint() + ":" + alert.getState()));
    }

    /** Hex SHA-256 of the sorted distinct fingerprints: the same for the firing and the resolved message of a group. */
    String groupKey() {
        return sha256(alerts.stream().map(AlertEvent::getFingerprint).distinct());
    }

    private static String sha256(Stream<String> lines) {
        String joined = lines.sorted().collect(Collectors.joining("\n"));
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(joined.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256.", e);
        }
    }
}
