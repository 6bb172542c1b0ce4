package com.aima.metrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String ISSUER = "https://auth.example.com/";
    private static final String AUDIENCE = "aima-metrics";
    private static final String HS256_SECRET = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";
    private static final Map<String, String> ENV = Map.of("AIMA_API_TOKEN_GRAFANA", "grafana-token",
            "AIMA_JWT_SECRET", HS256_SECRET);
    /** SHA-256 of "test". */
    private static final String TEST_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static KeyPair rsa;
    private static KeyPair otherRsa;

    @TempDir
    Path dir;

    private Authenticator authenticator;

    @BeforeAll
    static void generateKeys() {
        rsa = TestKeys.rsa();
        otherRsa = TestKeys.rsa();
    }

    @BeforeEach
    void readTheConfiguration() {
        TestKeys.writePublicKeyPem(rsa, dir.resolve("jwt.pem"));
        SecurityConfig config = SecurityConfig.parse("""
                roles:
                  admin: ["metrics:read:*", "alerts:read", "costs:read"]
                  gpu-viewer: ["metrics:read:gpu_*", "alerts:read"]
                  cost-viewer: ["costs:read"]
                tokens:
                  - {name: grafana, token_env: AIMA_API_TOKEN_GRAFANA, roles: [gpu-viewer, cost-viewer]}
                  - {name: dashboard, sha256: "%s", roles: [admin]}
                  - {name: dev, token: dev-only-token, roles: [gpu-viewer]}
                jwt:
                  issuer: "%s"
                  audience: %s
                  hs256_secret_env: AIMA_JWT_SECRET
                  rs256_public_key_file: jwt.pem
                  clock_skew: 60s
                """.formatted(TEST_SHA256, ISSUER, AUDIENCE), dir, ENV::get);
        authenticator = config.authenticator(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aStaticTokenInClearIsItsPrincipal() throws AuthenticationException {
        Principal principal = authenticator.authenticate("Bearer dev-only-token");

        assertThat(principal).isEqualTo(new Principal("dev", "token", Set.of("gpu-viewer"),
                Permissions.of(List.of("metrics:read:gpu_*", "alerts:read"))));
        assertThat(principal.rateLimitKey()).isEqualTo("token:dev");
    }

    @Test
    void aStaticTokenFromTheEnvironmentHasTheUnionOfItsRolesPermissions() throws AuthenticationException {
        Principal principal = authenticator.authenticate("Bearer grafana-token");

        assertThat(principal.subject()).isEqualTo("grafana");
        assertThat(principal.roles()).containsExactlyInAnyOrder("gpu-viewer", "cost-viewer");
        assertThat(principal.permissions().patterns()).containsExactlyInAnyOrder("metrics:read:gpu_*",
                "alerts:read", "costs:read");
        assertThat(principal.allows("costs:read")).isTrue();
        assertThat(principal.allows(Permissions.readMetric("gpu_temperature_celsius"))).isTrue();
        assertThat(principal.allows(Permissions.readMetric("job_queue_length"))).isFalse();
    }

    @Test
    void aStaticTokenGivenByItsSha256IsFoundAndTheSchemeIsCaseInsensitive() throws AuthenticationException {
        Principal principal = authenticator.authenticate("bEaReR   test ");

        assertThat(principal.subject()).isEqualTo("dashboard");
        assertThat(principal.allows(Permissions.readMetric("job_queue_length"))).isTrue();
    }

    @Test
    void aMissingHeaderIsRefused() {
        assertRefused(null, "No bearer token: send Authorization: Bearer <token>.");
        assertRefused("  ", "No bearer token: send Authorization: Bearer <token>.");
        assertRefused("Bearer ", "No bearer token: send Authorization: Bearer <token>.");
    }

    @Test
    void anotherSchemeIsRefused() {
        assertRefused("Basic ZGV2OmRldi1vbmx5LXRva2Vu",
                "The Authorization header must use the Bearer scheme: send Authorization: Bearer <token>.");
        assertRefused("dev-only-token",
                "The Authorization header must use the Bearer scheme: send Authorization: Bearer <token>.");
    }

    @Test
    void anUnknownTokenIsRefusedWithoutEchoingIt() {
        assertRefused("Bearer not-a-known-token", "The bearer token is not valid.");
    }

    @Test
    void anHs256JwtIsItsSubject() throws Exception {
        Principal principal = authenticator.authenticate("Bearer " + hs256(claims().claim("roles",
                List.of("gpu-viewer", "cost-viewer")).build(), HS256_SECRET));

        assertThat(principal.subject()).isEqualTo("alice");
        assertThat(principal.kind()).isEqualTo("jwt");
        assertThat(principal.rateLimitKey()).isEqualTo("jwt:alice");
        assertThat(principal.roles()).containsExactlyInAnyOrder("gpu-viewer", "cost-viewer");
        assertThat(principal.permissions().patterns()).containsExactlyInAnyOrder("metrics:read:gpu_*",
                "alerts:read", "costs:read");
    }

    @Test
    void anRs256JwtIsItsSubject() throws Exception {
        Principal principal = authenticator.authenticate("Bearer " + rs256(claims().claim("roles",
                List.of("admin")).build(), rsa));

        assertThat(principal.subject()).isEqualTo("alice");
        assertThat(principal.allows(Permissions.readMetric("job_queue_length"))).isTrue();
    }

    @Test
    void rolesMayBeOneSpaceSeparatedStringAndUnknownRolesAreIgnored() throws Exception {
        Principal principal = authenticator.authenticate("Bearer " + hs256(claims()
                .claim("roles", "cost-viewer  superuser gpu-viewer").build(), HS256_SECRET));

        assertThat(principal.roles()).containsExactlyInAnyOrder("cost-viewer", "gpu-viewer");
        assertThat(principal.allows("superuser")).isFalse();
    }

    @Test
    void aJwtWithoutRolesHasNoPermissions() throws Exception {
        Principal principal = authenticator.authenticate("Bearer " + hs256(claims().build(), HS256_SECRET));

        assertThat(principal.roles()).isEmpty();
        assertThat(principal.allows(Permissions.ALERTS_READ)).isFalse();
    }

    @Test
    void anExpiredJwtIsRefused() throws Exception {
        assertRefusedJwt(claims().expirationTime(at(NOW.minusSeconds(61))), "The bearer token has expired.");
    }

    @Test
    void expiryWithinTheClockSkewIsAccepted() throws Exception {
        String token = hs256(claims().expirationTime(at(NOW.minusSeconds(59))).build(), HS256_SECRET);

        assertThat(authenticator.authenticate("Bearer " + token).subject()).isEqualTo("alice");
    }

    @Test
    void aJwtBeforeItsNotBeforeTimeIsRefused() throws Exception {
        assertRefusedJwt(claims().notBeforeTime(at(NOW.plusSeconds(120))), "The bearer token is not valid yet.");
    }

    @Test
    void aJwtWithoutExpiryIsRefused() throws Exception {
        assertRefusedJwt(claims().expirationTime(null), "The token has no expiry (exp).");
    }

    @Test
    void aJwtForAnotherAudienceIsRefused() throws Exception {
        assertRefusedJwt(claims().audience(List.of("billing", "other")), "The token's audience is not aima-metrics.");
    }

    @Test
    void aJwtOfAnotherIssuerIsRefused() throws Exception {
        assertRefusedJwt(claims().issuer("https://evil.example.com/"),
                "The token's issuer is not https://auth.example.com/.");
    }

    @Test
    void aJwtWithoutSubjectIsRefused() throws Exception {
        assertRefusedJwt(claims().subject(null), "The token has no subject (sub).");
    }

    @Test
    void aJwtSignedWithAnotherKeyIsRefused() throws Exception {
        assertRefused("Bearer " + hs256(claims().build(), OTHER_SECRET), "The bearer token is not valid.");
        assertRefused("Bearer " + rs256(claims().build(), otherRsa), "The bearer token is not valid.");
    }

    @Test
    void anUnsignedJwtIsRefused() {
        String unsigned = base64Url("{\"alg\":\"none\"}") + "." + base64Url(claims().build().toString()) + ".";

        assertRefused("Bearer " + unsigned,
                "The token's signing algorithm none is not accepted; the accepted ones are [HS256, RS256].");
    }

    @Test
    void anotherAlgorithmIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims().build());
        jwt.sign(new MACSigner((HS256_SECRET + HS256_SECRET).getBytes(StandardCharsets.UTF_8)));

        assertRefused("Bearer " + jwt.serialize(),
                "The token's signing algorithm HS512 is not accepted; the accepted ones are [HS256, RS256].");
    }

    @Test
    void aMalformedJwtIsRefused() {
        assertRefused("Bearer abc.def.ghi", "The bearer token is not a well-formed JWT.");
        assertRefused("Bearer " + base64Url("{\"alg\":\"HS256\"}") + "." + base64Url("not json") + ".c2ln",
                "The bearer token is not a well-formed JWT.");
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of("other", AUDIENCE))
                .subject("alice")
                .issueTime(at(NOW.minus(Duration.ofMinutes(1))))
                .expirationTime(at(NOW.plus(Duration.ofMinutes(10))));
    }

    private static Date at(Instant instant) {
        return Date.from(instant);
    }

    private static String hs256(JWTClaimsSet claims, String secret) throws JOSEException {
        return sign(JWSAlgorithm.HS256, claims, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static String rs256(JWTClaimsSet claims, KeyPair pair) throws JOSEException {
        return sign(JWSAlgorithm.RS256, claims, new RSASSASigner(pair.getPrivate()));
    }

    private static String sign(JWSAlgorithm algorithm, JWTClaimsSet claims, JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRefusedJwt(JWTClaimsSet.Builder claims, String reason) throws JOSEException {
        assertRefused("Bearer " + hs256(claims.build(), HS256_SECRET), reason);
        assertRefused("Bearer " + rs256(claims.build(), rsa), reason);
    }

    private void assertRefused(String header, String reason) {
        assertThatThrownBy(() -> authenticator.authenticate(header))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage(reason);
    }
}
