package com.aima.metrics.notify;

import java.util.OptionalLong;

/**
 * When to send a message again after its channel failed with a retryable error: exponential backoff from
 * {@code initialBackoffMs}, doubling per failure up to {@code maxBackoffMs}, for at most {@code timeoutMs} after the
 * first failure. Without jitter: one task sends to each endpoint, so there is no herd to spread. Immutable.
 */
record RetryPolicy(long initialBackoffMs, long maxBackoffMs, long timeoutMs) {

    RetryPolicy {
        if (initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs || timeoutMs < 0) {
            throw new IllegalArgumentException("Retry backoff " + initialBackoffMs + " to " + maxBackoffMs
                    + " ms and time-out " + timeoutMs + " ms: the first backoff must be at least 1 ms, the longest"
                    + " at least the first, the time-out not negative.");
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first): initial × 2^(failures−1), capped. */
    long backoffMs(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 62);
        long backoff = initialBackoffMs << doublings;
        return backoff <= 0 || backoff >>> doublings != initialBackoffMs ? maxBackoffMs
                : Math.min(backoff, maxBackoffMs);
    }

    /**
     * The time of the next attempt after the {@code failures}-th failure at {@code nowMs} of a message that first
     * failed at {@code firstFailureMs}; never later than the time-out, so the last attempt falls on it. Empty once the
     * time-out has passed: give up.
     */
    OptionalLong nextAttemptMs(int failures, long firstFailureMs, long nowMs) {
        long deadline = firstFailureMs + timeoutMs;
        if (nowMs >= deadline) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.min(nowMs + backoffMs(failures), deadline));
    }
}
