package com.aima.metrics.notify;

import java.time.Duration;
import java.util.Optional;

/** A channel could not deliver a message; the message names the channel, the endpoint's answer and the cause. */
public class DeliveryException extends Exception {

    private final boolean retryable;
    private final Duration retryAfter;

    /**
     * @param retryAfter how long the endpoint asked to wait before the next attempt (HTTP {@code Retry-After}), or
     *                   null when it did not say
     */
    public DeliveryException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public DeliveryException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, null, cause);
    }

    public DeliveryException(String message, boolean retryable) {
        this(message, retryable, null, null);
    }

    /** Whether sending the same message again may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** How long the endpoint asked to wait before sending again (HTTP {@code Retry-After} in seconds), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
