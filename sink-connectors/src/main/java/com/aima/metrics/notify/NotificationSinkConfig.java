package com.aima.metrics.notify;

import com.aima.metrics.LabelMatcher;
import com.aima.metrics.schema.Severity;
import com.aima.metrics.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the alert notification sink, shared by {@link AlertNotificationSinkConnector} and
 * {@link AlertNotificationSinkTask}: decoding, grouping, retries, routes, the de-duplication topic, and every channel's
 * settings ({@link Channels#define}). Times are milliseconds. Routes are named in {@value #ROUTES_CONFIG}; each named
 * route {@code <name>} has the keys {@code route.<name>.severity}, {@code .matchers}, {@code .channels} and
 * {@code .exclusive}, defined per name by {@link #configDef(List)}.
 */
public final class NotificationSinkConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG;
    private static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry with the Confluent REST API that the"
            + " AlertEvent records' schema ids refer to. The other schema.registry.* and basic.auth.* keys of the"
            + " project's Avro serde apply too.";

    public static final String GROUP_WAIT_MS_CONFIG = "group.wait.ms";
    public static final long GROUP_WAIT_MS_DEFAULT = 30_000;
    private static final String GROUP_WAIT_MS_DOC = "How long a channel collects alerts, from the first alert of a"
            + " group, before it sends them in one message. 0 sends every alert as soon as it is read.";

    public static final String RETRY_BACKOFF_INITIAL_MS_CONFIG = "retry.backoff.initial.ms";
    public static final long RETRY_BACKOFF_INITIAL_MS_DEFAULT = 1_000;
    private static final String RETRY_BACKOFF_INITIAL_MS_DOC = "Wait before the first retry of a message whose"
            + " channel failed with a retryable error; doubled for every further failure.";

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final long RETRY_BACKOFF_MAX_MS_DEFAULT = 60_000;
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two retries of a message.";

    public static final String RETRY_TIMEOUT_MS_CONFIG = "retry.timeout.ms";
    public static final long RETRY_TIMEOUT_MS_DEFAULT = Duration.ofHours(24).toMillis();
    private static final String RETRY_TIMEOUT_MS_DOC = "How long after its first failure a message is retried. After"
            + " that, or at once for an error that is not retryable, its alerts are logged as failed and reported to"
            + " the connector's dead-letter queue (errors.tolerance=all, errors.deadletterqueue.topic.name).";

    public static final String ROUTES_CONFIG = "routes";
    private static final String ROUTES_DOC = "Names of the routes, each configured by route.<name>.severity,"
            + " route.<name>.matchers, route.<name>.channels and route.<name>.exclusive. A route sends the alerts it"
            + " matches to its channels in addition to the channels their rule named.";

    public static final String ROUTE_PREFIX = "route.";
    public static final String ROUTE_SEVERITY_SUFFIX = ".severity";
    public static final String ROUTE_MATCHERS_SUFFIX = ".matchers";
    public static final String ROUTE_CHANNELS_SUFFIX = ".channels";
    public static final String ROUTE_EXCLUSIVE_SUFFIX = ".exclusive";

    public static final String DEDUP_TOPIC_CONFIG = "dedup.topic";
    public static final String DEDUP_TOPIC_DEFAULT = "aima.alerts.notified";
    private static final String DEDUP_TOPIC_DOC = "Compacted topic recording which alert was delivered to which"
            + " channel, so that alerts read again after a restart are not sent twice. Created by the task when"
            + " missing (1 partition, cleanup.policy=compact,delete). One topic per connector.";

    public static final String DEDUP_BOOTSTRAP_SERVERS_CONFIG = "dedup.bootstrap.servers";
    private static final String DEDUP_BOOTSTRAP_SERVERS_DOC = "Brokers of the cluster that holds the de-duplication"
            + " topic, normally those the connector reads from. Further client settings (security.protocol, sasl.*,"
            + " ssl.*) are given with the prefix dedup.client.";

    public static final String DEDUP_CLIENT_PREFIX = "dedup.client.";

    public static final String DEDUP_RETENTION_MS_CONFIG = "dedup.retention.ms";
    public static final long DEDUP_RETENTION_MS_DEFAULT = Duration.ofDays(7).toMillis();
    private static final String DEDUP_RETENTION_MS_DOC = "How long a delivery is remembered: the topic's retention.ms"
            + " when the task creates it, and the age after which the task forgets a delivery in memory. Alerts read"
            + " again later than this after their delivery are sent again.";

    public static final String DEDUP_REPLICATION_FACTOR_CONFIG = "dedup.topic.replication.factor";
    public static final short DEDUP_REPLICATION_FACTOR_DEFAULT = -1;
    private static final String DEDUP_REPLICATION_FACTOR_DOC = "Replication factor of the de-duplication topic when"
            + " the task creates it; -1 takes the broker's default.replication.factor.";

    private static final String GROUP_DELIVERY = "Delivery";
    private static final String GROUP_ROUTES = "Routes";
    private static final String GROUP_DEDUP = "De-duplication";
    private static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final List<Route> routes;

    public NotificationSinkConfig(Map<String, ?> props) {
        super(configDef(routeNames(props)), props, false);
        requireBackoffOrder(getLong(RETRY_BACKOFF_INITIAL_MS_CONFIG), getLong(RETRY_BACKOFF_MAX_MS_CONFIG));
        List<Route> parsed = new ArrayList<>();
        for (String name : getList(ROUTES_CONFIG)) {
            parsed.add(new Route(name, severities(getList(routeSeverityConfig(name))),
                    LabelMatcher.parseAll(getString(routeMatchersConfig(name))),
                    getList(routeChannelsConfig(name)), getBoolean(routeExclusiveConfig(name))));
        }
        this.routes = List.copyOf(parsed);
    }

    /** The keys without any route's: what {@code Connector.config()} lists. */
    public static ConfigDef configDef() {
        return configDef(List.of());
    }

    /** Every key, with the four keys of each route in {@code routeNames}. */
    static ConfigDef configDef(List<String> routeNames) {
        ConfigDef def = new ConfigDef()
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.LambdaValidator.with((name, value) -> requireNonEmpty(name, value,
                                "At least one schema registry URL is required."), () -> "non-empty list of URLs"),
                        Importance.HIGH, SCHEMA_REGISTRY_URL_DOC, GROUP_DELIVERY, 1, ConfigDef.Width.LONG,
                        "Schema registry URL")
                .define(GROUP_WAIT_MS_CONFIG, Type.LONG, GROUP_WAIT_MS_DEFAULT, ConfigDef.Range.atLeast(0),
                        Importance.MEDIUM, GROUP_WAIT_MS_DOC, GROUP_DELIVERY, 2, ConfigDef.Width.SHORT,
                        "Grouping window (ms)")
                .define(RETRY_BACKOFF_INITIAL_MS_CONFIG, Type.LONG, RETRY_BACKOFF_INITIAL_MS_DEFAULT,
                        ConfigDef.Range.atLeast(1), Importance.LOW, RETRY_BACKOFF_INITIAL_MS_DOC, GROUP_DELIVERY, 3,
                        ConfigDef.Width.SHORT, "First retry backoff (ms)")
                .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MAX_MS_DEFAULT,
                        ConfigDef.Range.atLeast(1), Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC, GROUP_DELIVERY, 4,
                        ConfigDef.Width.SHORT, "Longest retry backoff (ms)")
                .define(RETRY_TIMEOUT_MS_CONFIG, Type.LONG, RETRY_TIMEOUT_MS_DEFAULT, ConfigDef.Range.atLeast(0),
                        Importance.MEDIUM, RETRY_TIMEOUT_MS_DOC, GROUP_DELIVERY, 5, ConfigDef.Width.SHORT,
                        "Retry time-out (ms)")
                .define(ROUTES_CONFIG, Type.LIST, "", ConfigDef.LambdaValidator.with(
                                NotificationSinkConfig::requireValidRouteNames, () -> "names of [A-Za-z0-9_-]"),
                        Importance.MEDIUM, ROUTES_DOC, GROUP_ROUTES, 1, ConfigDef.Width.LONG, "Routes")
                .define(DEDUP_TOPIC_CONFIG, Type.STRING, DEDUP_TOPIC_DEFAULT, new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, DEDUP_TOPIC_DOC, GROUP_DEDUP, 1, ConfigDef.Width.MEDIUM,
                        "De-duplication topic")
                .define(DEDUP_BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.LambdaValidator.with((name, value) -> requireNonEmpty(name, value,
                                "The brokers holding the de-duplication topic are required."),
                                () -> "non-empty list of host:port"),
                        Importance.HIGH, DEDUP_BOOTSTRAP_SERVERS_DOC, GROUP_DEDUP, 2, ConfigDef.Width.LONG,
                        "De-duplication brokers")
                .define(DEDUP_RETENTION_MS_CONFIG, Type.LONG, DEDUP_RETENTION_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                        Importance.LOW, DEDUP_RETENTION_MS_DOC, GROUP_DEDUP, 3, ConfigDef.Width.SHORT,
                        "De-duplication retention (ms)")
                .define(DEDUP_REPLICATION_FACTOR_CONFIG, Type.SHORT, DEDUP_REPLICATION_FACTOR_DEFAULT,
                        ConfigDef.LambdaValidator.with((name, value) -> {
                            short factor = (Short) value;
                            if (factor != -1 && factor < 1) {
                                throw new ConfigException(name, value, "A replication factor is -1 (broker default)"
                                        + " or at least 1.");
                            }
                        }, () -> "-1 or at least 1"),
                        Importance.LOW, DEDUP_REPLICATION_FACTOR_DOC, GROUP_DEDUP, 4, ConfigDef.Width.SHORT,
                        "De-duplication topic replication factor");
        int order = 2;
        for (String name : routeNames) {
            String group = "Route " + name;
            def.define(routeSeverityConfig(name), Type.LIST, "", ConfigDef.LambdaValidator.with(
                            NotificationSinkConfig::requireValidSeverities, () -> "critical, warning, info"),
                    Importance.MEDIUM, "Severities the route matches; every severity when empty.",
                    group, order++, ConfigDef.Width.SHORT, name + " severities")
                .define(routeMatchersConfig(name), Type.STRING, "", ConfigDef.LambdaValidator.with(
                            NotificationSinkConfig::requireValidMatchers, () -> "label matchers"),
                    Importance.MEDIUM, "Prometheus-style label matchers that must all hold, comma-separated:"
                            + " node=~\"gpu-.*\", gpu!=\"0\". Every alert passes when empty.",
                    group, order++, ConfigDef.Width.LONG, name + " matchers")
                .define(routeChannelsConfig(name), Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.LambdaValidator.with((key, value) -> requireNonEmpty(key, value,
                            "Route '" + name + "' names no channel."), () -> "non-empty list of channel names"),
                    Importance.HIGH, "Channels the matching alerts go to: slack, teams, email, webhook, sms.",
                    group, order++, ConfigDef.Width.MEDIUM, name + " channels")
                .define(routeExclusiveConfig(name), Type.BOOLEAN, false, Importance.MEDIUM,
                    "When true, matching alerts go only to the channels of the exclusive routes they match, not to"
                            + " those their rule named.",
                    group, order++, ConfigDef.Width.SHORT, name + " exclusive");
        }
        return Channels.define(def);
    }

    public static String routeSeverityConfig(String route) {
        return ROUTE_PREFIX + route + ROUTE_SEVERITY_SUFFIX;
    }

    public static String routeMatchersConfig(String route) {
        return ROUTE_PREFIX + route + ROUTE_MATCHERS_SUFFIX;
    }

    public static String routeChannelsConfig(String route) {
        return ROUTE_PREFIX + route + ROUTE_CHANNELS_SUFFIX;
    }

    public static String routeExclusiveConfig(String route) {
        return ROUTE_PREFIX + route + ROUTE_EXCLUSIVE_SUFFIX;
    }

    /**
     * The route names in {@code props}, read before the full definition exists (it depends on them).
     *
     * @throws ConfigException naming {@value #ROUTES_CONFIG} for a name that is not [A-Za-z0-9_-]+ or is repeated
     */
    @SuppressWarnings("unchecked")
    static List<String> routeNames(Map<String, ?> props) {
        Object raw = props.get(ROUTES_CONFIG);
        List<String> names = raw == null ? List.of()
                : (List<String>) ConfigDef.parseType(ROUTES_CONFIG, raw, Type.LIST);
        requireValidRouteNames(ROUTES_CONFIG, names);
        return names;
    }

    /** @throws ConfigException naming both keys if the longest backoff is shorter than the first */
    static void requireBackoffOrder(long initialMs, long maxMs) {
        if (maxMs < initialMs) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS_CONFIG, maxMs, "The longest retry backoff must not be"
                    + " shorter than the first (" + RETRY_BACKOFF_INITIAL_MS_CONFIG + "=" + initialMs + ").");
        }
    }

    /** Null is left to ConfigDef, which reports a missing required key itself. */
    private static void requireNonEmpty(String key, Object value, String message) {
        if (value != null && ((List<?>) value).stream().allMatch(item -> item.toString().isBlank())) {
            throw new ConfigException(key, value, message);
        }
    }

    private static void requireValidRouteNames(String key, Object value) {
        Set<String> seen = new LinkedHashSet<>();
        for (Object name : (List<?>) value) {
            String text = name.toString();
            if (!ROUTE_NAME.matcher(text).matches()) {
                throw new ConfigException(key, value, "Route name '" + text + "' may only contain letters, digits,"
                        + " '_' and '-'.");
            }
            if (!seen.add(text)) {
                throw new ConfigException(key, value, "Route '" + text + "' is named twice.");
            }
        }
    }

    private static void requireValidSeverities(String key, Object value) {
        for (Object severity : (List<?>) value) {
            try {
                Severity.valueOf(severity.toString().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, value, "'" + severity + "' is not a severity; use critical, warning or"
                        + " info.");
            }
        }
    }

    private static void requireValidMatchers(String key, Object value) {
        try {
            LabelMatcher.parseAll((String) value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage());
        }
    }

    private static Set<Severity> severities(List<String> names) {
        Set<Severity> severities = EnumSet.noneOf(Severity.class);
        names.forEach(name -> severities.add(Severity.valueOf(name.strip().toUpperCase(Locale.ROOT))));
        return severities;
    }

    public List<Route> routes() {
        return routes;
    }

    public long groupWaitMs() {
        return getLong(GROUP_WAIT_MS_CONFIG);
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(getLong(RETRY_BACKOFF_INITIAL_MS_CONFIG), getLong(RETRY_BACKOFF_MAX_MS_CONFIG),
                getLong(RETRY_TIMEOUT_MS_CONFIG));
    }

    public String dedupTopic() {
        return getString(DEDUP_TOPIC_CONFIG);
    }

    public long dedupRetentionMs() {
        return getLong(DEDUP_RETENTION_MS_CONFIG);
    }

    public short dedupReplicationFactor() {
        return getShort(DEDUP_REPLICATION_FACTOR_CONFIG);
    }

    /** Settings of the de-duplication topic's clients: the brokers and every {@code dedup.client.*} key. */
    public Map<String, Object> dedupClientConfig() {
        Map<String, Object> config = new HashMap<>(originalsWithPrefix(DEDUP_CLIENT_PREFIX));
        config.put("bootstrap.servers", String.join(",", getList(DEDUP_BOOTSTRAP_SERVERS_CONFIG)));
        return config;
    }

    /** The settings the record decoder is configured with: every original key (the serde ignores the others). */
    public Map<String, Object> serdeConfig() {
        return new HashMap<>(originals());
    }
}
