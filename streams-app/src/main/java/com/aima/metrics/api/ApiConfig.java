package com.aima.metrics.api;

import com.aima.metrics.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the metrics REST API ({@code api.*}). The API runs inside the streams application when {@code api.port}
 * is set; it then needs {@code api.security.file} (there is no unauthenticated mode) and, with several instances,
 * {@code api.advertised.host} so that instances can reach each other.
 */
public final class ApiConfig extends AbstractConfig {

    public static final String PREFIX = "api.";

    public static final String PORT_CONFIG = PREFIX + "port";
    public static final String BIND_ADDRESS_CONFIG = PREFIX + "bind.address";
    public static final String BIND_ADDRESS_DEFAULT = "0.0.0.0";
    public static final String ADVERTISED_HOST_CONFIG = PREFIX + "advertised.host";
    public static final String ADVERTISED_HOST_DEFAULT = "localhost";
    public static final String SECURITY_FILE_CONFIG = PREFIX + "security.file";
    public static final String LIMIT_DEFAULT_CONFIG = PREFIX + "limit.default";
    public static final int LIMIT_DEFAULT_DEFAULT = 1000;
    public static final String LIMIT_MAX_CONFIG = PREFIX + "limit.max";
    public static final int LIMIT_MAX_DEFAULT = 10_000;
    public static final String MAX_WINDOWS_CONFIG = PREFIX + "max.windows";
    public static final int MAX_WINDOWS_DEFAULT = 20_000;
    public static final String THREADS_CONFIG = PREFIX + "threads";
    public static final int THREADS_DEFAULT = 16;
    public static final String SSE_MAX_CLIENTS_CONFIG = PREFIX + "sse.max.clients";
    public static final int SSE_MAX_CLIENTS_DEFAULT = 8;
    public static final String SSE_KEEPALIVE_CONFIG = PREFIX + "sse.keepalive";
    public static final String SSE_KEEPALIVE_DEFAULT = "15s";
    public static final String FORWARD_TIMEOUT_CONFIG = PREFIX + "forward.timeout";
    public static final String FORWARD_TIMEOUT_DEFAULT = "10s";
    public static final String TLS_KEYSTORE_PATH_CONFIG = PREFIX + "tls.keystore.path";
    public static final String TLS_KEYSTORE_PASSWORD_CONFIG = PREFIX + "tls.keystore.password";
    public static final String TLS_KEYSTORE_TYPE_CONFIG = PREFIX + "tls.keystore.type";
    public static final String TLS_KEYSTORE_TYPE_DEFAULT = "PKCS12";
    public static final String TLS_TRUSTSTORE_PATH_CONFIG = PREFIX + "tls.truststore.path";
    public static final String TLS_TRUSTSTORE_PASSWORD_CONFIG = PREFIX + "tls.truststore.password";

    private static final ConfigDef CONFIG = configDef();

    public ApiConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        if (enabled() && getString(SECURITY_FILE_CONFIG) == null) {
            throw new ConfigException(SECURITY_FILE_CONFIG, null, "The REST API (" + PORT_CONFIG + "=" + port()
                    + ") needs a security file with its tokens and roles; there is no unauthenticated mode.");
        }
        if (limitDefault() > limitMax()) {
            throw new ConfigException(LIMIT_DEFAULT_CONFIG, limitDefault(), "The default limit must not exceed "
                    + LIMIT_MAX_CONFIG + "=" + limitMax() + ".");
        }
        if (sseMaxClients() >= threads()) {
            throw new ConfigException(SSE_MAX_CLIENTS_CONFIG, sseMaxClients(), "Open event streams each hold a"
                    + " request thread: " + SSE_MAX_CLIENTS_CONFIG + " must be below " + THREADS_CONFIG + "="
                    + threads() + ", or no thread is left for queries.");
        }
        if (getString(TLS_KEYSTORE_PATH_CONFIG) != null && getPassword(TLS_KEYSTORE_PASSWORD_CONFIG) == null) {
            throw new ConfigException(TLS_KEYSTORE_PASSWORD_CONFIG, null, "TLS (" + TLS_KEYSTORE_PATH_CONFIG
                    + ") needs the keystore's password.");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef()
                .define(PORT_CONFIG, Type.INT, null, ConfigDef.LambdaValidator.with((name, value) -> {
                    if (value != null && ((Integer) value < 0 || (Integer) value > 65_535)) {
                        throw new ConfigException(name, value, "The API port must be from 0 to 65535.");
                    }
                }, () -> "0-65535, or unset"), Importance.HIGH,
                        "Port of the REST API; unset: no API. 0 picks a free port (tests).")
                .define(BIND_ADDRESS_CONFIG, Type.STRING, BIND_ADDRESS_DEFAULT, Importance.MEDIUM,
                        "Address the API listens on.")
                .define(ADVERTISED_HOST_CONFIG, Type.STRING, ADVERTISED_HOST_DEFAULT, Importance.HIGH,
                        "Host name under which the other instances reach this one (with the bound port it is"
                                + " Kafka Streams' application.server); in Kubernetes the pod's DNS name.")
                .define(SECURITY_FILE_CONFIG, Type.STRING, null, Importance.HIGH,
                        "YAML file of roles, static tokens, JWT settings and the rate limit (see docs/api.md).")
                .define(LIMIT_DEFAULT_CONFIG, Type.INT, LIMIT_DEFAULT_DEFAULT, ConfigDef.Range.atLeast(1),
                        Importance.LOW, "Rows returned when a query names no limit.")
                .define(LIMIT_MAX_CONFIG, Type.INT, LIMIT_MAX_DEFAULT, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        "The largest limit a query may ask for; larger ones are refused with 400.")
                .define(MAX_WINDOWS_CONFIG, Type.INT, MAX_WINDOWS_DEFAULT, ConfigDef.Range.atLeast(1),
                        Importance.LOW, "The most windows of the asked interval one aggregated query may span (a"
                                + " year of 1h windows is 8760); larger ranges are refused with 400.")
                .define(THREADS_CONFIG, Type.INT, THREADS_DEFAULT, ConfigDef.Range.atLeast(2), Importance.LOW,
                        "Threads serving requests; each open event stream holds one.")
                .define(SSE_MAX_CLIENTS_CONFIG, Type.INT, SSE_MAX_CLIENTS_DEFAULT, ConfigDef.Range.atLeast(0),
                        Importance.LOW, "Open /alerts/stream connections per instance; more are answered 503. Must"
                                + " be below " + THREADS_CONFIG + ".")
                .define(SSE_KEEPALIVE_CONFIG, Type.STRING, SSE_KEEPALIVE_DEFAULT, Durations.positiveValidator(),
                        Importance.LOW, "How often an idle event stream gets a comment line, so that proxies keep"
                                + " it open and closed clients are noticed.")
                .define(FORWARD_TIMEOUT_CONFIG, Type.STRING, FORWARD_TIMEOUT_DEFAULT, Durations.positiveValidator(),
                        Importance.LOW, "Time-out of a query forwarded to another instance.")
                .define(TLS_KEYSTORE_PATH_CONFIG, Type.STRING, null, Importance.HIGH,
                        "Keystore with the server's key and certificate; set: the API speaks HTTPS only.")
                .define(TLS_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.HIGH,
                        "Password of the keystore and its key.")
                .define(TLS_KEYSTORE_TYPE_CONFIG, Type.STRING, TLS_KEYSTORE_TYPE_DEFAULT,
                        ConfigDef.ValidString.in("PKCS12", "JKS"), Importance.LOW, "Type of the keystore and truststore.")
                .define(TLS_TRUSTSTORE_PATH_CONFIG, Type.STRING, null, Importance.MEDIUM,
                        "Truststore for calls to the other instances over HTTPS; unset: the JVM's default trust.")
                .define(TLS_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the truststore.");
    }

    public boolean enabled() {
        return getInt(PORT_CONFIG) != null;
    }

    public Integer port() {
        return getInt(PORT_CONFIG);
    }

    public String bindAddress() {
        return getString(BIND_ADDRESS_CONFIG);
    }

    public String advertisedHost() {
        return getString(ADVERTISED_HOST_CONFIG);
    }

    public Path securityFile() {
        return Path.of(getString(SECURITY_FILE_CONFIG));
    }

    public int limitDefault() {
        return getInt(LIMIT_DEFAULT_CONFIG);
    }

    public int limitMax() {
        return getInt(LIMIT_MAX_CONFIG);
    }

    public int maxWindows() {
        return getInt(MAX_WINDOWS_CONFIG);
    }

    public int threads() {
        return getInt(THREADS_CONFIG);
    }

    public int sseMaxClients() {
        return getInt(SSE_MAX_CLIENTS_CONFIG);
    }

    public Duration sseKeepalive() {
        return Durations.parse(getString(SSE_KEEPALIVE_CONFIG));
    }

    public Duration forwardTimeout() {
        return Durations.parse(getString(FORWARD_TIMEOUT_CONFIG));
    }

    public boolean tls() {
        return getString(TLS_KEYSTORE_PATH_CONFIG) != null;
    }

    public Path keystorePath() {
        return Path.of(getString(TLS_KEYSTORE_PATH_CONFIG));
    }

    public char[] keystorePassword() {
        Password password = getPassword(TLS_KEYSTORE_PASSWORD_CONFIG);
        return password == null ? new char[0] : password.value().toCharArray();
    }

    public String keystoreType() {
        return getString(TLS_KEYSTORE_TYPE_CONFIG);
    }

    public Path truststorePath() {
        String path = getString(TLS_TRUSTSTORE_PATH_CONFIG);
        return path == null ? null : Path.of(path);
    }

    public char[] truststorePassword() {
        Password password = getPassword(TLS_TRUSTSTORE_PASSWORD_CONFIG);
        return password == null ? new char[0] : password.value().toCharArray();
    }
}
