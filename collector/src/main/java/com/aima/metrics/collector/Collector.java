package com.aima.metrics.collector;

import com.aima.metrics.collector.config.CollectorConfig;
import com.aima.metrics.collector.config.CollectorConfig.GpuSource;
import com.aima.metrics.collector.config.CollectorConfig.KubernetesMode;
import com.aima.metrics.collector.gpu.NvmlGpuSource;
import com.aima.metrics.collector.gpu.SimulatedGpuSource;
import com.aima.metrics.collector.host.HostSource;
import com.aima.metrics.collector.kubernetes.KubernetesSource;
import com.aima.metrics.collector.nvml.Nvml;
import com.aima.metrics.collector.nvml.NvmlException;
import com.aima.metrics.collector.ops.PrometheusEndpoint;
import com.aima.metrics.collector.otlp.JobEventHandler;
import com.aima.metrics.collector.otlp.OtlpMetricsHandler;
import com.aima.metrics.collector.otlp.OtlpMetricsMapper;
import com.aima.metrics.collector.privacy.LabelPolicy;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collector on one node: the metric sources its configuration asks for, sampled on their schedules, and an HTTP
 * server for OTLP metrics ({@code POST /v1/metrics}), job events ({@code POST /v1/jobs}), Prometheus
 * ({@code GET /metrics}) and liveness ({@code GET /healthz}). Every event passes the label policy, is recorded for
 * {@code /metrics} when it is a GPU reading, and goes to the publisher given to {@link #start}.
 */
public final class Collector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);
    private static final String GENERATED_KEY_FILE = "label-hmac.key";

    private final List<MetricSource> sources;
    private final ScheduledExecutorService sampling;
    private final ExecutorService httpThreads;
    private final HttpServer http;
    private final PrometheusEndpoint prometheus;

    private Collector(List<MetricSource> sources, ScheduledExecutorService sampling, ExecutorService httpThreads,
                      HttpServer http, PrometheusEndpoint prometheus) {
        this.sources = sources;
        this.sampling = sampling;
        this.httpThreads = httpThreads;
        this.http = http;
        this.prometheus = prometheus;
    }

    /**
     * Starts sampling and serving.
     *
     * @param publisher where events go once the label policy has filtered them; it must not block
     * @throws IllegalArgumentException for a configuration that cannot work (an unknown interval, NVML required but
     *                                  missing, a short HMAC key)
     * @throws UncheckedIOException     if the HTTP port cannot be bound or the state directory not written
     */
    public static Collector start(CollectorConfig config, EventSink publisher) {
        LabelPolicy policy = labelPolicy(config);
        PrometheusEndpoint prometheus = new PrometheusEndpoint();
        EventSink sink = policy.guard(prometheus.observe(publisher));
        List<MetricSource> sources = sources(config);
        SampleScheduler scheduler;
        try {
            scheduler = new SampleScheduler(sources, config.intervals(), sink, Clock.systemUTC().instant());
        } catch (RuntimeException e) {
            sources.forEach(MetricSource::close);
            throw e;
        }

        OtlpMetricsHandler otlp = new OtlpMetricsHandler(new OtlpMetricsMapper(config.node(), config.collectorId()),
                sink, bodyLimit(config));
        JobEventHandler jobs = new JobEventHandler(sink, policy::hmacHex, bodyLimit(config));
        Map<String, DoubleSupplier> samples = new LinkedHashMap<>();
        Map<String, DoubleSupplier> sampleErrors = new LinkedHashMap<>();
        scheduler.health().forEach((source, health) -> {
            samples.put(source, () -> health.samples().get());
            sampleErrors.put(source, () -> health.errors().get());
        });
        prometheus.counterPerSource("samples", "Samples taken, per source.", samples);
        prometheus.counterPerSource("sample_errors", "Samples that failed, per source.", sampleErrors);
        prometheus.counter("labels_dropped", "Labels removed because the allowlist does not name them.",
                policy::dropped);
        prometheus.counter("otlp_points_accepted", "OTLP data points turned into events.", otlp::acceptedDataPoints);
        prometheus.counter("otlp_points_rejected", "OTLP data points refused (NaN, unknown type, bad name).",
                otlp::rejectedDataPoints);
        prometheus.counter("otlp_requests_failed", "OTLP requests answered with an error status.",
                otlp::failedRequests);
        prometheus.counter("job_events_accepted", "Job events accepted on /v1/jobs.", jobs::acceptedEvents);
        prometheus.counter("job_requests_failed", "Job-event requests answered with an error status.",
                jobs::failedRequests);

        ExecutorService httpThreads = Executors.newFixedThreadPool(2, daemon("aima-collector-http"));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.http().bindAddress(), config.http().port()), 0);
        } catch (IOException e) {
            sources.forEach(MetricSource::close);
            httpThreads.shutdown();
            throw new UncheckedIOException("Cannot listen on " + config.http().bindAddress() + ":"
                    + config.http().port() + " (http.bind-address, http.port): " + e.getMessage(), e);
        }
        server.createContext(OtlpMetricsHandler.PATH, otlp);
        server.createContext(JobEventHandler.PATH, jobs);
        server.createContext("/metrics", prometheus.handler());
        server.createContext("/healthz", exchange -> {
            try (exchange) {
                byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.setExecutor(httpThreads);
        server.start();

        ScheduledThreadPoolExecutor sampling = new ScheduledThreadPoolExecutor(1, daemon("aima-collector-sampling"));
        sampling.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        sampling.execute(new Runnable() {
            @Override
            public void run() {
                Instant next = Instant.now().plusSeconds(1);
                try {
                    next = scheduler.runDue(Instant.now());
                } catch (Throwable e) { // an Error too: sampling must not end silently
                    log.error("Sampling failed; trying again in 1 s: {}", e.toString(), e);
                } finally {
                    if (!sampling.isShutdown() && !next.equals(Instant.MAX)) {
                        long delay = Math.max(0, Duration.between(Instant.now(), next).toMillis());
                        sampling.schedule(this, delay, TimeUnit.MILLISECONDS);
                    }
                }
            }
        });
        Collector collector = new Collector(sources, sampling, httpThreads, server, prometheus);
        log.info("Collector {} on node {} started: sources {}, HTTP on port {}", config.collectorId(), config.node(),
                sources.stream().map(MetricSource::name).toList(), collector.httpPort());
        return collector;
    }

    /** The port the HTTP server listens on (the configured one, or the one picked for port 0). */
    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The names of the sources sampled, for example {@code [gpu, host]}. */
    public List<String> sourceNames() {
        return sources.stream().map(MetricSource::name).toList();
    }

    /** The Prometheus endpoint, on which the publisher registers its own health. */
    public PrometheusEndpoint prometheus() {
        return prometheus;
    }

    @Override
    public void close() {
        http.stop(0);
        httpThreads.shutdown();
        sampling.shutdown();
        try {
            if (!sampling.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("A sample still running after 10 s is abandoned.");
                sampling.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (MetricSource source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                log.warn("Closing the {} source failed: {}", source.name(), e.toString());
            }
        }
    }

    private static List<MetricSource> sources(CollectorConfig config) {
        List<MetricSource> sources = new ArrayList<>();
        MetricSource gpu = gpuSource(config);
        if (gpu != null) {
            sources.add(gpu);
        }
        if (config.host().enabled()) {
            sources.add(new HostSource(config.node(), config.collectorId()));
        }
        KubernetesMode kubernetes = config.kubernetes().enabled();
        if (kubernetes == KubernetesMode.ON || kubernetes == KubernetesMode.AUTO && KubernetesSource.inCluster()) {
            String nodeName = config.kubernetes().nodeName() != null ? config.kubernetes().nodeName()
                    : System.getenv().getOrDefault("NODE_NAME", config.node());
            // short time-outs and no retries: the API server must not hold up the sampling thread for long
            Config kubernetesConfig = new ConfigBuilder(Config.autoConfigure(null)).withRequestTimeout(5_000)
                    .withConnectionTimeout(5_000).withRequestRetryBackoffLimit(0).build();
            sources.add(new KubernetesSource(new KubernetesClientBuilder().withConfig(kubernetesConfig).build(),
                    nodeName, config.node(), config.collectorId()));
        } else if (kubernetes == KubernetesMode.AUTO) {
            log.info("Not running inside Kubernetes (no service account): pod and container metrics are off.");
        }
        return sources;
    }

    /** The GPU source the configuration asks for, or null for none. */
    private static MetricSource gpuSource(CollectorConfig config) {
        GpuSource mode = config.gpu().source();
        if (mode == GpuSource.OFF) {
            return null;
        }
        if (mode == GpuSource.SIMULATOR) {
            return simulator(config);
        }
        try {
            Nvml nvml = Nvml.open(config.gpu().library());
            int count = nvml.deviceCount();
            log.info("NVML from {}: {} GPU(s).", config.gpu().library(), count);
            return new NvmlGpuSource(nvml, config.node(), config.collectorId());
        } catch (UnsatisfiedLinkError | NvmlException e) {
            String why = "NVML (" + config.gpu().library() + ") is not usable: " + e.getMessage();
            return switch (mode) {
                case NVML -> throw new IllegalArgumentException(why + " (gpu.source is nvml, which requires it)", e);
                case NVML_OR_SIMULATOR -> {
                    log.warn("{}; simulating {} GPUs instead (labelled source=simulator).", why,
                            config.gpu().simulatedGpus());
                    yield simulator(config);
                }
                default -> {
                    log.warn("{}; GPU metrics are off, everything else is collected.", why);
                    yield null;
                }
            };
        }
    }

    private static MetricSource simulator(CollectorConfig config) {
        return new SimulatedGpuSource(config.gpu().simulatedGpus(), config.node(), config.collectorId());
    }

    private static int bodyLimit(CollectorConfig config) {
        long bytes = config.http().maxBodyBytes().bytes();
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("http.max-body-bytes: " + bytes + " bytes is not between 1 and 2 GiB.");
        }
        return (int) bytes;
    }

    /** The label policy with the configured key, or with a key generated once into the state directory. */
    static LabelPolicy labelPolicy(CollectorConfig config) {
        CollectorConfig.Labels labels = config.labels();
        Map<String, Set<String>> allow = new LinkedHashMap<>();
        labels.allow().forEach((metric, names) -> allow.put(metric, Set.copyOf(names)));
        Set<String> personal = new HashSet<>(labels.personal());
        Path keyFile = labels.hmacKeyFile() != null ? labels.hmacKeyFile()
                : config.stateDir().resolve(GENERATED_KEY_FILE);
        byte[] key;
        try {
            if (labels.hmacKeyFile() == null && !Files.exists(keyFile)) {
                Files.createDirectories(config.stateDir());
                byte[] generated = new byte[32];
                new SecureRandom().nextBytes(generated);
                Files.write(keyFile, java.util.HexFormat.of().formatHex(generated).getBytes(StandardCharsets.US_ASCII),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                trySetOwnerOnly(keyFile);
                log.warn("No labels.hmac-key-file configured: generated a key in {}. Personal labels hash"
                        + " differently on every node until all share one key.", keyFile);
            }
            key = Files.readString(keyFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the label HMAC key " + keyFile
                    + " (labels.hmac-key-file): " + e, e);
        }
        try {
            return new LabelPolicy(allow, Set.copyOf(labels.defaultAllow()), personal, key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("labels.hmac-key-file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static void trySetOwnerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            log.debug("Cannot restrict {} to its owner: {}", file, e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
