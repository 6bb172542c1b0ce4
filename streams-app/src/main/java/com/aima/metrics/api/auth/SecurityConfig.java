package com.aima.metrics.api.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who may call the metrics API and how often, read from a YAML file of this form:
 *
 * <pre>{@code
 * roles:                          # role name -> permission patterns
 *   admin: ["metrics:read:*", "alerts:read", "costs:read:*"]
 *   gpu-viewer: ["metrics:read:gpu_*", "alerts:read"]
 * tokens:                         # static bearer tokens
 *   - name: grafana               # who, in the audit log; never the token itself
 *     sha256: "9f86d081..."       # hex SHA-256 of the token (preferred), or
 *     token_env: AIMA_API_TOKEN_GRAFANA   # the token is this environment variable's value, or
 *     token: "dev-only-token"     # the token in clear (for development)
 *     roles: [admin]
 * jwt:                            # optional; absent = no JWT accepted
 *   issuer: "https://auth.example.com/"        # required when jwt is present: the exact `iss`
 *   audience: "aima-metrics"                   # required: must be in `aud`
 *   hs256_secret_env: AIMA_JWT_SECRET          # HS256 key from this env var, at least 32 bytes; and/or
 *   rs256_public_key_file: /etc/aima/jwt.pem   # RS256 public key, PEM "BEGIN PUBLIC KEY" (relative to the YAML file's folder)
 *   roles_claim: roles                         # default "roles": a JSON array of role names or a space-separated string
 *   clock_skew: 60s                            # default 60s
 * rate_limit:
 *   requests_per_second: 20       # default 20; refill rate per token (per instance)
 *   burst: 40                     # default 2 x requests_per_second; bucket capacity
 * }</pre>
 *
 * <p>Each token has exactly one of {@code sha256}, {@code token_env} and {@code token}; token names are unique, no
 * two tokens have the same secret, and every role a token names is defined under {@code roles}. Permission patterns
 * are those of {@link Permissions}; {@code clock_skew} is written as {@link com.aima.metrics.Durations} reads it
 * (500ms, 60s, 5m, PT1M). Unknown keys are errors, so that a typo does not silently drop a setting, and so is a
 * configuration with neither tokens nor {@code jwt}. Immutable and thread-safe.
 */
public final class SecurityConfig {

    private final Map<String, Permissions> roles;
    private final List<StaticToken> tokens;
    private final JwtSettings jwt;
    private final long requestsPerSecond;
    private final long burst;

    SecurityConfig(Map<String, Permissions> roles, List<StaticToken> tokens, JwtSettings jwt, long requestsPerSecond,
            long burst) {
        this.roles = Map.copyOf(roles);
        this.tokens = List.copyOf(tokens);
        this.jwt = jwt;
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
    }

    /**
     * @param env the environment variables, by name ({@code System::getenv} in production); null for an unset one
     * @throws IllegalArgumentException naming the file, the field path (such as {@code tokens[1].roles}, indexes from
     *         0) and the value that are wrong, never a secret; or that the file cannot be read
     */
    public static SecurityConfig load(Path file, Function<String, String> env) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the security configuration " + file + ": " + e, e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return SecurityConfigReader.read(yaml, file.toString(), folder, env);
    }

    /**
     * @param baseDir the folder {@code rs256_public_key_file} is relative to
     * @param env the environment variables, by name; null for an unset one
     * @throws IllegalArgumentException naming the field path and the value that are wrong, never a secret
     */
    public static SecurityConfig parse(String yaml, Path baseDir, Function<String, String> env) {
        return SecurityConfigReader.read(yaml, "security configuration", baseDir, env);
    }

    /** The permissions of each role, by role name. */
    public Map<String, Permissions> roles() {
        return roles;
    }

    /** The names of the static tokens, in the order of the file. */
    public List<String> tokenNames() {
        return tokens.stream().map(StaticToken::name).toList();
    }

    /** Whether a {@code jwt} section is present, so that JWTs are accepted. */
    public boolean acceptsJwt() {
        return jwt != null;
    }

    /** {@code rate_limit.requests_per_second}: the refill rate of each principal's bucket, in requests per second. */
    public long requestsPerSecond() {
        return requestsPerSecond;
    }

    /** {@code rate_limit.burst}: the capacity of each principal's bucket, in requests. */
    public long burst() {
        return burst;
    }

    /** A rate limiter with this configuration's figures, on the system's monotonic clock. */
    public RateLimiter rateLimiter() {
        return new RateLimiter(requestsPerSecond, burst);
    }

    /** An authenticator of this configuration's tokens, checking JWT expiry against the system clock. */
    public Authenticator authenticator() {
        return authenticator(Clock.systemUTC());
    }

    /** An authenticator of this configuration's tokens, checking JWT {@code exp} and {@code nbf} against {@code clock}. */
    public Authenticator authenticator(Clock clock) {
        return new Authenticator(roles, tokens, jwt, clock);
    }

    @Override
    public String toString() {
        return "SecurityConfig[roles=" + roles.keySet() + ", tokens=" + tokenNames() + ", jwt=" + jwt
                + ", requestsPerSecond=" + requestsPerSecond + ", burst=" + burst + "]";
    }
}
