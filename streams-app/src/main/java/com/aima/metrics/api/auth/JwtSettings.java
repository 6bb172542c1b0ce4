package com.aima.metrics.api.auth;

import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * What a JWT must satisfy, from the {@code jwt} section of the configuration.
 *
 * @param issuer the exact {@code iss}
 * @param audience a value {@code aud} must hold
 * @param hs256Key the HS256 key, at least 32 bytes, or null to refuse HS256
 * @param rs256Key the RS256 public key, or null to refuse RS256
 * @param rolesClaim the claim holding the role names: a JSON array, or one string of names separated by spaces
 * @param clockSkew how far {@code exp} and {@code nbf} may be off the clock, not negative
 */
record JwtSettings(String issuer, String audience, SecretKey hs256Key, RSAPublicKey rs256Key, String rolesClaim,
        Duration clockSkew) {

    JwtSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(rolesClaim, "rolesClaim");
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (hs256Key == null && rs256Key == null) {
            throw new IllegalArgumentException("A JWT needs an HS256 secret or an RS256 public key to be verified.");
        }
    }

    @Override
    public String toString() {
        return "JwtSettings[issuer=" + issuer + ", audience=" + audience + ", hs256=" + (hs256Key != null)
                + ", rs256=" + (rs256Key != null) + ", rolesClaim=" + rolesClaim + ", clockSkew=" + clockSkew + "]";
    }
}
