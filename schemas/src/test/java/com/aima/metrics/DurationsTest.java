package com.aima.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsShortAndIsoForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void validatorsNameTheKeyAndRejectNegativeAndForPositiveZero() {
        Durations.validator().ensureValid("k", "0s");
        Durations.positiveValidator().ensureValid("k", "1s");
        assertThatThrownBy(() -> Durations.validator().ensureValid("costs.settle", "-PT1S"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("costs.settle")
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Durations.positiveValidator().ensureValid("costs.settle", "0s"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("costs.settle")
                .hasMessageContaining("Must be longer than zero.");
        assertThatThrownBy(() -> Durations.validator().ensureValid("k", "soon"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("soon");
    }
}
