package com.aima.metrics.influx;

import com.aima.metrics.influx.InfluxSchema.RetentionPolicy;
import com.aima.metrics.serde.AvroSerdeConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the InfluxDB sink, shared by {@link InfluxSinkConnector} and {@link InfluxSinkTask}: the server, the
 * database and its retention policies, batching and retries, and the keys of the project's Avro serde
 * ({@link AvroSerdeConfig}: {@code schema.registry.url}, {@code basic.auth.*}, {@code schema.registry.ssl.*}, ...),
 * which decode the records. Times are milliseconds.
 */
public final class InfluxSinkConfig extends AbstractConfig {

    public static final String URL_CONFIG = "influxdb.url";
    private static final String URL_DOC = "Base URL of the InfluxDB HTTP API, for example http://influxdb:8086. The"
            + " sink uses the v1 API (/write, /query): InfluxDB 1.x, 2.x through its v1 compatibility API and DBRP"
            + " mappings, 3.x.";

    public static final String USERNAME_CONFIG = "influxdb.username";
    private static final String USERNAME_DOC = "User for InfluxDB's authentication; none when unset. On 2.x any name"
            + " with a token as password.";

    public static final String PASSWORD_CONFIG = "influxdb.password";
    private static final String PASSWORD_DOC = "Password of influxdb.username (a token on 2.x and 3.x).";

    public static final String DATABASE_CONFIG = "influxdb.database";
    public static final String DATABASE_DEFAULT = InfluxSchema.DEFAULT_DATABASE;
    private static final String DATABASE_DOC = "Database the points are written to.";

    public static final String CREATE_DATABASE_CONFIG = "influxdb.create.database";
    public static final boolean CREATE_DATABASE_DEFAULT = true;
    private static final String CREATE_DATABASE_DOC = "When true the task creates the database and the retention"
            + " policies when missing, and alters a policy whose duration differs from influxdb.retention.<policy>"
            + " (needs an admin user on 1.x). When false it runs no InfluxQL schema statement: the database and the"
            + " seven policies (or, on 2.x, DBRP mappings with those names) must exist.";

    public static final String BATCH_SIZE_CONFIG = "influxdb.batch.size";
    public static final int BATCH_SIZE_DEFAULT = 5_000;
    private static final String BATCH_SIZE_DOC = "Most points in one write request. Every put() writes its records"
            + " before it returns, in requests of at most this many points per retention policy; to fill them, let"
            + " Connect hand bigger batches (consumer.override.max.poll.records).";

    public static final String TIMEOUT_MS_CONFIG = "influxdb.timeout.ms";
    public static final long TIMEOUT_MS_DEFAULT = 10_000;
    private static final String TIMEOUT_MS_DOC = "Connect, read and write time-out of one request to InfluxDB. A"
            + " request that times out is retried like an unreachable server.";

    public static final String RETRY_BACKOFF_MS_CONFIG = "influxdb.retry.backoff.ms";
    public static final long RETRY_BACKOFF_MS_DEFAULT = 5_000;
    private static final String RETRY_BACKOFF_MS_DOC = "Wait before Connect hands a batch again after InfluxDB or the"
            + " schema registry could not be reached, timed out, or answered with a server error.";

    public static final String GZIP_CONFIG = "influxdb.gzip";
    public static final boolean GZIP_DEFAULT = false;
    private static final String GZIP_DOC = "Compress write requests with gzip.";

    /** Prefix of the retention keys: {@code influxdb.retention.<policy>}, for example influxdb.retention.raw. */
    public static final String RETENTION_PREFIX = "influxdb.retention.";

    private static final String GROUP_CONNECTION = "InfluxDB";
    private static final String GROUP_WRITES = "Writes";
    private static final String GROUP_RETENTION = "Retention";

    public InfluxSinkConfig(Map<String, ?> props) {
        super(configDef(), props, false);
        requireCredentialsPair(getString(USERNAME_CONFIG), getPassword(PASSWORD_CONFIG));
    }

    /** Every key: this sink's and the Avro serde's. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef(AvroSerdeConfig.configDef())
                .define(URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.LambdaValidator.with(InfluxSinkConfig::requireValidUrl, () -> "http(s)://host[:port]"),
                        Importance.HIGH, URL_DOC, GROUP_CONNECTION, 1, Width.LONG, "InfluxDB URL")
                .define(USERNAME_CONFIG, Type.STRING, null, Importance.HIGH, USERNAME_DOC, GROUP_CONNECTION, 2,
                        Width.MEDIUM, "User")
                .define(PASSWORD_CONFIG, Type.PASSWORD, null, Importance.HIGH, PASSWORD_DOC, GROUP_CONNECTION, 3,
                        Width.MEDIUM, "Password")
                .define(DATABASE_CONFIG, Type.STRING, DATABASE_DEFAULT, new ConfigDef.NonEmptyStringWithoutControlChars(),
                        Importance.HIGH, DATABASE_DOC, GROUP_CONNECTION, 4, Width.MEDIUM, "Database")
                .define(CREATE_DATABASE_CONFIG, Type.BOOLEAN, CREATE_DATABASE_DEFAULT, Importance.MEDIUM,
                        CREATE_DATABASE_DOC, GROUP_CONNECTION, 5, Width.SHORT, "Create database and policies")
                .define(GZIP_CONFIG, Type.BOOLEAN, GZIP_DEFAULT, Importance.LOW, GZIP_DOC, GROUP_CONNECTION, 6,
                        Width.SHORT, "Gzip")
                .define(BATCH_SIZE_CONFIG, Type.INT, BATCH_SIZE_DEFAULT, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        BATCH_SIZE_DOC, GROUP_WRITES, 1, Width.SHORT, "Points per write")
                .define(TIMEOUT_MS_CONFIG, Type.LONG, TIMEOUT_MS_DEFAULT, ConfigDef.Range.between(1, Integer.MAX_VALUE),
                        Importance.LOW, TIMEOUT_MS_DOC, GROUP_WRITES, 2, Width.SHORT, "Request time-out (ms)")
                .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, ConfigDef.Range.atLeast(0),
                        Importance.LOW, RETRY_BACKOFF_MS_DOC, GROUP_WRITES, 3, Width.SHORT, "Retry backoff (ms)");
        int order = 1;
        for (RetentionPolicy policy : RetentionPolicy.values()) {
            def.define(retentionConfig(policy), Type.STRING, policy.defaultDuration(),
                    ConfigDef.LambdaValidator.with(InfluxSinkConfig::requireValidRetention,
                            () -> "an InfluxQL duration of at least 1h (24h, 7d, 52w) or INF"),
                    Importance.LOW, "Duration of the retention policy '" + policy.policyName() + "'"
                            + (policy.isDefault() ? ", the database's DEFAULT policy" : "") + ".",
                    GROUP_RETENTION, order++, Width.SHORT, policy.policyName() + " retention");
        }
        return def;
    }

    /** The key of {@code policy}'s duration, for example {@code influxdb.retention.rollup_1h}. */
    public static String retentionConfig(RetentionPolicy policy) {
        return RETENTION_PREFIX + policy.policyName();
    }

    /**
     * @throws ConfigException naming both keys when only one of user and password is set
     */
    static void requireCredentialsPair(String username, Password password) {
        boolean hasUser = username != null && !username.isEmpty();
        boolean hasPassword = password != null && !password.value().isEmpty();
        if (hasUser != hasPassword) {
            throw new ConfigException(hasUser ? PASSWORD_CONFIG : USERNAME_CONFIG, hasUser ? "[hidden]" : null,
                    "Set both " + USERNAME_CONFIG + " and " + PASSWORD_CONFIG + ", or neither.");
        }
    }

    private static void requireValidUrl(String key, Object value) {
        if (value == null) {
            return; // ConfigDef reports the missing required key itself
        }
        String text = ((String) value).strip();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || uri.getHost() == null) {
                throw new ConfigException(key, value, "An InfluxDB URL is http:// or https:// with a host, for"
                        + " example http://influxdb:8086.");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(key, value, "Not a URL: " + e.getMessage() + ".");
        }
    }

    private static void requireValidRetention(String key, Object value) {
        try {
            InfluxDurations.requireRetention((String) value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage());
        }
    }

    public String url() {
        return getString(URL_CONFIG).strip();
    }

    /** The user, or null when none is configured. */
    public String username() {
        String username = getString(USERNAME_CONFIG);
        return username == null || username.isEmpty() ? null : username;
    }

    /** The password, or null when none is configured. */
    public String password() {
        Password password = getPassword(PASSWORD_CONFIG);
        return password == null ? null : password.value();
    }

    public String database() {
        return getString(DATABASE_CONFIG);
    }

    public boolean createDatabase() {
        return getBoolean(CREATE_DATABASE_CONFIG);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    public long timeoutMs() {
        return getLong(TIMEOUT_MS_CONFIG);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS_CONFIG);
    }

    public boolean gzip() {
        return getBoolean(GZIP_CONFIG);
    }

    /** Every policy's duration as configured (InfluxQL literal, {@code INF} for unlimited). */
    public Map<RetentionPolicy, String> retentions() {
        Map<RetentionPolicy, String> durations = new EnumMap<>(RetentionPolicy.class);
        for (RetentionPolicy policy : RetentionPolicy.values()) {
            durations.put(policy, getString(retentionConfig(policy)).strip());
        }
        return durations;
    }

    /** The settings the record decoder is configured with: every original key (the serde ignores the others). */
    public Map<String, Object> serdeConfig() {
        return new HashMap<>(originals());
    }
}
