package com.aima.metrics.collector.otlp;

/** A job event in JSON that cannot become a {@code JobEvent}; the message names the field and the value at fault. */
final class InvalidJobEventException extends Exception {

    InvalidJobEventException(String message) {
        super(message, null, false, false);
    }
}
