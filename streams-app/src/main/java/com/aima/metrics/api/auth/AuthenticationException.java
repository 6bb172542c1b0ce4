package com.aima.metrics.api.auth;

/**
 * A request's credentials were refused. The message is a short sentence safe to show the client ("The bearer token
 * has expired."); it never holds the token. The cause, when there is one, is for the server's log only.
 */
public class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason a whole sentence for the client, without the token */
    public AuthenticationException(String reason) {
        super(reason);
    }

    /**
     * @param reason a whole sentence for the client, without the token
     * @param cause why the token was refused, for the server's log
     */
    public AuthenticationException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The sentence to show the client. */
    public String reason() {
        return getMessage();
    }
}
