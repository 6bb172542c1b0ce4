package com.aima.metrics.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A static bearer token of the configuration: who holds it, the SHA-256 digest of the token (never the token itself)
 * and the roles it grants.
 */
record StaticToken(String name, byte[] sha256, List<String> roles) {

    StaticToken {
        sha256 = sha256.clone();
        roles = List.copyOf(roles);
    }

    /** Whether {@code digest} is this token's, in time independent of where the two differ. */
    boolean matches(byte[] digest) {
        return MessageDigest.isEqual(sha256, digest);
    }

    /** The SHA-256 digest of the UTF-8 bytes of {@code token}. */
    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256.", e);
        }
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public String toString() {
        return "StaticToken[name=" + name + ", roles=" + roles + "]";
    }
}
