package com.aima.metrics.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.aima.metrics.schema.Severity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertRulesTest {

    @Test
    void theDefaultsAreTheSpecsRules() {
        List<AlertRule> rules = AlertRules.defaults();

        assertThat(rules).extracting(AlertRule::name).containsExactly("gpu_utilization_high",
                "gpu_temperature_high", "gpu_memory_high", "job_queue_long", "job_error_rate_high", "collector_silent",
                "budget_warning", "budget_exhausted");
        AlertRule utilization = rules.get(0);
        assertThat(utilization.metric()).isEqualTo("gpu_utilization_percent");
        assertThat(utilization.condition()).isEqualTo(Condition.GT);
        assertThat(utilization.threshold()).isEqualTo(95.0);
        assertThat(utilization.forDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rules.get(1)).satisfies(temperature -> {
            assertThat(temperature.threshold()).isEqualTo(85.0);
            assertThat(temperature.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(temperature.forDuration()).isZero();
        });
        assertThat(rules.get(2).threshold()).isEqualTo(90.0);
        assertThat(rules.get(3).forDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rules.get(3).threshold()).isEqualTo(20.0);
        assertThat(rules.get(4).threshold()).isEqualTo(5.0);
        assertThat(utilization.summary().render(utilization, 97.456, Map.of("gpu", "3", "node", "gpu-node-1")))
                .isEqualTo("GPU 3 on gpu-node-1 above 95 % for 10 min (97.46 %)");
    }

    @Test
    void matchersSelectTheSeries() {
        AlertRule rule = AlertRules.parse("""
                rules:
                  - name: h100_hot
                    metric: gpu_temperature_celsius
                    matchers: ['gpu_model=~"NVIDIA H100.*"', 'source!="simulator"']
                    condition: ge
                    threshold: 80
                    severity: info
                """, "test").get(0);

        assertThat(rule.watches("gpu_temperature_celsius", Map.of("gpu_model", "NVIDIA H100 80GB HBM3"))).isTrue();
        assertThat(rule.watches("gpu_temperature_celsius",
                Map.of("gpu_model", "NVIDIA H100 80GB HBM3", "source", "simulator"))).isFalse();
        assertThat(rule.watches("gpu_temperature_celsius", Map.of("gpu_model", "NVIDIA L4"))).isFalse();
        assertThat(rule.watches("gpu_power_watts", Map.of("gpu_model", "NVIDIA H100 80GB HBM3"))).isFalse();
        assertThat(rule.summary().render(rule, 81, Map.of())).isEqualTo("h100_hot: gpu_temperature_celsius >= 80"
                + " (value 81)");
    }

    @Test
    void anAbsentRuleNeedsADurationAndHasNoThreshold() {
        AlertRule silent = AlertRules.defaults().get(5);
        assertThat(silent.absent()).isTrue();
        assertThat(silent.forDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(silent.summary().render(silent, 0, Map.of("node", "gpu-7")))
                .isEqualTo("No metrics from the collector on gpu-7 for 5m");

        assertError("""
                rules:
                  - name: silent
                    metric: host_cpu_utilization_percent
                    condition: absent
                    severity: critical
                """, "rule 1 (silent): for: 'PT0S' is too short for an absent rule");
        assertError("""
                rules:
                  - name: silent
                    metric: host_cpu_utilization_percent
                    condition: absent
                    threshold: 3
                    for: 5m
                    severity: critical
                """, "rule 1 (silent): threshold: an absent rule has no threshold");
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRules")
    void errorsNameTheRuleAndTheField(String yaml, String message) {
        assertError(yaml, message);
    }

    static Stream<Arguments> badRules() {
        return Stream.of(
                arguments(hot("condition: above"), "rule 1 (hot): condition: 'above' is not a condition"),
                arguments(hot("threshold: hot"), "rule 1 (hot): threshold: 'hot' is not a number"),
                arguments("""
                        rules:
                          - name: ok
                            metric: m
                            condition: gt
                            threshold: 1
                            severity: info
                          - name: slow
                            metric: m
                            condition: gt
                            threshold: 1
                            for: ten minutes
                            severity: info
                        """, "rule 2 (slow): for: 'ten minutes' is not a duration"),
                arguments(hot("severity: urgent"), "severity: 'urgent' is not one of critical, warning, info"),
                arguments(hot("channels: [pager]"), "channels: 'pager' is not one of"),
                arguments(hot("sumary: typo"), "sumary: not a rule field"),
                arguments(hot("summary: \"{{value}} on {{gpu}}\""), "summary: unknown placeholder {{gpu}}"),
                arguments(hot("matchers: ['gpu=~\"(\"']"), "is not a regular expression"),
                arguments("""
                        rules:
                          - {name: a, metric: m, condition: gt, threshold: 1, severity: info}
                          - {name: a, metric: m, condition: lt, threshold: 1, severity: info}
                        """, "rule 2 (a): name: 'a' is used by an earlier rule"),
                arguments("alerts: []", "expected a list of rules under 'rules'"));
    }

    /** The rule {@code hot} (gpu_temperature_celsius gt 85, critical) with {@code "field: value"} set or added. */
    private static String hot(String field) {
        Map<String, String> rule = new LinkedHashMap<>();
        rule.put("name", "hot");
        rule.put("metric", "gpu_temperature_celsius");
        rule.put("condition", "gt");
        rule.put("threshold", "85");
        rule.put("severity", "critical");
        String[] pair = field.split(": ", 2);
        rule.put(pair[0], pair[1]);
        return "rules:\n  - " + rule.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue())
                .collect(Collectors.joining("\n    ")) + "\n";
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> AlertRules.parse(yaml, "rules.yaml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rules.yaml").hasMessageContaining(message);
    }
}
