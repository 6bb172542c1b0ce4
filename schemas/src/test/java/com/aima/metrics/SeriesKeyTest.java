package com.aima.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
