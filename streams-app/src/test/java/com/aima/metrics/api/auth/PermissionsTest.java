package com.aima.metrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionsTest {

    @Test
    void anExactPatternGrantsOnlyItself() {
        Permissions permissions = Permissions.of(List.of("metrics:read:gpu_utilization_percent", "alerts:read"));

        assertThat(permissions.allows(Permissions.readMetric("gpu_utilization_percent"))).isTrue();
        assertThat(permissions.allows(Permissions.ALERTS_READ)).isTrue();
        assertThat(permissions.allows(Permissions.readMetric("gpu_utilization_percent_max"))).isFalse();
        assertThat(permissions.allows("costs:read")).isFalse();
    }

    @Test
    void aTrailingStarGrantsEveryPermissionWithItsPrefix() {
        Permissions gpu = Permissions.of(List.of("metrics:read:gpu_*"));
        Permissions metrics = Permissions.of(List.of("metrics:read:*"));

        assertThat(gpu.allows("metrics:read:gpu_temperature_celsius")).isTrue();
        assertThat(gpu.allows("metrics:read:job_queue_length")).isFalse();
        assertThat(metrics.allows("metrics:read:job_queue_length")).isTrue();
        assertThat(metrics.allows(Permissions.ALERTS_READ)).isFalse();
    }

    @Test
    void somePermissionOfAPrefixIsGrantedByAnExactPatternInItOrAWildcardOverIt() {
        String projects = Permissions.READ_PROJECT_COSTS_PREFIX;

        assertThat(Permissions.of(List.of("costs:read:project:news")).allowsSomeOf(projects)).isTrue();
        assertThat(Permissions.of(List.of("costs:read:project:n*")).allowsSomeOf(projects)).isTrue();
        assertThat(Permissions.of(List.of("costs:read:*")).allowsSomeOf(projects)).isTrue();
        assertThat(Permissions.of(List.of("*")).allowsSomeOf(projects)).isTrue();
        assertThat(Permissions.of(List.of(Permissions.COSTS_READ_FLEET, "metrics:read:*")).allowsSomeOf(projects))
                .isFalse();
        assertThat(Permissions.of(List.of("costs:read:proj*")).allowsSomeOf(projects)).isTrue();
        assertThat(Permissions.of(List.of("costs:read:projection")).allowsSomeOf(projects)).isFalse();
    }

    @Test
    void aProjectsCostsAreReadWithItsOwnPermission() {
        Permissions news = Permissions.of(List.of(Permissions.readProjectCosts("news")));

        assertThat(news.allows(Permissions.readProjectCosts("news"))).isTrue();
        assertThat(news.allows(Permissions.readProjectCosts("sports"))).isFalse();
        assertThat(news.allows(Permissions.COSTS_READ_FLEET)).isFalse();
        assertThat(Permissions.of(List.of("costs:read:*")).allows(Permissions.COSTS_READ_FLEET)).isTrue();
    }

    @Test
    void aLoneStarGrantsEverything() {
        Permissions all = Permissions.of(List.of("*"));

        assertThat(all.allows(Permissions.readMetric("anything"))).isTrue();
        assertThat(all.allows("costs:read")).isTrue();
    }

    @Test
    void noPatternsGrantNothing() {
        assertThat(Permissions.of(List.of()).allows(Permissions.ALERTS_READ)).isFalse();
        assertThat(Permissions.NONE.allows(Permissions.ALERTS_READ)).isFalse();
    }

    @Test
    void patternsAreKeptOnceAndUnited() {
        Permissions permissions = Permissions.of(List.of("alerts:read", "alerts:read"))
                .union(Permissions.of(List.of("costs:read")));

        assertThat(permissions.patterns()).containsExactlyInAnyOrder("alerts:read", "costs:read");
        assertThat(permissions).isEqualTo(Permissions.of(List.of("costs:read", "alerts:read")));
    }

    @Test
    void readMetricIsTheMetricReadPermission() {
        assertThat(Permissions.readMetric("gpu_utilization_percent"))
                .isEqualTo("metrics:read:gpu_utilization_percent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics:*:x", "*:read", "metrics:read:gpu_*_max"})
    void aStarBeforeTheEndIsRefused(String pattern) {
        assertThatThrownBy(() -> Permissions.of(List.of("alerts:read", pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + pattern + "'")
                .hasMessageContaining("'*' may only end a pattern");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "metrics:read: gpu", "metrics::read", "alerts:"})
    void blankPartsAndWhiteSpaceAreRefused(String pattern) {
        assertThatThrownBy(() -> Permissions.of(List.of(pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permission pattern");
    }
}
