package com.aima.metrics.testing;

import java.util.HashMap;
import java.util.Map;

/** A real Schema Registry with the Confluent REST API, shared by the tests of one JVM (see {@link SchemaRegistryExtension}). */
public final class SchemaRegistry {

    /** The serde key for the registry URL; the same as Confluent's. */
    public static final String URL_CONFIG = "schema.registry.url";

    private final String baseUrl;
    private final String confluentApiUrl;

    SchemaRegistry(String baseUrl, String confluentApiUrl) {
        this.baseUrl = baseUrl;
        this.confluentApiUrl = confluentApiUrl;
    }

    /** The registry's root, for example {@code http://127.0.0.1:40123}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The Confluent-compatible API, the value for {@code schema.registry.url}. */
    public String url() {
        return confluentApiUrl;
    }

    /** Serde settings pointing at this registry, to extend with test-specific keys. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(URL_CONFIG, confluentApiUrl);
        return config;
    }
}
