package com.aima.metrics.api;

/**
 * A request the API refuses, answered as {@code application/problem+json} (RFC 9457) with the status, a title, a
 * detail sentence that names the parameter and value at fault, and the parameter itself where one is to blame.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String parameter;
    private final long retryAfterSeconds;

    private ApiException(int status, String detail, String parameter, long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.parameter = parameter;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: {@code parameter} has a value the API cannot use; {@code detail} names it and says what is accepted. */
    public static ApiException badParameter(String parameter, String detail) {
        return new ApiException(400, detail, parameter, 0);
    }

    /** 404 with {@code detail}. */
    public static ApiException notFound(String parameter, String detail) {
        return new ApiException(404, detail, parameter, 0);
    }

    /** 503: the answer would be incomplete now (a rebalance, a restoring store, an unreachable instance). */
    public static ApiException unavailable(String detail) {
        return new ApiException(503, detail, null, 1);
    }

    /** Any other status. */
    public static ApiException of(int status, String detail) {
        return new ApiException(status, detail, null, 0);
    }

    /** 429 with the seconds after which the caller may try again. */
    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(429, "Too many requests for this token; retry after " + retryAfterSeconds + " s.",
                null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    /** The query or path parameter at fault, or null. */
    public String parameter() {
        return parameter;
    }

    /** Seconds for a {@code Retry-After} header; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
