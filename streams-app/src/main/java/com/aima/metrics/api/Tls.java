package com.aima.metrics.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/** The TLS contexts of the API: the server's (its keystore) and the one for calls to other instances. */
final class Tls {

    private Tls() {
    }

    /** The server's context from {@code api.tls.keystore.*}, or null when TLS is off. */
    static SSLContext server(ApiConfig config) {
        if (!config.tls()) {
            return null;
        }
        try {
            KeyStore keys = load(config.keystorePath(), config.keystorePassword(), config.keystoreType(),
                    ApiConfig.TLS_KEYSTORE_PATH_CONFIG);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, config.keystorePassword());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(ApiConfig.TLS_KEYSTORE_PATH_CONFIG, config.keystorePath().toString(),
                    "The keystore holds no usable key: " + e.getMessage());
        }
    }

    /** The context for calls to HTTPS instances: {@code api.tls.truststore.*}, else the JVM's trust; null without TLS. */
    static SSLContext client(ApiConfig config) {
        if (!config.tls()) {
            return null;
        }
        try {
            if (config.truststorePath() == null) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(config.truststorePath(), config.truststorePassword(), config.keystoreType(),
                    ApiConfig.TLS_TRUSTSTORE_PATH_CONFIG));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(ApiConfig.TLS_TRUSTSTORE_PATH_CONFIG, String.valueOf(config.truststorePath()),
                    "The truststore cannot be used: " + e.getMessage());
        }
    }

    private static KeyStore load(Path path, char[] password, String type, String key) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, path.toString(), "Cannot read the " + type + " store: " + e.getMessage());
        }
    }
}
