package com.aima.metrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** Time that moves only when the test says so. */
    private static final class ManualTimeMeter implements TimeMeter {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    private final ManualTimeMeter time = new ManualTimeMeter();

    @Test
    void theBurstIsAllowedAndTheNextRequestIsRefusedWithARetryAfter() {
        RateLimiter limiter = new RateLimiter(2, 4, time);

        for (int i = 0; i < 4; i++) {
            assertThat(limiter.tryAcquire("token:grafana")).isEqualTo(new RateLimiter.Decision(true, 0));
        }
        RateLimiter.Decision refused = limiter.tryAcquire("token:grafana");

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void aSlowRefillIsRoundedUpToWholeSeconds() {
        RateLimiter limiter = new RateLimiter(1, 1, time);
        limiter.tryAcquire("jwt:alice");
        time.advance(Duration.ofMillis(100));

        assertThat(limiter.tryAcquire("jwt:alice")).isEqualTo(new RateLimiter.Decision(false, 1));
    }

    @Test
    void theBucketRefillsAsTimePasses() {
        RateLimiter limiter = new RateLimiter(2, 4, time);
        for (int i = 0; i < 4; i++) {
            limiter.tryAcquire("token:grafana");
        }
        assertThat(limiter.tryAcquire("token:grafana").allowed()).isFalse();

        time.advance(Duration.ofMillis(500));
        assertThat(limiter.tryAcquire("token:grafana").allowed()).isTrue();
        assertThat(limiter.tryAcquire("token:grafana").allowed()).isFalse();

        time.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.tryAcquire("token:grafana").allowed()).as("request %d after a full refill", i).isTrue();
        }
        assertThat(limiter.tryAcquire("token:grafana").allowed()).isFalse();
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(1, 1, time);

        assertThat(limiter.tryAcquire("token:grafana").allowed()).isTrue();
        assertThat(limiter.tryAcquire("token:grafana").allowed()).isFalse();
        assertThat(limiter.tryAcquire("jwt:grafana").allowed()).isTrue();
    }

    @Test
    void figuresThatAreNotPositiveAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new RateLimiter(0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate_limit.requests_per_second must be more than 0, not 0.");
        assertThatThrownBy(() -> new RateLimiter(10, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate_limit.burst must be more than 0, not -1.");
    }
}
