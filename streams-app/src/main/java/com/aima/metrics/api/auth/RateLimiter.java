package com.aima.metrics.api.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket per key ({@link Principal#rateLimitKey()}): each holds at most {@code burst} requests and refills
 * greedily at {@code requestsPerSecond} requests per second. The limit is per instance of the API, not shared between
 * instances. Buckets are created on first use and kept, one per principal that ever made a request. Thread-safe.
 */
public final class RateLimiter {

    /** The configuration key of the refill rate, in requests per second. */
    public static final String REQUESTS_PER_SECOND_CONFIG = "rate_limit.requests_per_second";
    /** The configuration key of the bucket capacity, in requests. */
    public static final String BURST_CONFIG = "rate_limit.burst";
    /** The refill rate when the configuration names none, in requests per second. */
    public static final long REQUESTS_PER_SECOND_DEFAULT = 20;

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long requestsPerSecond;
    private final long burst;
    private final TimeMeter timeMeter;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * Whether a request may go ahead.
     *
     * @param allowed true if it may
     * @param retryAfterSeconds when refused, the whole seconds (at least 1) until a request would be allowed again,
     *        for a {@code Retry-After} header; 0 when allowed
     */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    /**
     * Buckets on the system's monotonic clock.
     *
     * @param requestsPerSecond the refill rate, in requests per second, more than 0
     * @param burst the bucket capacity, in requests, more than 0
     * @throws IllegalArgumentException naming the configuration key of a figure that is not more than 0
     */
    public RateLimiter(long requestsPerSecond, long burst) {
        this(requestsPerSecond, burst, TimeMeter.SYSTEM_NANOTIME);
    }

    /**
     * As {@link #RateLimiter(long, long)}, with buckets on {@code timeMeter}: tests pass one they advance.
     *
     * @throws IllegalArgumentException naming the configuration key of a figure that is not more than 0
     */
    public RateLimiter(long requestsPerSecond, long burst, TimeMeter timeMeter) {
        this.requestsPerSecond = requireValidRequestsPerSecond(requestsPerSecond);
        this.burst = requireValidBurst(burst);
        this.timeMeter = Objects.requireNonNull(timeMeter, "timeMeter");
    }

    /** @throws IllegalArgumentException naming {@value #REQUESTS_PER_SECOND_CONFIG} if the rate is not more than 0 */
    public static long requireValidRequestsPerSecond(long requestsPerSecond) {
        if (requestsPerSecond <= 0) {
            throw new IllegalArgumentException(REQUESTS_PER_SECOND_CONFIG + " must be more than 0, not "
                    + requestsPerSecond + ".");
        }
        return requestsPerSecond;
    }

    /** @throws IllegalArgumentException naming {@value #BURST_CONFIG} if the capacity is not more than 0 */
    public static long requireValidBurst(long burst) {
        if (burst <= 0) {
            throw new IllegalArgumentException(BURST_CONFIG + " must be more than 0, not " + burst + ".");
        }
        return burst;
    }

    /** Takes one request from {@code key}'s bucket if it has one left. */
    public Decision tryAcquire(String key) {
        ConsumptionProbe probe = buckets.computeIfAbsent(key, ignored -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return new Decision(true, 0);
        }
        long nanos = probe.getNanosToWaitForRefill();
        long seconds = nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1);
        return new Decision(false, Math.max(1, seconds));
    }

    /** The refill rate, in requests per second. */
    public long requestsPerSecond() {
        return requestsPerSecond;
    }

    /** The bucket capacity, in requests. */
    public long burst() {
        return burst;
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(requestsPerSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(timeMeter)
                .build();
    }
}
