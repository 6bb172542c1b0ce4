package com.aima.metrics.api.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable set of permission patterns such as {@code metrics:read:gpu_utilization_percent},
 * {@code metrics:read:gpu_*}, {@code alerts:read} or {@code *}. Patterns are {@code :}-separated; a pattern that
 * ends in {@code *} grants every permission that starts with the text before the {@code *} ({@code metrics:read:*}
 * every metric, {@code *} everything); any other pattern grants exactly itself. Thread-safe.
 */
public final class Permissions {

    /** Reading the alerts. */
    public static final String ALERTS_READ = "alerts:read";
    /** Reading the cost records that belong to no project: device hours, estimate accuracy, provider options. */
    public static final String COSTS_READ_FLEET = "costs:read:fleet";
    /** The prefix of the permissions to read one project's costs. */
    public static final String READ_PROJECT_COSTS_PREFIX = "costs:read:project:";
    /** Grants nothing. */
    public static final Permissions NONE = new Permissions(Set.of());

    private static final String WILDCARD = "*";
    private static final String READ_METRIC_PREFIX = "metrics:read:";

    private final Set<String> patterns;
    private final Set<String> exact = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    private Permissions(Set<String> patterns) {
        this.patterns = patterns;
        for (String pattern : patterns) {
            if (pattern.endsWith(WILDCARD)) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else {
                exact.add(pattern);
            }
        }
    }

    /**
     * @throws IllegalArgumentException naming the first pattern that is blank, holds white space or an empty
     *         {@code :}-separated part, or has a {@code *} anywhere but at its end
     */
    public static Permissions of(Collection<String> patterns) {
        Set<String> valid = new TreeSet<>();
        for (String pattern : patterns) {
            valid.add(requireValidPattern(pattern));
        }
        return new Permissions(Set.copyOf(valid));
    }

    /** The permission to read the metric {@code metricName}: {@code metrics:read:<metricName>}. */
    public static String readMetric(String metricName) {
        return READ_METRIC_PREFIX + metricName;
    }

    /** The permission to read the costs of {@code project}: {@code costs:read:project:<project>}. */
    public static String readProjectCosts(String project) {
        return READ_PROJECT_COSTS_PREFIX + project;
    }

    /**
     * Whether one of the patterns grants some permission that starts with {@code prefix}: {@code costs:read:project:}
     * is granted in part by {@code costs:read:project:news}, {@code costs:read:project:n*}, {@code costs:*} or
     * {@code *}.
     */
    public boolean allowsSomeOf(String prefix) {
        for (String pattern : exact) {
            if (pattern.startsWith(prefix)) {
                return true;
            }
        }
        for (String granted : prefixes) {
            if (granted.startsWith(prefix) || prefix.startsWith(granted)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the patterns grants {@code permission}. */
    public boolean allows(String permission) {
        if (exact.contains(permission)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (permission.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The patterns as given, without duplicates. */
    public Set<String> patterns() {
        return patterns;
    }

    /** The patterns of this set and of {@code other}. */
    public Permissions union(Permissions other) {
        Set<String> both = new TreeSet<>(patterns);
        both.addAll(other.patterns);
        return new Permissions(Set.copyOf(both));
    }

    /** @throws IllegalArgumentException naming the pattern and what is wrong with it */
    static String requireValidPattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("A permission pattern must not be blank.");
        }
        if (pattern.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("The permission pattern '" + pattern + "' holds white space.");
        }
        int star = pattern.indexOf(WILDCARD);
        if (star >= 0 && star != pattern.length() - 1) {
            throw new IllegalArgumentException("The permission pattern '" + pattern + "' has a '*' before its end;"
                    + " a '*' may only end a pattern, as in 'metrics:read:gpu_*'.");
        }
        for (String part : pattern.split(":", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("The permission pattern '" + pattern + "' has an empty part"
                        + " between its ':'.");
            }
        }
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Permissions permissions && patterns.equals(permissions.patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
