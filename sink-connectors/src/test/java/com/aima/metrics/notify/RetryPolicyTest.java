package com.aima.metrics.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(1_000, 60_000, 86_400_000);

    @Test
    void backoffDoublesUpToTheMaximum() {
        assertThat(IntStream.rangeClosed(1, 9).mapToLong(policy::backoffMs).toArray())
                .containsExactly(1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000);
        assertThat(policy.backoffMs(200)).as("no overflow").isEqualTo(60_000);
    }

    @Test
    void theLastAttemptFallsOnTheTimeOutAndThenItGivesUp() {
        RetryPolicy shortPolicy = new RetryPolicy(1_000, 60_000, 10_000);

        assertThat(shortPolicy.nextAttemptMs(1, 0, 0)).isEqualTo(OptionalLong.of(1_000));
        assertThat(shortPolicy.nextAttemptMs(4, 0, 7_000)).isEqualTo(OptionalLong.of(10_000));
        assertThat(shortPolicy.nextAttemptMs(5, 0, 10_000)).isEmpty();
        assertThat(new RetryPolicy(1_000, 1_000, 0).nextAttemptMs(1, 5, 5)).as("no retries").isEmpty();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(10, 5, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
