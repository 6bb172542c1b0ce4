package com.aima.metrics.notify;

import com.aima.metrics.LabelMatcher;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.Severity;
import java.util.List;
import java.util.Set;

/**
 * One routing rule of the sink ({@code route.<name>.*}): alerts of one of {@code severities} (any severity when
 * empty) whose labels pass every one of {@code matchers} also go to {@code channels}; when {@code exclusive}, they go
 * only to the channels of the exclusive routes they match, not to those their rule named. Immutable.
 */
record Route(String name, Set<Severity> severities, List<LabelMatcher> matchers, List<String> channels,
             boolean exclusive) {

    Route {
        severities = Set.copyOf(severities);
        matchers = List.copyOf(matchers);
        channels = List.copyOf(channels);
    }

    boolean matches(AlertEvent alert) {
        if (!severities.isEmpty() && !severities.contains(alert.getSeverity())) {
            return false;
        }
        return matchers.stream().allMatch(matcher -> matcher.matches(alert.getLabels()));
    }
}
