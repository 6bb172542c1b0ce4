package com.aima.metrics.serde;

import org.apache.kafka.common.KafkaException;

/**
 * A failed call to a schema registry: an error answer (with its HTTP status and Confluent error code) or no answer at
 * all ({@link #httpStatus()} is then {@link #UNREACHABLE}).
 */
public class SchemaRegistryException extends KafkaException {

    /** {@link #httpStatus()} of a registry that did not answer. */
    public static final int UNREACHABLE = -1;

    /** Confluent error code: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: schema (by id, or under a subject) not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** HTTP status of a schema that is incompatible with the subject's compatibility rule. */
    public static final int CONFLICT = 409;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** HTTP status of the registry's answer, or {@link #UNREACHABLE}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code of the answer ({@code error_code}), or the HTTP status when the body had none. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether {@code e} failed because the registry did not answer or answered with a server error: not the record's
     * fault, so a consumer should retry rather than dead-letter it.
     */
    public static boolean isRegistryUnavailable(Throwable e) {
        return e != null && e.getCause() instanceof SchemaRegistryException registry
                && (registry.httpStatus() == UNREACHABLE || registry.httpStatus() >= 500);
    }

    public boolean isNotFound() {
        return httpStatus == 404;
    }

    public boolean isIncompatible() {
        return httpStatus == CONFLICT;
    }
}
