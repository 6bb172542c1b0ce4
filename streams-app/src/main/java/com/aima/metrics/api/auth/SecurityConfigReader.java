package com.aima.metrics.api.auth;

import com.aima.metrics.Durations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the YAML of {@link SecurityConfig}. Every error is an {@link IllegalArgumentException} whose message is
 * {@code <source>: <field path>: <what is wrong>}, with field paths such as {@code tokens[1].roles} (list indexes
 * count from 0); secrets are never in a message.
 */
final class SecurityConfigReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> SECTIONS = List.of("roles", "tokens", "jwt", "rate_limit");
    private static final List<String> TOKEN_FIELDS = List.of("name", "sha256", "token_env", "token", "roles");
    private static final List<String> TOKEN_SECRETS = List.of("sha256", "token_env", "token");
    private static final List<String> JWT_FIELDS = List.of("issuer", "audience", "hs256_secret_env",
            "rs256_public_key_file", "roles_claim", "clock_skew");
    private static final List<String> RATE_LIMIT_FIELDS = List.of("requests_per_second", "burst");
    private static final String ROLES_CLAIM_DEFAULT = "roles";
    private static final Duration CLOCK_SKEW_DEFAULT = Duration.ofSeconds(60);
    private static final int HS256_MIN_BYTES = 32;

    private final Path baseDir;
    private final Function<String, String> env;

    private SecurityConfigReader(Path baseDir, Function<String, String> env) {
        this.baseDir = baseDir;
        this.env = env;
    }

    /**
     * @param source where the text comes from, for error messages
     * @param baseDir the folder relative paths are resolved against
     * @param env the environment variables
     * @throws IllegalArgumentException naming the source, the field path and the value that are wrong
     */
    static SecurityConfig read(String yaml, String source, Path baseDir, Function<String, String> env) {
        try {
            return new SecurityConfigReader(baseDir, env).root(tree(yaml));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private SecurityConfig root(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException("empty; expected the sections " + SECTIONS + ".");
        }
        requireKnownKeys(root, "", SECTIONS);
        Map<String, Permissions> roles = roles(root.get("roles"));
        List<StaticToken> tokens = tokens(root.get("tokens"), roles);
        JwtSettings jwt = isAbsent(root.get("jwt")) ? null : jwt(root.get("jwt"));
        if (tokens.isEmpty() && jwt == null) {
            throw new IllegalArgumentException("defines neither tokens nor jwt, so no client could authenticate.");
        }
        JsonNode rateLimit = isAbsent(root.get("rate_limit")) ? YAML.createObjectNode() : root.get("rate_limit");
        requireKnownKeys(rateLimit, "rate_limit", RATE_LIMIT_FIELDS);
        long requestsPerSecond = rateLimit.has("requests_per_second")
                ? wholeNumber(rateLimit.get("requests_per_second"), RateLimiter.REQUESTS_PER_SECOND_CONFIG)
                : RateLimiter.REQUESTS_PER_SECOND_DEFAULT;
        RateLimiter.requireValidRequestsPerSecond(requestsPerSecond);
        long burst = rateLimit.has("burst") ? wholeNumber(rateLimit.get("burst"), RateLimiter.BURST_CONFIG)
                : 2 * requestsPerSecond;
        RateLimiter.requireValidBurst(burst);
        return new SecurityConfig(roles, tokens, jwt, requestsPerSecond, burst);
    }

    private static Map<String, Permissions> roles(JsonNode node) {
        Map<String, Permissions> roles = new LinkedHashMap<>();
        if (isAbsent(node)) {
            return roles;
        }
        requireMapping(node, "roles");
        for (Map.Entry<String, JsonNode> role : node.properties()) {
            String path = "roles." + role.getKey();
            List<String> patterns = strings(role.getValue(), path);
            try {
                roles.put(role.getKey(), Permissions.of(patterns));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
        }
        return roles;
    }

    private List<StaticToken> tokens(JsonNode node, Map<String, Permissions> roles) {
        List<StaticToken> tokens = new ArrayList<>();
        if (isAbsent(node)) {
            return tokens;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("tokens: expected a list of tokens.");
        }
        Map<String, String> pathOfName = new HashMap<>();
        Map<String, String> pathOfDigest = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "tokens[" + i + "]";
            StaticToken token = token(node.get(i), path, roles);
            String earlier = pathOfName.putIfAbsent(token.name(), path);
            if (earlier != null) {
                throw new IllegalArgumentException(path + ".name: '" + token.name() + "' is the name of " + earlier
                        + " too; token names must be unique.");
            }
            earlier = pathOfDigest.putIfAbsent(HexFormat.of().formatHex(token.sha256()), path);
            if (earlier != null) {
                throw new IllegalArgumentException(path + ": the token '" + token.name() + "' has the same secret as "
                        + earlier + "; give each client its own token.");
            }
            tokens.add(token);
        }
        return tokens;
    }

    private StaticToken token(JsonNode node, String path, Map<String, Permissions> roles) {
        requireKnownKeys(node, path, TOKEN_FIELDS);
        String name = requiredText(node, path, "name");
        List<String> given = TOKEN_SECRETS.stream().filter(field -> !isAbsent(node.get(field))).toList();
        if (given.size() != 1) {
            throw new IllegalArgumentException(path + ": the token '" + name + "' must have exactly one of "
                    + TOKEN_SECRETS + ", not " + given + ".");
        }
        String field = given.get(0);
        byte[] digest = switch (field) {
            case "sha256" -> sha256(requiredText(node, path, field), path + ".sha256");
            case "token_env" -> StaticToken.digest(requiredEnv(requiredText(node, path, field), path + ".token_env"));
            default -> StaticToken.digest(requiredText(node, path, field));
        };
        if (isAbsent(node.get("roles"))) {
            throw new IllegalArgumentException(path + ".roles: missing; list the roles of the token '" + name + "'.");
        }
        List<String> tokenRoles = strings(node.get("roles"), path + ".roles");
        for (String role : tokenRoles) {
            if (!roles.containsKey(role)) {
                throw new IllegalArgumentException(path + ".roles: the role '" + role + "' is not defined under"
                        + " roles; the defined roles are " + roles.keySet() + ".");
            }
        }
        return new StaticToken(name, digest, tokenRoles);
    }

    private static byte[] sha256(String hex, String path) {
        String digits = hex.strip();
        if (digits.length() != 64 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(path + ": expected 64 hexadecimal digits (the SHA-256 of the token),"
                    + " got " + digits.length() + " characters that are not all hexadecimal digits.");
        }
        return HexFormat.of().parseHex(digits.toLowerCase(Locale.ROOT));
    }

    private JwtSettings jwt(JsonNode node) {
        requireKnownKeys(node, "jwt", JWT_FIELDS);
        String issuer = requiredText(node, "jwt", "issuer");
        String audience = requiredText(node, "jwt", "audience");
        SecretKey hs256 = null;
        if (!isAbsent(node.get("hs256_secret_env"))) {
            String variable = requiredText(node, "jwt", "hs256_secret_env");
            byte[] secret = requiredEnv(variable, "jwt.hs256_secret_env").getBytes(StandardCharsets.UTF_8);
            if (secret.length < HS256_MIN_BYTES) {
                throw new IllegalArgumentException("jwt.hs256_secret_env: the secret in " + variable + " is "
                        + secret.length + " bytes; HS256 needs at least " + HS256_MIN_BYTES + ".");
            }
            hs256 = new SecretKeySpec(secret, "HmacSHA256");
        }
        RSAPublicKey rs256 = null;
        if (!isAbsent(node.get("rs256_public_key_file"))) {
            Path file = baseDir.resolve(requiredText(node, "jwt", "rs256_public_key_file"));
            try {
                rs256 = RsaPublicKeys.read(file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("jwt.rs256_public_key_file: " + e.getMessage(), e);
            }
        }
        if (hs256 == null && rs256 == null) {
            throw new IllegalArgumentException("jwt: give hs256_secret_env, rs256_public_key_file or both, so that"
                    + " JWT signatures can be verified.");
        }
        String rolesClaim = isAbsent(node.get("roles_claim")) ? ROLES_CLAIM_DEFAULT
                : requiredText(node, "jwt", "roles_claim");
        Duration clockSkew = CLOCK_SKEW_DEFAULT;
        if (!isAbsent(node.get("clock_skew"))) {
            String text = requiredText(node, "jwt", "clock_skew");
            try {
                clockSkew = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("jwt.clock_skew: " + e.getMessage(), e);
            }
            if (clockSkew.isNegative()) {
                throw new IllegalArgumentException("jwt.clock_skew: '" + text + "' is negative.");
            }
        }
        return new JwtSettings(issuer, audience, hs256, rs256, rolesClaim, clockSkew);
    }

    private String requiredEnv(String variable, String path) {
        String value = env.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(path + ": the environment variable " + variable + " is not set.");
        }
        return value;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static void requireMapping(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException((path.isEmpty() ? "" : path + ": ") + "expected a mapping of keys.");
        }
    }

    private static void requireKnownKeys(JsonNode node, String path, List<String> known) {
        requireMapping(node, path);
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException((path.isEmpty() ? key : path + "." + key) + ": unknown key; the"
                        + " keys here are " + known + ".");
            }
        }
    }

    private static String requiredText(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (isAbsent(value)) {
            throw new IllegalArgumentException(path + "." + field + ": missing.");
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException(path + "." + field + ": expected a text that is not blank.");
        }
        return value.asText().strip();
    }

    private static List<String> strings(JsonNode node, String path) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(path + ": expected a list, as in [a, b].");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isValueNode()) {
                throw new IllegalArgumentException(path + ": expected a list of texts, not " + value + ".");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static long wholeNumber(JsonNode node, String path) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException(path + ": '" + node.asText() + "' is not a whole number.");
        }
        return node.asLong();
    }
}
