package com.aima.metrics.api.auth;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code Authorization: Bearer <token>} header into a {@link Principal}. The token is first compared with
 * every static token of the configuration by SHA-256 digest, in constant time per token; a token that is none of them
 * and has the shape of a JWT (three dot-separated parts) is verified as a JWT when the configuration has a
 * {@code jwt} section. The principal's permissions are the union of the permissions of its roles; role names in a
 * JWT that the configuration does not define are ignored. Thread-safe. Obtain one from
 * {@link SecurityConfig#authenticator()}.
 */
public final class Authenticator {

    static final String NO_TOKEN = "No bearer token: send Authorization: Bearer <token>.";
    static final String NOT_BEARER = "The Authorization header must use the Bearer scheme:"
            + " send Authorization: Bearer <token>.";

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final String BEARER = "bearer";

    private final Map<String, Permissions> roles;
    private final List<StaticToken> tokens;
    /** The principal of each static token, in the order of {@link #tokens}: fixed by the configuration. */
    private final List<Principal> tokenPrincipals;
    private final JwtVerifier jwt;

    /**
     * @param roles the permissions of each role name
     * @param tokens the static tokens; every role they name is in {@code roles}
     * @param jwt what a JWT must satisfy, or null to accept static tokens only
     * @param clock the clock {@code exp} and {@code nbf} are checked against
     */
    Authenticator(Map<String, Permissions> roles, List<StaticToken> tokens, JwtSettings jwt, Clock clock) {
        this.roles = Map.copyOf(roles);
        this.tokens = List.copyOf(tokens);
        this.tokenPrincipals = this.tokens.stream()
                .map(token -> principal(token.name(), Principal.TOKEN, token.roles())).toList();
        this.jwt = jwt == null ? null : new JwtVerifier(jwt, clock);
    }

    /**
     * @param authorizationHeader the value of the {@code Authorization} header, or null when the request has none
     * @return who sent the request
     * @throws AuthenticationException when the header is missing, is not {@code Bearer <token>} (the scheme in any
     *         case), or the token is unknown, malformed, badly signed, expired, not yet valid, or for another issuer
     *         or audience; its message is safe to show the client
     */
    public Principal authenticate(String authorizationHeader) throws AuthenticationException {
        String token = bearerToken(authorizationHeader);
        byte[] digest = StaticToken.digest(token);
        Principal found = null;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).matches(digest) && found == null) {
                found = tokenPrincipals.get(i);
            }
        }
        if (found != null) {
            return found;
        }
        if (jwt == null || !JwtVerifier.hasJwtShape(token)) {
            throw new AuthenticationException(JwtVerifier.INVALID);
        }
        try {
            JwtVerifier.Verified verified = jwt.verify(token);
            return principal(verified.subject(), Principal.JWT, verified.roleNames());
        } catch (AuthenticationException e) {
            LOG.debug("Refused a JWT: {}", e.getMessage(), e.getCause());
            throw e;
        }
    }

    private static String bearerToken(String header) throws AuthenticationException {
        if (header == null || header.isBlank()) {
            throw new AuthenticationException(NO_TOKEN);
        }
        String trimmed = header.strip();
        int space = indexOfWhitespace(trimmed);
        String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
        if (!BEARER.equals(scheme.toLowerCase(Locale.ROOT))) {
            throw new AuthenticationException(NOT_BEARER);
        }
        String token = space < 0 ? "" : trimmed.substring(space).strip();
        if (token.isEmpty()) {
            throw new AuthenticationException(NO_TOKEN);
        }
        return token;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private Principal principal(String subject, String kind, List<String> roleNames) {
        Set<String> held = new LinkedHashSet<>();
        Permissions permissions = Permissions.NONE;
        for (String role : roleNames) {
            Permissions granted = roles.get(role);
            if (granted == null) {
                LOG.debug("Ignored the role '{}' of {} {}: the security configuration does not define it.", role,
                        kind, subject);
            } else if (held.add(role)) {
                permissions = permissions.union(granted);
            }
        }
        return new Principal(subject, kind, held, permissions);
    }
}
