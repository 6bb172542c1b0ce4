package com.aima.metrics.serde;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of {@link SpecificAvroSerializer} and {@link SpecificAvroDeserializer}. The keys are those of
 * Confluent's {@code KafkaAvroSerializer} so that a configuration written for it works here unchanged; keys this serde
 * does not know are ignored, as Kafka ignores unknown client keys.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String MOCK_URL_PREFIX = "mock://";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated base URLs of a registry with the Confluent"
            + " REST API (Confluent, Apicurio's /apis/ccompat/v7, Karapace, Redpanda); tried in order when one is"
            + " unreachable. 'mock://<scope>' selects an in-memory registry for tests.";

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final boolean AUTO_REGISTER_SCHEMAS_DEFAULT = true;
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Register the writer schema under the subject on first"
            + " use. When false the schema must already be registered; the serializer only looks its id up.";

    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
    public static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";
    private static final String SUBJECT_NAME_STRATEGY_DOC = "Subject naming. Only TopicNameStrategy (subjects"
            + " '<topic>-key' and '<topic>-value') is implemented.";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT = "URL";
    private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where HTTP basic-auth credentials come from:"
            + " 'URL' (user:password@ in schema.registry.url) or 'USER_INFO' (basic.auth.user.info).";

    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    private static final String BASIC_AUTH_USER_INFO_DOC = "'user:password' for HTTP basic auth when"
            + " basic.auth.credentials.source is USER_INFO.";

    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
    private static final String BEARER_AUTH_TOKEN_DOC = "A static bearer token sent as 'Authorization: Bearer'."
            + " Takes precedence over basic auth.";

    public static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = SSL_PREFIX + "truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = SSL_PREFIX + "truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE_CONFIG = SSL_PREFIX + "truststore.type";
    public static final String SSL_KEYSTORE_LOCATION_CONFIG = SSL_PREFIX + "keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = SSL_PREFIX + "keystore.password";
    public static final String SSL_KEYSTORE_TYPE_CONFIG = SSL_PREFIX + "keystore.type";
    public static final String SSL_KEY_PASSWORD_CONFIG = SSL_PREFIX + "key.password";
    public static final String SSL_STORE_TYPE_DEFAULT = "PKCS12";

    public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    public static final int HTTP_CONNECT_TIMEOUT_MS_DEFAULT = 10_000;
    public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
    public static final int HTTP_READ_TIMEOUT_MS_DEFAULT = 30_000;

    public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
    private static final String SPECIFIC_AVRO_TYPE_DOC = "Generated Avro class to read into. When unset, the class"
            + " named by the writer schema is used.";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.LambdaValidator.with(AvroSerdeConfig::requireValidUrls,
                            () -> "non-empty list of http(s):// or mock:// URLs"),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, AUTO_REGISTER_SCHEMAS_DEFAULT,
                    Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, TOPIC_NAME_STRATEGY,
                    AvroSerdeConfig::requireTopicNameStrategy, Importance.LOW, SUBJECT_NAME_STRATEGY_DOC)
            .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, TOPIC_NAME_STRATEGY,
                    AvroSerdeConfig::requireTopicNameStrategy, Importance.LOW, SUBJECT_NAME_STRATEGY_DOC)
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, BASIC_AUTH_CREDENTIALS_SOURCE_DEFAULT,
                    ConfigDef.ValidString.in("URL", "USER_INFO"), Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC)
            .define(BEARER_AUTH_TOKEN_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, BEARER_AUTH_TOKEN_DOC)
            .define(SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM,
                    "Trust store for the registry's TLS certificate; the JVM's default trust store when unset.")
            .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, "Trust store password.")
            .define(SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, SSL_STORE_TYPE_DEFAULT, Importance.LOW,
                    "Trust store type: PKCS12 or JKS.")
            .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM,
                    "Key store holding a client certificate for mutual TLS; none when unset.")
            .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, "Key store password.")
            .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, SSL_STORE_TYPE_DEFAULT, Importance.LOW,
                    "Key store type: PKCS12 or JKS.")
            .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW,
                    "Password of the private key in the key store; the key store password when unset.")
            .define(HTTP_CONNECT_TIMEOUT_MS_CONFIG, Type.INT, HTTP_CONNECT_TIMEOUT_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, "Time-out for connecting to the registry, in milliseconds.")
            .define(HTTP_READ_TIMEOUT_MS_CONFIG, Type.INT, HTTP_READ_TIMEOUT_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, "Time-out for one registry request, in milliseconds.")
            .define(SPECIFIC_AVRO_KEY_TYPE_CONFIG, Type.CLASS, null, Importance.LOW, SPECIFIC_AVRO_TYPE_DOC)
            .define(SPECIFIC_AVRO_VALUE_TYPE_CONFIG, Type.CLASS, null, Importance.LOW, SPECIFIC_AVRO_TYPE_DOC);

    public AvroSerdeConfig(Map<String, ?> props) {
        super(CONFIG, props, false);
        if ("USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))
                && getPassword(BASIC_AUTH_USER_INFO_CONFIG) == null) {
            throw new ConfigException(BASIC_AUTH_USER_INFO_CONFIG, null,
                    "Basic auth is set to USER_INFO (" + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                            + ") but no 'user:password' is given.");
        }
    }

    /** The definition of every key, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public List<String> registryUrls() {
        return getList(SCHEMA_REGISTRY_URL_CONFIG);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    /** The {@code user:password} for basic auth, or null when none is configured. */
    String basicAuthUserInfo() {
        if ("USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            return getPassword(BASIC_AUTH_USER_INFO_CONFIG).value();
        }
        return null;
    }

    String bearerToken() {
        Password token = getPassword(BEARER_AUTH_TOKEN_CONFIG);
        return token == null ? null : token.value();
    }

    Class<?> specificType(boolean isKey) {
        return getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE_CONFIG : SPECIFIC_AVRO_VALUE_TYPE_CONFIG);
    }

    private static void requireValidUrls(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        if (urls == null || urls.isEmpty()) {
            throw new ConfigException(name, value, "At least one schema registry URL is required.");
        }
        for (String url : urls) {
            if (!(url.startsWith("http://") || url.startsWith("https://") || url.startsWith(MOCK_URL_PREFIX))) {
                throw new ConfigException(name, url, "A schema registry URL must start with http://, https:// or "
                        + MOCK_URL_PREFIX + ".");
            }
        }
        if (urls.size() > 1 && urls.stream().anyMatch(url -> url.startsWith(MOCK_URL_PREFIX))) {
            throw new ConfigException(name, value, "A mock:// registry cannot be combined with other URLs.");
        }
    }

    private static void requireTopicNameStrategy(String name, Object value) {
        String strategy = (String) value;
        if (!TOPIC_NAME_STRATEGY.equals(strategy) && !"TopicNameStrategy".equals(strategy)) {
            throw new ConfigException(name, value, "Only " + TOPIC_NAME_STRATEGY + " is implemented.");
        }
    }
}
