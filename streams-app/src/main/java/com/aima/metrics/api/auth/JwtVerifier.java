package com.aima.metrics.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies signed JWTs with nimbus-jose-jwt against {@link JwtSettings}: the signature with HS256 or RS256 (whichever
 * keys are set; {@code alg: none} and every other algorithm are refused), then {@code iss}, {@code aud}, {@code exp}
 * (required) and {@code nbf} against the clock with the configured skew, and {@code sub} (required). Thread-safe.
 */
final class JwtVerifier {

    static final String MALFORMED = "The bearer token is not a well-formed JWT.";
    static final String INVALID = "The bearer token is not valid.";
    static final String EXPIRED = "The bearer token has expired.";
    static final String NOT_YET_VALID = "The bearer token is not valid yet.";
    static final String NO_EXPIRY = "The token has no expiry (exp).";
    static final String NO_SUBJECT = "The token has no subject (sub).";

    private final JwtSettings settings;
    private final Clock clock;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /** What a verified JWT says: its subject and the role names of its roles claim, defined or not. */
    record Verified(String subject, List<String> roleNames) {
    }

    /** A claim the token fails, with the reason for the client. */
    private static final class RejectedClaim extends BadJWTException {
        private static final long serialVersionUID = 1L;

        RejectedClaim(String reason) {
            super(reason);
        }
    }

    JwtVerifier(JwtSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Set<JWSAlgorithm> accepted = new LinkedHashSet<>();
        if (settings.hs256Key() != null) {
            accepted.add(JWSAlgorithm.HS256);
        }
        if (settings.rs256Key() != null) {
            accepted.add(JWSAlgorithm.RS256);
        }
        this.algorithms = Set.copyOf(accepted);
        processor.setJWSKeySelector((header, context) -> keysFor(header.getAlgorithm()));
        processor.setJWTClaimsSetVerifier((claims, context) -> verifyClaims(claims));
    }

    /** Whether {@code token} looks like a JWS: three parts separated by dots. */
    static boolean hasJwtShape(String token) {
        return token.split("\\.", -1).length == 3;
    }

    /** @throws AuthenticationException with the reason for the client, and nimbus's exception as the cause */
    Verified verify(String token) throws AuthenticationException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
            // Parsed here so that a payload that is no JSON object is reported as malformed, not as invalid.
            jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AuthenticationException(MALFORMED, e);
        }
        if (!(jwt instanceof SignedJWT signed) || !algorithms.contains(signed.getHeader().getAlgorithm())) {
            throw new AuthenticationException("The token's signing algorithm " + jwt.getHeader().getAlgorithm()
                    + " is not accepted; the accepted ones are " + names(algorithms) + ".");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (RejectedClaim e) {
            throw new AuthenticationException(e.getMessage(), e);
        } catch (BadJOSEException | JOSEException e) {
            throw new AuthenticationException(INVALID, e);
        }
        return new Verified(claims.getSubject(), roleNames(claims.getClaim(settings.rolesClaim())));
    }

    private List<? extends Key> keysFor(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.HS256.equals(algorithm) && settings.hs256Key() != null) {
            return List.of(settings.hs256Key());
        }
        if (JWSAlgorithm.RS256.equals(algorithm) && settings.rs256Key() != null) {
            return List.of(settings.rs256Key());
        }
        return List.of();
    }

    private void verifyClaims(JWTClaimsSet claims) throws RejectedClaim {
        if (!settings.issuer().equals(claims.getIssuer())) {
            throw new RejectedClaim("The token's issuer is not " + settings.issuer() + ".");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(settings.audience())) {
            throw new RejectedClaim("The token's audience is not " + settings.audience() + ".");
        }
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new RejectedClaim(NO_EXPIRY);
        }
        if (now.isAfter(expiry.toInstant().plus(settings.clockSkew()))) {
            throw new RejectedClaim(EXPIRED);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(settings.clockSkew()))) {
            throw new RejectedClaim(NOT_YET_VALID);
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new RejectedClaim(NO_SUBJECT);
        }
    }

    /** The names in a roles claim: a JSON array of strings, or one string of names separated by white space. */
    private static List<String> roleNames(Object claim) {
        List<String> names = new ArrayList<>();
        if (claim instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof String name && !name.isBlank()) {
                    names.add(name.trim());
                }
            }
        } else if (claim instanceof String text) {
            for (String name : text.trim().split("\\s+")) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static List<String> names(Set<JWSAlgorithm> algorithms) {
        return algorithms.stream().map(JWSAlgorithm::getName).sorted().toList();
    }
}
