package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.api.auth.SecurityConfig;
import com.aima.metrics.rollup.RollupConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API's gate on a real HTTP server, before any data: authentication (static token, HS256 JWT: missing, bad,
 * expired, wrong audience, wrong issuer), authorization (missing permission, wildcard), the rate limit, methods and
 * unknown paths, on every endpoint. A request that passes the gate reaches the backend, which this test leaves out:
 * it is answered 503 ("starting"), which proves it passed. The data behind the gate is {@code ApiIT}'s.
 */
class ApiServerTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String ISSUER = "https://auth.example.com/";
    private static final String AUDIENCE = "aima-metrics";
    private static final String SECURITY = """
            roles:
              admin: ["metrics:read:*", "alerts:read", "costs:read:*"]
              gpu-viewer: ["metrics:read:gpu_*"]
              one-metric: ["metrics:read:gpu_utilization_percent", "alerts:read"]
              news-costs: ["costs:read:project:news"]
            tokens:
              - name: admin
                token: admin-token
                roles: [admin]
              - name: viewer
                token: viewer-token
                roles: [gpu-viewer]
              - name: limited
                token: limited-token
                roles: [one-metric]
              - name: news
                token: news-token
                roles: [news-costs]
            jwt:
              issuer: "%s"
              audience: "%s"
              hs256_secret_env: AIMA_JWT_SECRET
            rate_limit:
              requests_per_second: 1
              burst: 1000
            """.formatted(ISSUER, AUDIENCE);

    static final List<String> ENDPOINTS = List.of("/metrics/raw/gpu_utilization_percent",
            "/metrics/aggregated/gpu_utilization_percent?interval=1d", "/alerts", "/alerts/stream",
            "/costs/jobs", "/costs/budgets?project=news", "/costs/device_hours", "/costs/jobs/j-1");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ApiServer server;

    @BeforeEach
    void startTheServer(@TempDir Path dir) throws Exception {
        server = server(SECURITY, dir);
    }

    private static ApiServer server(String security, Path dir) throws Exception {
        SecurityConfig config = SecurityConfig.parse(security, dir, Map.of("AIMA_JWT_SECRET", SECRET)::get);
        ApiConfig api = new ApiConfig(Map.of(ApiConfig.PORT_CONFIG, "0", ApiConfig.BIND_ADDRESS_CONFIG, "127.0.0.1",
                ApiConfig.SECURITY_FILE_CONFIG, dir.resolve("security.yaml").toString()));
        RollupConfig rollup = new RollupConfig(Map.of());
        ApiServer server = ApiServer.bind(api, null, config.authenticator(), config.rateLimiter(),
                new QueryParameters(api.limitDefault(), api.limitMax(), api.maxWindows(), rollup::window),
                Clock.systemUTC());
        server.start((ApiServer.Backend) null);
        return server;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<Arguments> gate() throws JOSEException {
        Instant now = Instant.now();
        String valid = jwt(ISSUER, AUDIENCE, now.plusSeconds(300), List.of("admin"));
        String expired = jwt(ISSUER, AUDIENCE, now.minusSeconds(600), List.of("admin"));
        String wrongAudience = jwt(ISSUER, "someone-else", now.plusSeconds(300), List.of("admin"));
        String wrongIssuer = jwt("https://evil.example.com/", AUDIENCE, now.plusSeconds(300), List.of("admin"));
        String noRoles = jwt(ISSUER, AUDIENCE, now.plusSeconds(300), List.of());
        return ENDPOINTS.stream().flatMap(endpoint -> {
            boolean alerts = endpoint.startsWith("/alerts");
            boolean costs = endpoint.startsWith("/costs");
            return Stream.of(
                    Arguments.of(endpoint, null, 401, "No bearer token"),
                    Arguments.of(endpoint, "Bearer not-a-token", 401, "not valid"),
                    Arguments.of(endpoint, "Basic YWRtaW46YWRtaW4=", 401, "Bearer scheme"),
                    Arguments.of(endpoint, "Bearer " + expired, 401, "expired"),
                    Arguments.of(endpoint, "Bearer " + wrongAudience, 401, "audience"),
                    Arguments.of(endpoint, "Bearer " + wrongIssuer, 401, "issuer"),
                    Arguments.of(endpoint, "Bearer " + noRoles, 403, "lacks the permission"),
                    // gpu-viewer may read gpu_* metrics but not alerts or costs
                    Arguments.of(endpoint, "Bearer viewer-token", alerts || costs ? 403 : 503,
                            alerts ? "alerts:read" : costs ? "costs:read:" : "starting"),
                    Arguments.of(endpoint, "Bearer admin-token", 503, "starting"),
                    Arguments.of(endpoint, "Bearer " + valid, 503, "starting"));
        });
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @MethodSource("gate")
    void everyEndpointChecksTheTokenAndThePermission(String endpoint, String authorization, int status,
                                                    String detail) throws Exception {
        HttpResponse<String> response = get(endpoint, authorization);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).contains(detail);
        if (status == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
                    .startsWith("Bearer realm=\"aima-metrics\"");
        }
    }

    @Test
    void aPermissionForOneMetricIsNotOneForAnother() throws Exception {
        assertThat(get("/metrics/raw/gpu_temperature_celsius", "Bearer limited-token").statusCode()).isEqualTo(403);
        assertThat(get("/metrics/raw/host_cpu_percent", "Bearer viewer-token").statusCode()).isEqualTo(403);
        assertThat(get("/metrics/raw/gpu_utilization_percent", "Bearer limited-token").statusCode()).isEqualTo(503);
    }

    @Test
    void aProjectsCostPermissionOpensItsOwnCostsOnly() throws Exception {
        assertThat(get("/costs/jobs?project=news", "Bearer news-token").statusCode()).isEqualTo(503);
        // passes the gate with the permission of some project (the filtering itself: CostApiIT)
        assertThat(get("/costs/budgets", "Bearer news-token").statusCode()).isEqualTo(503);
        assertThat(get("/costs/jobs/j-1", "Bearer news-token").statusCode()).isEqualTo(503);
        HttpResponse<String> otherProject = get("/costs/jobs?project=sports", "Bearer news-token");
        assertThat(otherProject.statusCode()).isEqualTo(403);
        assertThat(json.readTree(otherProject.body()).get("detail").asText())
                .contains("costs:read:project:sports");
        HttpResponse<String> fleet = get("/costs/provider_options", "Bearer news-token");
        assertThat(fleet.statusCode()).isEqualTo(403);
        assertThat(json.readTree(fleet.body()).get("detail").asText()).contains("costs:read:fleet");
        assertThat(get("/costs/device_hours", "Bearer limited-token").statusCode()).isEqualTo(403);
    }

    @Test
    void unknownCostViewsAndBadCostParametersAreRefusedWithAProblem() throws Exception {
        HttpResponse<String> view = get("/costs/invoices", "Bearer admin-token");
        assertThat(view.statusCode()).isEqualTo(404);
        assertThat(json.readTree(view.body()).get("parameter").asText()).isEqualTo("view");
        assertThat(json.readTree(view.body()).get("detail").asText()).contains("device_hours").contains("budgets");
        HttpResponse<String> type = get("/costs/jobs?analysis_type=podcast", "Bearer admin-token");
        assertThat(type.statusCode()).isEqualTo(400);
        assertThat(json.readTree(type.body()).get("parameter").asText()).isEqualTo("analysis_type");
        HttpResponse<String> jobParameter = get("/costs/jobs/j-1?limit=5", "Bearer admin-token");
        assertThat(jobParameter.statusCode()).isEqualTo(400);
        assertThat(json.readTree(jobParameter.body()).get("parameter").asText()).isEqualTo("limit");
        assertThat(get("/costs/jobs/", "Bearer admin-token").statusCode()).isEqualTo(404);
    }

    @Test
    void theRateLimitAnswers429WithRetryAfter(@TempDir Path dir) throws Exception {
        server.close();
        server = server(SECURITY.replace("burst: 1000", "burst: 2"), dir);
        assertThat(get(ENDPOINTS.get(0), "Bearer admin-token").statusCode()).isEqualTo(503);
        assertThat(get(ENDPOINTS.get(0), "Bearer admin-token").statusCode()).isEqualTo(503);
        HttpResponse<String> limited = get(ENDPOINTS.get(0), "Bearer admin-token");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        // per token: another token still passes
        assertThat(get(ENDPOINTS.get(0), "Bearer viewer-token").statusCode()).isEqualTo(503);
    }

    @Test
    void unknownPathsMethodsAndMetricNamesAreRefusedWithAProblem() throws Exception {
        assertThat(get("/metrics/other", "Bearer admin-token").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/alerts")).header("Authorization",
                "Bearer admin-token").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> badName = get("/metrics/raw/9lives", "Bearer admin-token");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badName.body()).get("parameter").asText()).isEqualTo("metric_name");
        HttpResponse<String> param = get("/alerts?x=1", "Bearer admin-token");
        assertThat(param.statusCode()).isEqualTo(400);
        assertThat(json.readTree(param.body()).get("parameter").asText()).isEqualTo("x");
    }

    @Test
    void theOpenApiDocumentNeedsNoTokenAndDescribesEveryEndpoint() throws Exception {
        HttpResponse<String> response = get(ApiServer.OPENAPI_PATH, null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = json.readTree(response.body()).get("paths");
        assertThat(paths.has("/metrics/raw/{metric_name}")).isTrue();
        assertThat(paths.has("/metrics/aggregated/{metric_name}")).isTrue();
        assertThat(paths.has("/alerts")).isTrue();
        assertThat(paths.has("/alerts/stream")).isTrue();
        assertThat(paths.has("/costs/{view}")).isTrue();
        assertThat(paths.has("/costs/jobs/{job_id}")).isTrue();
    }

    private static String jwt(String issuer, String audience, Instant expiry, List<String> roles)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issuer(issuer).audience(audience).subject("alice").expirationTime(Date.from(expiry))
                .claim("roles", roles).build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
