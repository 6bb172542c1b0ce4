package com.aima.metrics.api.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who made a request, once {@link Authenticator} has accepted its bearer token.
 *
 * @param subject the static token's {@code name}, or the JWT's {@code sub}
 * @param kind {@link #TOKEN} or {@link #JWT}
 * @param roles the roles the configuration defines that the token holds
 * @param permissions the union of the permissions of {@code roles}
 */
public record Principal(String subject, String kind, Set<String> roles, Permissions permissions) {

    /** A static bearer token of the configuration. */
    public static final String TOKEN = "token";
    /** A signed JWT. */
    public static final String JWT = "jwt";

    /** @throws IllegalArgumentException if the subject is blank or the kind is neither {@code token} nor {@code jwt} */
    public Principal {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("A principal's subject must not be blank.");
        }
        if (!TOKEN.equals(kind) && !JWT.equals(kind)) {
            throw new IllegalArgumentException("A principal's kind is '" + TOKEN + "' or '" + JWT + "', not '" + kind
                    + "'.");
        }
        roles = Set.copyOf(roles);
        Objects.requireNonNull(permissions, "permissions");
    }

    /** The key of this principal's rate-limit bucket: {@code <kind>:<subject>}, so a token and a JWT never share one. */
    public String rateLimitKey() {
        return kind + ":" + subject;
    }

    /** Whether this principal's permissions grant some permission starting with {@code prefix}. */
    public boolean allowsSomeOf(String prefix) {
        return permissions.allowsSomeOf(prefix);
    }

    /** Whether this principal's permissions grant {@code permission}. */
    public boolean allows(String permission) {
        return permissions.allows(permission);
    }
}
