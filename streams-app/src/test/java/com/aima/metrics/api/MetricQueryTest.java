package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.rollup.Tier;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MetricQueryTest {

    private static final long FROM_MS = Instant.parse("2026-12-08T10:00:00Z").toEpochMilli();
    private static final long TO_MS = Instant.parse("2026-12-08T11:00:00Z").toEpochMilli();

    private static MetricQuery query(Map<String, String> labels, boolean exact) {
        return new MetricQuery("gpu_util", null, labels, exact, FROM_MS, TO_MS, 10);
    }

    private static String key(Map<String, String> labels) {
        return SeriesKey.of("gpu_util", labels);
    }

    @Test
    void withoutLabelsEverySeriesMatches() {
        MetricQuery all = query(Map.of(), false);
        assertThat(all.matches(key(Map.of()))).isTrue();
        assertThat(all.matches(key(Map.of("gpu", "0", "node", "n1")))).isTrue();
        assertThat(all.exactSeries()).isNull();
    }

    @Test
    void aSubsetMatchesTheSeriesHavingAllItsLabels() {
        MetricQuery gpu0 = query(Map.of("gpu", "0", "node", "n1"), false);
        assertThat(gpu0.matches(key(Map.of("gpu", "0", "node", "n1")))).isTrue();
        assertThat(gpu0.matches(key(Map.of("gpu", "0", "node", "n1", "job", "j7")))).isTrue();
        assertThat(gpu0.matches(key(Map.of("gpu", "1", "node", "n1")))).isFalse();
        assertThat(gpu0.matches(key(Map.of("gpu", "0")))).isFalse();
        assertThat(gpu0.matches(key(Map.of("gpu", "00", "node", "n1")))).isFalse();
        assertThat(gpu0.matches(key(Map.of()))).isFalse();
        assertThat(gpu0.exactSeries()).isNull();
    }

    @Test
    void aSubsetComparesValuesAfterUnescapingTheKey() {
        MetricQuery quoted = query(Map.of("job", "say \"hi\"\\n", "node", "a,b=\"c\""), false);
        assertThat(quoted.matches(key(Map.of("job", "say \"hi\"\\n", "node", "a,b=\"c\"", "gpu", "0")))).isTrue();
        assertThat(quoted.matches(key(Map.of("job", "say \"hi\"\\n", "node", "a", "b", "c")))).isFalse();
    }

    @Test
    void anExactQueryMatchesOnlyTheSeriesWithExactlyItsLabels() {
        MetricQuery exact = query(Map.of("node", "n1", "gpu", "0"), true);
        assertThat(exact.exactSeries()).isEqualTo("gpu_util{gpu=\"0\",node=\"n1\"}");
        assertThat(exact.matches(key(Map.of("gpu", "0", "node", "n1")))).isTrue();
        assertThat(exact.matches(key(Map.of("gpu", "0", "node", "n1", "job", "j7")))).isFalse();
        assertThat(exact.matches(key(Map.of("gpu", "0")))).isFalse();
        assertThat(exact.matches(key(Map.of("gpu", "1", "node", "n1")))).isFalse();
    }

    @Test
    void anExactQueryWithoutLabelsNamesTheSeriesWithoutLabels() {
        MetricQuery exact = query(Map.of(), true);
        assertThat(exact.exactSeries()).isEqualTo("gpu_util{}");
        assertThat(exact.matches("gpu_util{}")).isTrue();
        assertThat(exact.matches(key(Map.of("gpu", "0")))).isFalse();
    }

    @Test
    void theLabelsAreACopy() {
        Map<String, String> labels = new java.util.HashMap<>(Map.of("gpu", "0"));
        MetricQuery query = query(labels, false);
        labels.put("node", "n1");
        assertThat(query.labels()).isEqualTo(Map.of("gpu", "0"));
    }

    static Stream<MetricQuery> queries() {
        long fromMs = Instant.parse("2026-11-30T23:59:59.001Z").toEpochMilli();
        long toMs = Instant.parse("2026-12-08T10:00:00.999Z").toEpochMilli();
        return Stream.of(
                new MetricQuery("gpu_util", null, Map.of(), false, fromMs, toMs, 1),
                new MetricQuery("gpu_util", null, Map.of("gpu", "0", "node", "n1"), true, fromMs, toMs, 1000),
                new MetricQuery("job:inference_time_ms", null, Map.of(), true, FROM_MS, TO_MS, 7),
                new MetricQuery("gpu_util", Tier.HOUR, Map.of("node", "n1"), false, FROM_MS, TO_MS, 42),
                new MetricQuery("gpu_util", Tier.DAY, Map.of("query", "a=b&c=d", "pct", "100%", "plus", "a+b c",
                        "quote", "\"x\"", "unicode", "Zürich ✓", "empty", ""), true, fromMs, toMs, 500),
                new MetricQuery("gpu_util", Tier.MONTH, Map.of(), false, Instant.parse("2026-01-01T00:00:00Z")
                        .toEpochMilli(), Instant.parse("2026-12-01T00:00:00Z").toEpochMilli(), 12),
                new MetricQuery("gpu_util", Tier.YEAR, Map.of("gpu", "7"), true, 0L, TO_MS, 3));
    }

    @ParameterizedTest
    @MethodSource("queries")
    void theQueryStringParsesBackToTheSameQueryWhateverTheClock(MetricQuery query) {
        QueryParameters parameters = new QueryParameters(100, 1000, 20_000, QueryParametersTest.WINDOWS);
        for (Instant now : new Instant[] {Instant.ofEpochMilli(query.toMs()), Instant.parse("2030-01-01T00:00:00Z")}) {
            MetricQuery back = parameters.parse(query.metric(), QueryParameters.split(query.toQueryString()),
                    !query.raw(), now);
            assertThat(back).isEqualTo(query);
        }
    }
}
