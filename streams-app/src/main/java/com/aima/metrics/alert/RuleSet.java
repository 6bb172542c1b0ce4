package com.aima.metrics.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A set of alert rules indexed for the engine: by the metric they watch and by name. */
public final class RuleSet {

    private final List<AlertRule> rules;
    private final Map<String, List<AlertRule>> byMetric = new HashMap<>();
    private final Map<String, AlertRule> byName = new LinkedHashMap<>();

    public RuleSet(List<AlertRule> rules) {
        this.rules = List.copyOf(rules);
        for (AlertRule rule : this.rules) {
            byMetric.computeIfAbsent(rule.metric(), metric -> new ArrayList<>()).add(rule);
            byName.put(rule.name(), rule);
        }
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** The rules on {@code metric}, in file order; empty when none. */
    public List<AlertRule> watching(String metric) {
        return byMetric.getOrDefault(metric, List.of());
    }

    /** The rule named {@code name}, or null when there is none (any more). */
    public AlertRule named(String name) {
        return byName.get(name);
    }
}
