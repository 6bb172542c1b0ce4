package com.aima.metrics.serde;

/** Creates the {@link SchemaRegistryClient} that a serde configuration asks for. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    /** A caching REST client for http(s) URLs, or the shared in-memory registry for {@code mock://<scope>}. */
    public static SchemaRegistryClient create(AvroSerdeConfig config) {
        String first = config.registryUrls().get(0);
        if (first.startsWith(AvroSerdeConfig.MOCK_URL_PREFIX)) {
            return MockSchemaRegistry.forScope(first.substring(AvroSerdeConfig.MOCK_URL_PREFIX.length()));
        }
        return new CachingSchemaRegistryClient(new RestSchemaRegistryClient(config));
    }
}
