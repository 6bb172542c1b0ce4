package com.aima.metrics.api;

import com.aima.metrics.api.Rows.AlertRow;
import com.aima.metrics.api.Rows.CostRow;
import com.aima.metrics.cost.CostViews.View;
import com.aima.metrics.api.Rows.RawRow;
import com.aima.metrics.api.Rows.RollupRow;
import com.aima.metrics.api.auth.AuthenticationException;
import com.aima.metrics.api.auth.Authenticator;
import com.aima.metrics.api.auth.Permissions;
import com.aima.metrics.api.auth.Principal;
import com.aima.metrics.api.auth.RateLimiter;
import com.aima.metrics.api.auth.SecurityConfig;
import com.aima.metrics.alert.RuleSet;
import com.aima.metrics.rollup.RollupConfig;
import com.aima.metrics.rollup.RollupQueries;
import org.apache.kafka.streams.KafkaStreams;
import java.util.function.Supplier;
import com.aima.metrics.schema.AuditEvent;
import com.aima.metrics.schema.AuditOutcome;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics REST API (seed 004 sections 5.2, 5.3.1 and 7), served by every streams-app instance from the stores of
 * its Kafka Streams applications:
 * <ul>
 *   <li>{@code GET /metrics/raw/{metric_name}}: raw points of the last 24 h;</li>
 *   <li>{@code GET /metrics/aggregated/{metric_name}?interval=1h|1d|1mo|1y}: rollups;</li>
 *   <li>{@code GET /alerts}: firing alerts; {@code GET /alerts/stream}: alerts as they fire and resolve (SSE);</li>
 *   <li>{@code GET /costs/{view}}: the cost engine's records ({@link View}); {@code GET /costs/jobs/{job_id}}: one
 *       job's;</li>
 *   <li>{@code GET /openapi.json}: the OpenAPI 3.1 description (no token needed).</li>
 * </ul>
 * Every other request needs a bearer token ({@link Authenticator}: 401 without a valid one), is rate-limited per
 * token and instance (429), needs the permission of what it reads (403: {@code metrics:read:<metric>},
 * {@code alerts:read}; alerts of metrics the caller may not read are left out of every alert answer;
 * {@code costs:read:project:<project>} for a project's costs, whose records of other projects are left out,
 * {@code costs:read:fleet} for the costs of devices and providers), and is written
 * to the audit topic ({@link AuditLog}). Errors are {@code application/problem+json}. JSON by default, CSV with
 * {@code Accept: text/csv}. The JDK's HTTP server, or HTTPS when a keystore is configured; requests run on a fixed
 * pool of {@code api.threads} threads.
 */
public final class ApiServer implements AutoCloseable {

    /** Header of a request one instance sends another for its own part of an answer. */
    public static final String SCOPE_HEADER = "X-Aima-Scope";
    public static final String SCOPE_LOCAL = "local";
    public static final String RAW_PATH = "/metrics/raw/";
    public static final String AGGREGATED_PATH = "/metrics/aggregated/";
    public static final String ALERTS_PATH = "/alerts";
    public static final String ALERT_STREAM_PATH = "/alerts/stream";
    public static final String OPENAPI_PATH = "/openapi.json";
    public static final String COSTS_PATH = "/costs/";
    public static final String COST_JOB_PATH = "/costs/jobs/";

    /**
     * The JDK server's switch for TCP_NODELAY on accepted connections. Without it a response written as headers,
     * then body waits for the client's delayed ACK: 44 ms at p50 for the 14 KB OpenAPI document in the API
     * benchmark, 1.4 ms with it, and a filtered week of rollups took 67 ms instead of 33 ms.
     */
    public static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    static {
        enableTcpNoDelay();
    }
    private static final byte[] OPENAPI_DOCUMENT = openApiDocument();

    private final HttpServer server;
    private final ExecutorService threads;
    private final ApiConfig config;
    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;
    private final QueryParameters parameters;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Responses responses = new Responses(json);
    private final Semaphore streamSlots;
    private volatile Backend backend;
    private volatile boolean closing;

    /**
     * What the server answers from, known once the Kafka Streams applications run (they need the server's port
     * first, for {@code application.server}).
     */
    record Backend(LocalQueries local, ClusterQueries cluster, AlertStream alertStream, AuditLog audit) {
    }

    private ApiServer(HttpServer server, ApiConfig config, Authenticator authenticator, RateLimiter rateLimiter,
                      QueryParameters parameters, Clock clock) {
        this.server = server;
        this.config = config;
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.parameters = parameters;
        this.clock = clock;
        this.streamSlots = new Semaphore(config.sseMaxClients());
        this.threads = Executors.newFixedThreadPool(config.threads(), runnable -> {
            Thread thread = new Thread(runnable, "aima-api-" + server.getAddress().getPort());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /**
     * Binds the port; nothing is served before {@link #start}.
     *
     * @param ssl the server's TLS context, or null for plain HTTP
     * @throws IOException when the port cannot be bound
     */
    static ApiServer bind(ApiConfig config, SSLContext ssl, Authenticator authenticator, RateLimiter rateLimiter,
                          QueryParameters parameters, Clock clock) throws IOException {
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        HttpServer server;
        if (ssl != null) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(ssl));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        return new ApiServer(server, config, authenticator, rateLimiter, parameters, clock);
    }

    /**
     * Turns on TCP_NODELAY for the JDK's HTTP servers of this JVM unless {@value #NO_DELAY_PROPERTY} is set. The JDK
     * reads the property once, when its first server is made: a process that starts another JDK HTTP server before
     * the API (the collector of the local run) calls this first.
     */
    public static void enableTcpNoDelay() {
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** This instance as the others reach it: the advertised host and the bound port. */
    public HostInfo hostInfo() {
        return new HostInfo(config.advertisedHost(), port());
    }

    /** Whether the server speaks HTTPS. */
    public boolean tls() {
        return server instanceof HttpsServer;
    }

    /**
     * Binds the API of {@code config}: reads its security file and TLS keystore; nothing is served before
     * {@link #start}.
     *
     * @throws IOException when the port cannot be bound
     */
    public static ApiServer bind(ApiConfig config, RollupConfig rollup) throws IOException {
        SecurityConfig security = SecurityConfig.load(config.securityFile(), System::getenv);
        return bind(config, Tls.server(config), security.authenticator(), security.rateLimiter(),
                new QueryParameters(config.limitDefault(), config.limitMax(), config.maxWindows(), rollup::window),
                Clock.systemUTC());
    }

    /**
     * Starts serving from the running applications.
     *
     * @param settings   the streams app's settings (bootstrap servers, serde) for the audit producer and alert feed
     * @param alerts     the alert engine, or null when it does not run
     * @param rules      its rules, or null
     * @param costs      the cost engine, or null when it does not run
     * @param partitions partitions of the raw topic
     */
    public void start(Map<String, Object> settings, String bootstrapServers, KafkaStreams rollups,
                      RollupConfig rollup, KafkaStreams alerts, Supplier<RuleSet> rules, KafkaStreams costs,
                      int partitions) {
        LocalQueries local = new LocalQueries(rollups, new RollupQueries(rollups, rollup), alerts, rules, costs);
        ClusterQueries cluster = new ClusterQueries(local, rollups, alerts, costs, hostInfo(), partitions,
                new Peers(Tls.client(config), config.forwardTimeout(), json));
        String clientId = "aima-api-" + hostInfo().host() + "-" + port();
        AlertStream feed = new AlertStream(settings, bootstrapServers, clientId + "-alerts");
        feed.start();
        start(new Backend(local, cluster, feed, AuditLog.create(settings, bootstrapServers, clientId + "-audit")));
    }

    void start(Backend backend) {
        this.backend = backend;
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange, clock.instant(), System.nanoTime());
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(OPENAPI_PATH) && exchange.getRequestMethod().equals("GET")) {
                Responses.send(exchange, 200, Responses.JSON, OPENAPI_DOCUMENT);
                return; // a description of the API, not an access to data: not audited
            }
            try {
                route(request, path);
            } catch (ApiException e) {
                request.refuse(e.status(), e.getMessage());
                if (e.retryAfterSeconds() > 0) {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfterSeconds()));
                }
                responses.problem(exchange, e.status(), e.getMessage(), e.parameter());
            } catch (RuntimeException e) {
                log.error("The API failed on {} {}.", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                request.refuse(500, "Internal error: " + e.getClass().getSimpleName());
                responses.problem(exchange, 500, "The request failed inside the server; the log has the cause.",
                        null);
            }
        } finally {
            audit(request);
        }
    }

    private void route(Request request, String path) throws IOException {
        HttpExchange exchange = request.exchange;
        boolean raw = path.startsWith(RAW_PATH);
        boolean aggregated = path.startsWith(AGGREGATED_PATH);
        boolean alerts = path.equals(ALERTS_PATH);
        boolean alertStream = path.equals(ALERT_STREAM_PATH);
        boolean costs = path.startsWith(COSTS_PATH);
        if (!raw && !aggregated && !alerts && !alertStream && !costs) {
            throw ApiException.notFound(null, "No endpoint at " + path + "; see " + OPENAPI_PATH + ".");
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            throw ApiException.of(405, "Only GET is served at " + path + ".");
        }
        Principal principal = authenticate(request);
        RateLimiter.Decision decision = rateLimiter.tryAcquire(principal.rateLimitKey());
        if (!decision.allowed()) {
            throw ApiException.rateLimited(decision.retryAfterSeconds());
        }
        Map<String, String> query = QueryParameters.split(exchange.getRequestURI().getRawQuery());
        if (raw || aggregated) {
            String metric = QueryParameters.metric(path.substring((raw ? RAW_PATH : AGGREGATED_PATH).length()));
            request.resource = Permissions.readMetric(metric);
            authorize(principal, request.resource);
            metrics(request, ready(), metric, query, aggregated);
            return;
        }
        if (costs) {
            if (path.startsWith(COST_JOB_PATH)) {
                jobCosts(request, principal, path.substring(COST_JOB_PATH.length()), query);
            } else {
                costs(request, principal, path.substring(COSTS_PATH.length()), query);
            }
            return;
        }
        request.resource = Permissions.ALERTS_READ;
        authorize(principal, request.resource);
        QueryParameters.onlyKnown(query, Set.of());
        if (alerts) {
            alerts(request, ready(), principal);
        } else {
            new EventStream(ready().alertStream(), json, config.sseKeepalive(), () -> closing)
                    .serve(request, principal, streamSlots);
        }
    }

    private Backend ready() {
        Backend ready = backend;
        if (ready == null || closing) {
            throw ApiException.unavailable("The API is starting or stopping; retry.");
        }
        return ready;
    }

    private void metrics(Request request, Backend ready, String metric, Map<String, String> query,
                         boolean aggregated) throws IOException {
        HttpExchange exchange = request.exchange;
        MetricQuery parsed = parameters.parse(metric, query, aggregated, request.arrived);
        if (parsed.raw() && !ready.local().rawStoreEnabled()) {
            throw ApiException.notFound(null, "Raw points are not kept by this deployment"
                    + " (rollup.raw.store.enabled=false); ask " + AGGREGATED_PATH + metric + ".");
        }
        String path = exchange.getRequestURI().getPath();
        if (request.local) {
            Partial<?> part = parsed.raw() ? ready.local().raw(parsed) : ready.local().rollups(parsed);
            request.rows = part.rows().size();
            responses.json(exchange, part);
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        ClusterQueries.Answer<? extends Rows.Row> answer = parsed.raw()
                ? ready.cluster().raw(parsed, path, authorization)
                : ready.cluster().rollups(parsed, path, authorization);
        if (answer.rows().isEmpty() && !answer.known()) {
            throw ApiException.notFound("metric_name", "Unknown metric '" + metric + "': no series of it has been"
                    + " seen.");
        }
        request.rows = answer.rows().size();
        responses.rows(exchange, answer.rows(), parsed.raw() ? RawRow.CSV_HEADER : RollupRow.CSV_HEADER,
                answer.truncated());
    }

    private void alerts(Request request, Backend ready, Principal principal) throws IOException {
        if (!ready.local().alertsRunning()) {
            throw ApiException.notFound(null, "The alert engine does not run here (alerts.enabled=false).");
        }
        if (request.local) {
            Partial<AlertRow> part = ready.local().firingAlerts();
            List<AlertRow> visible = visible(part.rows(), principal);
            request.rows = visible.size();
            responses.json(request.exchange, new Partial<>(part.partitions(), true, false, visible));
            return;
        }
        ClusterQueries.Answer<AlertRow> answer = ready.cluster().alerts(ALERTS_PATH,
                request.exchange.getRequestHeaders().getFirst("Authorization"));
        List<AlertRow> visible = visible(answer.rows(), principal);
        request.rows = visible.size();
        responses.rows(request.exchange, visible, AlertRow.CSV_HEADER, false);
    }

    private void costs(Request request, Principal principal, String viewName, Map<String, String> query)
            throws IOException {
        View view = View.ofPath(viewName).orElseThrow(() -> ApiException.notFound("view", "No cost view '" + viewName
                + "'; the views are " + Arrays.stream(View.values()).map(View::path).collect(Collectors.joining(", "))
                + ", and " + COST_JOB_PATH + "{job_id}."));
        CostQuery parsed = parameters.parseCosts(view, query, request.arrived);
        Predicate<String> visible = visibleProjects(request, principal, view, parsed.project());
        Backend ready = costsReady();
        ClusterQueries.Answer<CostRow> answer = costAnswer(request, ready,
                () -> ready.local().costs(parsed, visible),
                request.exchange.getRequestURI().getPath() + "?" + parsed.toQueryString());
        if (answer != null) {
            request.rows = answer.rows().size();
            responses.rows(request.exchange, answer.rows(), CostRow.CSV_HEADER, answer.truncated());
        }
    }

    private void jobCosts(Request request, Principal principal, String jobId, Map<String, String> query)
            throws IOException {
        if (jobId.isBlank() || jobId.contains("/")) {
            throw ApiException.notFound("job_id", "'" + jobId + "' is not a job id; ask " + COST_JOB_PATH
                    + "{job_id}.");
        }
        QueryParameters.onlyKnown(query, Set.of());
        Predicate<String> visible = visibleProjects(request, principal, View.JOBS, null);
        Backend ready = costsReady();
        ClusterQueries.Answer<CostRow> answer = costAnswer(request, ready, () -> ready.local().jobCosts(jobId, visible),
                request.exchange.getRequestURI().getRawPath());
        if (answer == null) {
            return;
        }
        if (answer.rows().isEmpty()) {
            if (answer.known()) {
                throw ApiException.of(403, "Token '" + principal.subject() + "' may not read the costs of job '"
                        + jobId + "': it lacks the permission for the job's project.");
            }
            throw ApiException.notFound("job_id", "No cost of job '" + jobId + "': it is unknown, has not ended, is"
                    + " waiting for late events (costs.settle), or is older than costs.view.retention.");
        }
        request.resource = Permissions.readProjectCosts(answer.rows().get(0).project());
        request.rows = answer.rows().size();
        responses.rows(request.exchange, answer.rows(), CostRow.CSV_HEADER, false);
    }

    /**
     * Asked for this instance's part (scope local): sends it and returns null. Otherwise the complete answer, read
     * here or on the instance running the cost engine.
     */
    private ClusterQueries.Answer<CostRow> costAnswer(Request request, Backend ready,
                                                      Supplier<Partial<CostRow>> localPart, String pathAndQuery)
            throws IOException {
        if (request.local) {
            Partial<CostRow> part = localPart.get();
            request.rows = part.rows().size();
            responses.json(request.exchange, part);
            return null;
        }
        return ready.cluster().costs(localPart, pathAndQuery,
                request.exchange.getRequestHeaders().getFirst("Authorization"));
    }

    /**
     * Checks the permission a cost query of {@code view} needs (403) and returns the projects whose records it may
     * see: {@code costs:read:fleet} for the views of no project; {@code costs:read:project:<project>} when the query
     * names one; else the permission of some project, and the records of the other projects are left out.
     */
    private static Predicate<String> visibleProjects(Request request, Principal principal, View view,
                                                     String project) {
        if (!view.perProject() || project != null) {
            request.resource = view.perProject() ? Permissions.readProjectCosts(project)
                    : Permissions.COSTS_READ_FLEET;
            authorize(principal, request.resource);
            return any -> true;
        }
        request.resource = Permissions.readProjectCosts("*");
        if (!principal.allowsSomeOf(Permissions.READ_PROJECT_COSTS_PREFIX)) {
            throw ApiException.of(403, "Token '" + principal.subject() + "' lacks the permission "
                    + Permissions.readProjectCosts("<project>") + " for any project.");
        }
        return each -> principal.allows(Permissions.readProjectCosts(each));
    }

    private Backend costsReady() {
        Backend ready = ready();
        if (!ready.local().costsRunning()) {
            throw ApiException.notFound(null, "The cost engine does not run here (costs.enabled=false).");
        }
        return ready;
    }

    /** The alerts of metrics {@code principal} may read: no metric's data leaks through an alert. */
    private static List<AlertRow> visible(List<AlertRow> alerts, Principal principal) {
        return alerts.stream().filter(alert -> principal.allows(Permissions.readMetric(alert.metricName())))
                .toList();
    }

    private Principal authenticate(Request request) {
        String authorization = request.exchange.getRequestHeaders().getFirst("Authorization");
        try {
            request.principal = authenticator.authenticate(authorization);
            return request.principal;
        } catch (AuthenticationException e) {
            String challenge = authorization == null || authorization.isBlank() ? "Bearer realm=\"aima-metrics\""
                    : "Bearer realm=\"aima-metrics\", error=\"invalid_token\"";
            request.exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
            throw ApiException.of(401, e.getMessage());
        }
    }

    private static void authorize(Principal principal, String permission) {
        if (!principal.allows(permission)) {
            throw ApiException.of(403, "Token '" + principal.subject() + "' lacks the permission " + permission
                    + ".");
        }
    }

    private static byte[] openApiDocument() {
        try (InputStream document = ApiServer.class.getResourceAsStream("/api/openapi.json")) {
            return document.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The OpenAPI document is missing from the class path.", e);
        }
    }

    private void audit(Request request) {
        Backend ready = backend;
        if (ready == null) {
            return;
        }
        HttpExchange exchange = request.exchange;
        String query = exchange.getRequestURI().getRawQuery();
        ready.audit().record(AuditEvent.newBuilder()
                .setTime(request.arrived)
                .setSubject(request.principal == null ? null : request.principal.subject())
                .setAuthKind(request.principal == null ? null : request.principal.kind())
                .setMethod(exchange.getRequestMethod())
                .setPath(exchange.getRequestURI().getPath())
                .setQuery(query)
                .setResource(request.resource)
                .setStatus(request.status)
                .setOutcome(outcome(request.status))
                .setRows(request.rows)
                .setRemoteAddress(exchange.getRemoteAddress() == null ? null
                        : exchange.getRemoteAddress().getAddress().getHostAddress())
                .setInstance(hostInfo().host() + ":" + hostInfo().port())
                .setForwarded(request.local)
                .setDetail(request.detail)
                .setDurationMs((System.nanoTime() - request.startNanos) / 1_000_000)
                .build());
    }

    private static AuditOutcome outcome(int status) {
        return switch (status) {
            case 200 -> AuditOutcome.ALLOWED;
            case 400, 405 -> AuditOutcome.BAD_REQUEST;
            case 401 -> AuditOutcome.UNAUTHENTICATED;
            case 403 -> AuditOutcome.FORBIDDEN;
            case 404 -> AuditOutcome.NOT_FOUND;
            case 429 -> AuditOutcome.RATE_LIMITED;
            default -> status >= 500 ? AuditOutcome.ERROR : AuditOutcome.UNKNOWN;
        };
    }

    /** What the audit event of one request records. */
    static final class Request {
        final HttpExchange exchange;
        final Instant arrived;
        final long startNanos;
        final boolean local;
        Principal principal;
        String resource;
        int status = 200;
        long rows;
        String detail;

        Request(HttpExchange exchange, Instant arrived, long startNanos) {
            this.exchange = exchange;
            this.arrived = arrived;
            this.startNanos = startNanos;
            this.local = SCOPE_LOCAL.equals(exchange.getRequestHeaders().getFirst(SCOPE_HEADER));
        }

        void refuse(int status, String detail) {
            this.status = status;
            this.detail = detail;
            this.rows = 0;
        }
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        threads.shutdownNow();
        Backend ready = backend;
        if (ready != null) {
            ready.alertStream().close();
            ready.audit().close();
        }
    }
}
