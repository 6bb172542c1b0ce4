package com.aima.metrics.collector.otlp;

/** A request the receiver answers with an HTTP error status and a message naming what is wrong. */
final class HttpProblem extends Exception {

    private final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    HttpProblem(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
