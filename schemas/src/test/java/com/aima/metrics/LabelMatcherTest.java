package com.aima.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {

    @Test
    void parsesAListWithOrWithoutBraces() {
        assertThat(LabelMatcher.parseAll("{node=~\"gpu-.*\", gpu!=\"0\"}")).extracting(LabelMatcher::toString)
                .containsExactly("node=~\"gpu-.*\"", "gpu!=\"0\"");
        assertThat(LabelMatcher.parseAll("node=\"a\",source!~\"sim.*\"")).hasSize(2);
        assertThat(LabelMatcher.parseAll("  ")).isEmpty();
    }

    @Test
    void commasAndEscapedQuotesInsideValuesDoNotSplit() {
        List<LabelMatcher> matchers = LabelMatcher.parseAll("job=~\"x{1,3}\", note=\"say \\\"hi\\\", then\"");

        assertThat(matchers).hasSize(2);
        assertThat(matchers.get(0).matches(Map.of("job", "xx"))).isTrue();
        assertThat(matchers.get(0).matches(Map.of("job", "xxxx"))).isFalse();
        assertThat(matchers.get(1).value()).isEqualTo("say \"hi\", then");
    }

    @Test
    void matchesAsPrometheusDoes() {
        Map<String, String> labels = Map.of("node", "gpu-7", "gpu", "0");

        assertThat(LabelMatcher.parse("node=\"gpu-7\"").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("gpu!=\"0\"").matches(labels)).isFalse();
        assertThat(LabelMatcher.parse("node=~\"gpu\"").matches(labels)).as("anchored").isFalse();
        assertThat(LabelMatcher.parse("node!~\"cpu-.*\"").matches(labels)).isTrue();
        assertThat(LabelMatcher.parse("zone=\"\"").matches(labels)).as("missing label is empty").isTrue();
    }

    @Test
    void errorsNameThePartAtFault() {
        assertThatThrownBy(() -> LabelMatcher.parseAll("node=\"a\", gpu>\"1\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gpu>\"1\"'");
        assertThatThrownBy(() -> LabelMatcher.parse("node=~\"[\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a regular expression");
    }
}
