package com.aima.metrics.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SecurityConfigTest {

    private static final String HS256_SECRET = "0123456789abcdef0123456789abcdef";
    private static final Function<String, String> ENV = Map.of(
            "AIMA_API_TOKEN_GRAFANA", "grafana-token",
            "AIMA_JWT_SECRET", HS256_SECRET,
            "SHORT_SECRET", "too-short")::get;
    private static final String ROLES = """
            roles:
              admin: ["metrics:read:*", "alerts:read", "costs:read"]
              gpu-viewer: ["metrics:read:gpu_*", "alerts:read"]
            """;

    @TempDir
    Path dir;

    @Test
    void aFullFileIsRead() throws IOException {
        TestKeys.writePublicKeyPem(TestKeys.rsa(), dir.resolve("keys/jwt.pem"));
        Path file = Files.writeString(dir.resolve("security.yaml"), ROLES + """
                tokens:
                  - name: grafana
                    token_env: AIMA_API_TOKEN_GRAFANA
                    roles: [admin]
                  - name: dashboard
                    sha256: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
                    roles: [gpu-viewer, admin]
                  - name: dev
                    token: "dev-only-token"
                    roles: [gpu-viewer]
                jwt:
                  issuer: "https://auth.example.com/"
                  audience: "aima-metrics"
                  hs256_secret_env: AIMA_JWT_SECRET
                  rs256_public_key_file: keys/jwt.pem
                  roles_claim: groups
                  clock_skew: 30s
                rate_limit:
                  requests_per_second: 5
                  burst: 7
                """);

        SecurityConfig config = SecurityConfig.load(file, ENV);

        assertThat(config.roles()).containsOnlyKeys("admin", "gpu-viewer");
        assertThat(config.roles().get("gpu-viewer").patterns()).containsExactlyInAnyOrder("metrics:read:gpu_*",
                "alerts:read");
        assertThat(config.tokenNames()).containsExactly("grafana", "dashboard", "dev");
        assertThat(config.acceptsJwt()).isTrue();
        assertThat(config.requestsPerSecond()).isEqualTo(5);
        assertThat(config.burst()).isEqualTo(7);
        assertThat(config.rateLimiter().burst()).isEqualTo(7);
    }

    @Test
    void theRateLimitDefaultsToTwentyPerSecondAndABurstOfTwiceThat() {
        SecurityConfig config = parse(ROLES + """
                tokens:
                  - {name: dev, token: dev-only-token, roles: [admin]}
                """);

        assertThat(config.requestsPerSecond()).isEqualTo(20);
        assertThat(config.burst()).isEqualTo(40);
        assertThat(config.acceptsJwt()).isFalse();
    }

    @Test
    void theBurstDefaultsToTwiceTheRate() {
        SecurityConfig config = parse(ROLES + """
                tokens:
                  - {name: dev, token: dev-only-token, roles: [admin]}
                rate_limit: {requests_per_second: 3}
                """);

        assertThat(config.burst()).isEqualTo(6);
    }

    @Test
    void theKeyFileIsRelativeToTheFolderOfTheYamlFile() throws IOException {
        Path configDir = Files.createDirectories(dir.resolve("etc/aima"));
        TestKeys.writePublicKeyPem(TestKeys.rsa(), configDir.resolve("jwt.pem"));
        Path file = Files.writeString(configDir.resolve("security.yaml"), ROLES + """
                jwt:
                  issuer: "https://auth.example.com/"
                  audience: aima-metrics
                  rs256_public_key_file: jwt.pem
                """);

        assertThat(SecurityConfig.load(file, ENV).acceptsJwt()).isTrue();
        assertThatThrownBy(() -> SecurityConfig.parse(Files.readString(file), dir, ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jwt.rs256_public_key_file: cannot read the file " + dir.resolve("jwt.pem"));
    }

    @Test
    void aFileThatIsNoPublicKeyIsRefusedNamingTheFile() throws IOException {
        Path pem = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n");

        assertThatThrownBy(() -> parse(ROLES + """
                jwt: {issuer: i, audience: a, rs256_public_key_file: jwt.pem}
                """))
                .hasMessageContaining("jwt.rs256_public_key_file: " + pem + " holds no PEM block");
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("security.yaml"), ROLES + """
                tokens:
                  - {name: dev, token: dev-only-token, roles: [viewer]}
                """);

        assertThatThrownBy(() -> SecurityConfig.load(file, ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": tokens[0].roles: the role 'viewer' is not defined");
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("an undefined role", ROLES + """
                        tokens:
                          - {name: a, token: token-a, roles: [admin]}
                          - {name: b, token: token-b, roles: [admin, viewer]}
                        """, List.of("tokens[1].roles: the role 'viewer' is not defined under roles",
                        "[admin, gpu-viewer]")),
                arguments("two secrets", ROLES + """
                        tokens:
                          - {name: a, token: token-a, token_env: AIMA_API_TOKEN_GRAFANA, roles: [admin]}
                        """, List.of("tokens[0]: the token 'a' must have exactly one of [sha256, token_env, token],"
                        + " not [token_env, token].")),
                arguments("no secret", ROLES + """
                        tokens:
                          - {name: a, roles: [admin]}
                        """, List.of("tokens[0]: the token 'a' must have exactly one of", "not [].")),
                arguments("a missing environment variable", ROLES + """
                        tokens:
                          - {name: a, token_env: AIMA_API_TOKEN_MISSING, roles: [admin]}
                        """, List.of("tokens[0].token_env: the environment variable AIMA_API_TOKEN_MISSING is not"
                        + " set.")),
                arguments("a sha256 that is not 64 hex digits", ROLES + """
                        tokens:
                          - {name: a, sha256: "secret-pasted-here", roles: [admin]}
                        """, List.of("tokens[0].sha256: expected 64 hexadecimal digits")),
                arguments("a token without roles", ROLES + """
                        tokens:
                          - {name: a, token: token-a}
                        """, List.of("tokens[0].roles: missing")),
                arguments("a short HS256 secret", ROLES + """
                        jwt: {issuer: i, audience: a, hs256_secret_env: SHORT_SECRET}
                        """, List.of("jwt.hs256_secret_env: the secret in SHORT_SECRET is 9 bytes; HS256 needs at"
                        + " least 32.")),
                arguments("an unknown key at the top", ROLES + """
                        token:
                          - {name: a, token: token-a, roles: [admin]}
                        """, List.of("token: unknown key; the keys here are [roles, tokens, jwt, rate_limit].")),
                arguments("an unknown key in a token", ROLES + """
                        tokens:
                          - {name: a, token: token-a, role: [admin]}
                        """, List.of("tokens[0].role: unknown key")),
                arguments("an unknown key in jwt", ROLES + """
                        jwt: {issuer: i, audience: a, hs256_secret_env: AIMA_JWT_SECRET, clockskew: 5s}
                        """, List.of("jwt.clockskew: unknown key")),
                arguments("a duplicate name", ROLES + """
                        tokens:
                          - {name: a, token: token-a, roles: [admin]}
                          - {name: a, token: token-b, roles: [admin]}
                        """, List.of("tokens[1].name: 'a' is the name of tokens[0] too")),
                arguments("a duplicate secret", ROLES + """
                        tokens:
                          - {name: a, token: grafana-token, roles: [admin]}
                          - {name: b, token_env: AIMA_API_TOKEN_GRAFANA, roles: [admin]}
                        """, List.of("tokens[1]: the token 'b' has the same secret as tokens[0]")),
                arguments("jwt without issuer", ROLES + """
                        jwt: {audience: a, hs256_secret_env: AIMA_JWT_SECRET}
                        """, List.of("jwt.issuer: missing.")),
                arguments("jwt without audience", ROLES + """
                        jwt: {issuer: i, hs256_secret_env: AIMA_JWT_SECRET}
                        """, List.of("jwt.audience: missing.")),
                arguments("jwt without key", ROLES + """
                        jwt: {issuer: i, audience: a}
                        """, List.of("jwt: give hs256_secret_env, rs256_public_key_file or both")),
                arguments("a bad clock skew", ROLES + """
                        jwt: {issuer: i, audience: a, hs256_secret_env: AIMA_JWT_SECRET, clock_skew: soon}
                        """, List.of("jwt.clock_skew: 'soon' is not a duration")),
                arguments("a bad permission pattern", """
                        roles:
                          odd: ["metrics:*:x"]
                        tokens:
                          - {name: a, token: token-a, roles: [odd]}
                        """, List.of("roles.odd: The permission pattern 'metrics:*:x' has a '*' before its end")),
                arguments("a zero rate", ROLES + """
                        tokens:
                          - {name: a, token: token-a, roles: [admin]}
                        rate_limit: {requests_per_second: 0}
                        """, List.of("rate_limit.requests_per_second must be more than 0, not 0.")),
                arguments("a rate that is no whole number", ROLES + """
                        tokens:
                          - {name: a, token: token-a, roles: [admin]}
                        rate_limit: {requests_per_second: 2.5}
                        """, List.of("rate_limit.requests_per_second: '2.5' is not a whole number.")),
                arguments("a negative burst", ROLES + """
                        tokens:
                          - {name: a, token: token-a, roles: [admin]}
                        rate_limit: {requests_per_second: 5, burst: -1}
                        """, List.of("rate_limit.burst must be more than 0, not -1.")),
                arguments("no way to authenticate", ROLES, List.of("defines neither tokens nor jwt")),
                arguments("an empty file", "", List.of("empty")),
                arguments("not YAML", "roles: [", List.of("not valid YAML")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorsNameTheFieldAndTheValue(String description, String yaml, List<String> fragments) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("security configuration: ")
                .message().contains(fragments);
    }

    @Test
    void errorsNeverHoldASecret() {
        assertThatThrownBy(() -> parse(ROLES + """
                tokens:
                  - {name: a, token: grafana-token, roles: [admin]}
                  - {name: b, token_env: AIMA_API_TOKEN_GRAFANA, roles: [admin]}
                jwt: {issuer: i, audience: a, hs256_secret_env: SHORT_SECRET}
                """))
                .message().doesNotContain("grafana-token", "too-short");
        assertThatThrownBy(() -> parse(ROLES + """
                jwt: {issuer: i, audience: a, hs256_secret_env: SHORT_SECRET}
                """))
                .message().doesNotContain("too-short");
    }

    private SecurityConfig parse(String yaml) {
        return SecurityConfig.parse(yaml, dir, ENV);
    }
}
