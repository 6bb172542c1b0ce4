package com.aima.metrics.deployment;

import java.net.URI;

/** A host and port named in a configuration value: {@code kafka:9092} or {@code http://registry:8080/apis/...}. */
record Endpoint(String host, int port) {

    /** Parses {@code host:port} or a URL; a URL without a port gets its scheme's default. */
    static Endpoint parse(String value) {
        String trimmed = value.trim();
        if (trimmed.contains("://")) {
            URI uri = URI.create(trimmed);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return new Endpoint(uri.getHost(), port);
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + value + "' is neither host:port nor a URL.");
        }
        return new Endpoint(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
