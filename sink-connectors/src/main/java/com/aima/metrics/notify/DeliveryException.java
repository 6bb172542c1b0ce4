package com.aima.metrics.notify;

/** A channel could not deliver a message; the message names the channel, the endpoint's answer and the cause. */
public class DeliveryException extends Exception {

    private final boolean retryable;

    public DeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public DeliveryException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    /** Whether sending the same message again may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
