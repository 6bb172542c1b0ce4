package com.aima.metrics.testing;

import com.aima.metrics.devstack.ApicurioRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real Schema Registry with the Confluent REST API, shared by the tests of one JVM (see {@link SchemaRegistryExtension}). */
public final class SchemaRegistry implements AutoCloseable {

    /** The serde key for the registry URL; the same as Confluent's. */
    public static final String URL_CONFIG = "schema.registry.url";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ApicurioRegistry process;

    private SchemaRegistry(ApicurioRegistry process) {
        this.process = process;
    }

    /**
     * Starts Apicurio with an in-memory database on a free port, its log in {@code target/apicurio-<pid>.log}; the
     * caller closes it. Tests get a shared one from {@link SchemaRegistryExtension} instead.
     */
    public static SchemaRegistry start() {
        Path log = Path.of("target", "apicurio-" + ProcessHandle.current().pid() + ".log");
        return new SchemaRegistry(ApicurioRegistry.start(ApicurioRegistry.locateHome(), 0, null, log, START_TIMEOUT));
    }

    @Override
    public void close() {
        process.close();
    }

    /** The registry's root, for example {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return process.baseUrl();
    }

    /** The Confluent-compatible API, the value for {@code schema.registry.url}. */
    public String url() {
        return process.confluentApiUrl();
    }

    /** Serde settings pointing at this registry, to extend with test-specific keys. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(URL_CONFIG, url());
        return config;
    }
}
