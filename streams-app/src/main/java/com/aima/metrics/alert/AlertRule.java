package com.aima.metrics.alert;

import com.aima.metrics.LabelMatcher;
import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One alert rule (seed 004 section 5.3): the series of {@code metric} whose labels pass every matcher alert when
 * {@code value condition threshold} has held for {@code forDuration}, and stay firing until it has not held for
 * {@code keepFiringFor} (against flapping). With {@link Condition#ABSENT} a series alerts when it has had no sample
 * for {@code forDuration} and resolves with its next sample; the threshold is unused. Read from YAML by
 * {@link AlertRules}.
 *
 * @param channels where notifications go: slack, teams, email, webhook, sms
 */
public record AlertRule(String name, String metric, List<LabelMatcher> matchers, Condition condition,
                        double threshold, Duration forDuration, Duration keepFiringFor, Severity severity,
                        List<String> channels, Template summary, Template description) {

    /** The notification channels a rule may name. */
    public static final Set<String> CHANNELS = Set.of("slack", "teams", "email", "webhook", "sms");

    /** @throws IllegalArgumentException naming the field that is wrong */
    public AlertRule {
        require(name != null && name.matches("[a-zA-Z_][a-zA-Z0-9_]*"), "name",
                "'" + name + "' is not a rule name (letters, digits, underscores)");
        require(metric != null && SeriesKey.METRIC_NAME.matcher(metric).matches(), "metric",
                "'" + metric + "' is not a metric name");
        require(condition != null, "condition", "missing; use one of gt, ge, lt, le, eq, ne");
        require(Double.isFinite(threshold), "threshold", "'" + threshold + "' is not a finite number");
        forDuration = forDuration == null ? Duration.ZERO : forDuration;
        require(condition != Condition.ABSENT || forDuration.compareTo(Duration.ofSeconds(1)) >= 0, "for",
                "'" + forDuration + "' is too short for an absent rule; give how long a series may be silent (1s or"
                        + " more)");
        keepFiringFor = keepFiringFor == null ? Duration.ZERO : keepFiringFor;
        require(!forDuration.isNegative(), "for", "'" + forDuration + "' is negative");
        require(!keepFiringFor.isNegative(), "keep_firing_for", "'" + keepFiringFor + "' is negative");
        require(severity != null, "severity", "missing; use critical, warning or info");
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        channels = channels == null ? List.of() : List.copyOf(channels);
        for (String channel : channels) {
            require(CHANNELS.contains(channel), "channels", "'" + channel + "' is not one of " + CHANNELS);
        }
        summary = summary == null ? new Template(condition == Condition.ABSENT
                ? "{{rule}}: no {{metric}} for {{for}}"
                : "{{rule}}: {{metric}} {{condition}} {{threshold}} (value {{value}})") : summary;
    }

    /** Whether the rule alerts on silence rather than on values. */
    public boolean absent() {
        return condition == Condition.ABSENT;
    }

    /** Whether a sample of {@code metric} with {@code labels} is watched by this rule. */
    public boolean watches(String metric, Map<String, String> labels) {
        return this.metric.equals(metric) && matchers.stream().allMatch(matcher -> matcher.matches(labels));
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + problem + ".");
        }
    }
}
