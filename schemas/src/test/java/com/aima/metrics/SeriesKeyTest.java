package com.aima.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesKeyTest {

    @Test
    void sortsLabelsAndQuotesValues() {
        assertThat(SeriesKey.of("gpu_util", Map.of("node", "n1", "gpu", "0"))).isEqualTo("gpu_util{gpu=\"0\",node=\"n1\"}");
        assertThat(SeriesKey.of("up", Map.of())).isEqualTo("up{}");
    }

    @Test
    void differentSeriesNeverShareAKey() {
        assertThat(SeriesKey.of("m", Map.of("a", "1,b=\"2\"")))
                .isNotEqualTo(SeriesKey.of("m", Map.of("a", "1", "b", "2")))
                .isEqualTo("m{a=\"1,b=\\\"2\\\"\"}");
        assertThat(SeriesKey.of("m", Map.of("a", "x\\\"}"))).isEqualTo("m{a=\"x\\\\\\\"}\"}");
    }

    @Test
    void namesFollowThePrometheusRules() {
        assertThat(SeriesKey.METRIC_NAME.matcher("gpu_memory_used_bytes").matches()).isTrue();
        assertThat(SeriesKey.METRIC_NAME.matcher("9lives").matches()).isFalse();
        assertThat(SeriesKey.LABEL_NAME.matcher("gpu_uuid").matches()).isTrue();
        assertThat(SeriesKey.LABEL_NAME.matcher("a=b").matches()).isFalse();
    }

    @Test
    void parseIsTheInverseOfOf() {
        for (Map<String, String> labels : java.util.List.of(Map.<String, String>of(), Map.of("gpu", "0", "node", "n1"),
                Map.of("a", "1,b=\"2\"", "z", "x\\\"}\nq", "e", ""))) {
            SeriesKey.Parsed parsed = SeriesKey.parse(SeriesKey.of("gpu_util", labels));
            assertThat(parsed.name()).isEqualTo("gpu_util");
            assertThat(parsed.labels()).isEqualTo(labels);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu_util", "{a=\"1\"}", "gpu_util{a=1}", "gpu_util{a=\"1\"", "gpu_util{a=\"1\"b=\"2\"}",
            "gpu_util{9a=\"1\"}", "9gpu{}"})
    void parseRefusesWhatIsNotASeriesKey(String key) {
        assertThatThrownBy(() -> SeriesKey.parse(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key);
    }

    @Test
    void thePrefixOfAMetricCoversExactlyItsSeries() {
        String prefix = SeriesKey.prefixOf("gpu_util");
        assertThat(SeriesKey.of("gpu_util", Map.of("gpu", "0"))).startsWith(prefix);
        assertThat(SeriesKey.of("gpu_utilization", Map.of())).doesNotStartWith(prefix);
    }
}
