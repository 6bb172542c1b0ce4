package com.aima.metrics.collector.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The collector's configuration: one YAML file ({@code collector.example.yaml} documents every key), each key
 * overridable by an environment variable (see {@link ConfigLoader}). Keys are kebab-case; every value has a default,
 * so an empty file is a valid configuration for a node whose Kafka and Schema Registry run on localhost.
 *
 * @param node        the node's name in labels and {@code source.host}; default the host name
 * @param collectorId this collector's stable id; default the node name
 * @param stateDir    where the spool and a generated HMAC key live
 * @param intervals   collection intervals by metric name, overriding the defaults of seed 004 section 2
 */
public record CollectorConfig(String node, String collectorId, Path stateDir, Kafka kafka, Spool spool, Gpu gpu,
                              Host host, Kubernetes kubernetes, Http http, Map<String, Duration> intervals,
                              Labels labels) {

    public CollectorConfig {
        node = node == null || node.isBlank() ? Hosts.localName() : node;
        collectorId = collectorId == null || collectorId.isBlank() ? node : collectorId;
        stateDir = stateDir == null ? Path.of("aima-collector-state") : stateDir;
        kafka = kafka == null ? new Kafka(null, null, null) : kafka;
        spool = spool == null ? new Spool(null, null) : spool;
        gpu = gpu == null ? new Gpu(null, null, null) : gpu;
        host = host == null ? new Host(null) : host;
        kubernetes = kubernetes == null ? new Kubernetes(null, null) : kubernetes;
        http = http == null ? new Http(null, null, null) : http;
        intervals = intervals == null ? Map.of() : Map.copyOf(intervals);
        labels = labels == null ? new Labels(null, null, null, null) : labels;
    }

    /**
     * @param bootstrapServers  Kafka's bootstrap servers
     * @param schemaRegistryUrl the Schema Registry (Confluent API) the Avro serde registers with
     * @param properties        further producer and serde settings, for example {@code security.protocol} or
     *                          {@code basic.auth.user.info}
     */
    public record Kafka(String bootstrapServers, String schemaRegistryUrl, Map<String, String> properties) {
        public Kafka {
            bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
            schemaRegistryUrl = schemaRegistryUrl == null ? "http://localhost:8081" : schemaRegistryUrl;
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }
    }

    /**
     * @param maxBytes     the spool's size limit on disk; when full, the oldest samples are dropped (counted)
     * @param segmentBytes the size of one spool file; the unit in which old samples are dropped
     */
    public record Spool(DataSize maxBytes, DataSize segmentBytes) {
        public Spool {
            maxBytes = maxBytes == null ? DataSize.ofMebibytes(256) : maxBytes;
            segmentBytes = segmentBytes == null ? DataSize.ofMebibytes(8) : segmentBytes;
        }
    }

    /** Where GPU metrics come from. */
    public enum GpuSource {
        /** NVML when the driver's library loads, otherwise no GPU metrics (one log line). */
        AUTO,
        /** NVML, and fail at start when it cannot be loaded. */
        NVML,
        /** NVML when it loads, otherwise simulated GPUs: for the local run and demos. */
        NVML_OR_SIMULATOR,
        /** Simulated GPUs, labelled {@code source=simulator}. */
        SIMULATOR,
        OFF;

        @JsonCreator
        public static GpuSource of(String text) {
            return ConfigLoader.enumValue(GpuSource.class, text);
        }
    }

    /**
     * @param source        where GPU metrics come from
     * @param library       the NVML library: a name the dynamic linker finds or a path
     * @param simulatedGpus how many GPUs the simulator makes up
     */
    public record Gpu(GpuSource source, String library, Integer simulatedGpus) {
        public Gpu {
            source = source == null ? GpuSource.AUTO : source;
            library = library == null ? "libnvidia-ml.so.1" : library;
            simulatedGpus = simulatedGpus == null ? 4 : simulatedGpus;
        }
    }

    /** @param enabled whether CPU, RAM, disk and network of the node are collected */
    public record Host(Boolean enabled) {
        public Host {
            enabled = enabled == null || enabled;
        }
    }

    /** Whether the node's pods and containers are read through the Kubernetes API. */
    public enum KubernetesMode {
        /** When running inside a cluster (a service account is mounted), otherwise skipped with a log line. */
        AUTO, ON, OFF;

        @JsonCreator
        public static KubernetesMode of(String text) {
            return ConfigLoader.enumValue(KubernetesMode.class, text);
        }
    }

    /**
     * @param enabled  when to read the Kubernetes API
     * @param nodeName the Kubernetes node whose pods are counted; default the {@code NODE_NAME} environment variable
     *                 (set it through the downward API), else the collector's node name
     */
    public record Kubernetes(KubernetesMode enabled, String nodeName) {
        public Kubernetes {
            enabled = enabled == null ? KubernetesMode.AUTO : enabled;
        }
    }

    /**
     * @param bindAddress  the address the HTTP server listens on
     * @param port         its port: OTLP/HTTP ({@code /v1/metrics}), job events ({@code /v1/jobs}), Prometheus
     *                     ({@code /metrics}) and {@code /healthz}; 0 picks a free one
     * @param maxBodyBytes the largest request body accepted
     */
    public record Http(String bindAddress, Integer port, DataSize maxBodyBytes) {
        public Http {
            bindAddress = bindAddress == null ? "0.0.0.0" : bindAddress;
            port = port == null ? 4318 : port;
            maxBodyBytes = maxBodyBytes == null ? DataSize.ofMebibytes(4) : maxBodyBytes;
        }
    }

    /**
     * @param allow        label names allowed per metric name
     * @param defaultAllow label names allowed for metrics not in {@code allow}
     * @param personal     label names whose values identify a person; they leave the node only HMAC-hashed
     * @param hmacKeyFile  a file holding the deployment's HMAC key (at least 16 bytes); when unset, a random key is
     *                     generated once in the state directory, so hashes do not match across nodes
     */
    public record Labels(Map<String, List<String>> allow, List<String> defaultAllow, List<String> personal,
                         Path hmacKeyFile) {
        /** Allowed when nothing is configured: the labels the collector's own sources set, and common job labels. */
        public static final List<String> DEFAULT_ALLOW = List.of("node", "gpu", "gpu_uuid", "gpu_model", "pid",
                "mig_instance", "mig_uuid", "source", "mount", "interface", "phase", "namespace", "job_id", "project",
                "analysis_type", "model", "pipeline", "queue", "service", "service_version", "stage", "provider",
                "user_id", "le");
        public static final List<String> DEFAULT_PERSONAL = List.of("user_id", "user", "email", "submitter");

        public Labels {
            allow = allow == null ? Map.of() : Map.copyOf(allow);
            defaultAllow = defaultAllow == null ? DEFAULT_ALLOW : List.copyOf(defaultAllow);
            personal = personal == null ? DEFAULT_PERSONAL : List.copyOf(personal);
        }
    }
}
