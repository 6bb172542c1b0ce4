package com.aima.metrics.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.dashboards.GrafanaMacros.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrafanaMacrosTest {

    private static final Instant FROM = Instant.parse("2026-11-22T06:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void timeFilterAndIntervalsExpandAsGrafanaSendsThem() {
        String query = "SELECT sum(\"value\") * 1000 / $__interval_ms FROM \"raw\".\"m\" WHERE $timeFilter "
                + "GROUP BY time($__interval), time($interval)";

        assertThat(GrafanaMacros.expand(query, FROM, TO, Duration.ofHours(1), Map.of()))
                .isEqualTo("SELECT sum(\"value\") * 1000 / 3600000 FROM \"raw\".\"m\" WHERE time >= 1795327200000ms "
                        + "and time <= 1795348800000ms GROUP BY time(1h), time(1h)");
    }

    @Test
    void multiValueVariablesBecomeEscapedAlternativesAndSingleValuesStayAsTheyAre() {
        Map<String, Value> variables = Map.of(
                "node", new Value(List.of("gpu-node-1", "gpu.node/2"), true),
                "one", new Value(List.of("a.b"), true),
                "project", new Value(List.of("archive"), false));

        assertThat(GrafanaMacros.expand("\"node\" =~ /^$node$/ AND \"x\" =~ /^${one}$/ AND \"project\" = '[[project]]'",
                FROM, TO, Duration.ofHours(1), variables))
                .isEqualTo("\"node\" =~ /^(gpu-node-1|gpu\\.node\\/2)$/ AND \"x\" =~ /^a\\.b$/ "
                        + "AND \"project\" = 'archive'");
    }

    @Test
    void anUndefinedVariableIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> GrafanaMacros.expand("WHERE \"gpu\" = '$gpu'", FROM, TO, Duration.ofHours(1),
                Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$gpu");
    }

    @Test
    void variablesUsedLeavesTheBuiltInMacrosOut() {
        assertThat(GrafanaMacros.variablesUsed("WHERE $timeFilter AND \"a\" =~ /^$a$/ AND \"b\" = '${b}' "
                + "GROUP BY time($__interval) LIMIT [[c]]")).containsExactly("a", "b", "c");
    }

    @Test
    void relativeTimesAndDurations() {
        assertThat(GrafanaMacros.relativeStart("now-6h", TO)).isEqualTo(FROM);
        assertThat(GrafanaMacros.relativeStart("6h", TO)).isEqualTo(FROM);
        assertThat(GrafanaMacros.duration("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(GrafanaMacros.duration("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(GrafanaMacros.influxDuration(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(GrafanaMacros.influxDuration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThatThrownBy(() -> GrafanaMacros.duration("now/M")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("now/M");
    }
}
