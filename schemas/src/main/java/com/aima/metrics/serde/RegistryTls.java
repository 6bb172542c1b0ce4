package com.aima.metrics.serde;

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
import org.apache.kafka.common.config.types.Password;

/** Builds the TLS context for registry calls from the {@code schema.registry.ssl.*} keys. */
final class RegistryTls {

    private RegistryTls() {
    }

    /** The configured TLS context, or null when no trust or key store is configured (the JVM defaults apply). */
    static SSLContext sslContext(AvroSerdeConfig config) {
        String truststore = config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG);
        String keystore = config.getString(AvroSerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG);
        if (truststore == null && keystore == null) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (truststore != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(truststore, config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE_CONFIG),
                        config.getPassword(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG),
                        AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG));
            }
            KeyManagerFactory keys = null;
            if (keystore != null) {
                Password storePassword = config.getPassword(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD_CONFIG);
                Password keyPassword = config.getPassword(AvroSerdeConfig.SSL_KEY_PASSWORD_CONFIG);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(keystore, config.getString(AvroSerdeConfig.SSL_KEYSTORE_TYPE_CONFIG), storePassword,
                                AvroSerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG),
                        chars(keyPassword != null ? keyPassword : storePassword));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot set up TLS for the schema registry from the "
                    + AvroSerdeConfig.SSL_PREFIX + "* settings: " + e);
        }
    }

    private static KeyStore load(String location, String type, Password password, String key)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars(password));
        } catch (IOException e) {
            throw new ConfigException(key, location, "Cannot read the " + type + " store: " + e.getMessage());
        }
        return store;
    }

    private static char[] chars(Password password) {
        return password == null ? null : password.value().toCharArray();
    }
}
