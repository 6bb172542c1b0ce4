package com.aima.metrics.deployment;

import com.aima.metrics.alert.AlertConfig;
import com.aima.metrics.api.ApiConfig;
import com.aima.metrics.api.auth.SecurityConfig;
import com.aima.metrics.collector.config.CollectorConfig;
import com.aima.metrics.collector.config.ConfigLoader;
import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.rollup.RollupConfig;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.streams.StreamsApp;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The applications' own definitions of their configuration keys, and checks of a deployment's settings against them.
 * Each check returns the problems it found as sentences (empty: none), so that a test reports them all at once.
 */
final class AppConfigs {

    /** {@code ${env:NAME}}: a value the Connect worker takes from its environment (EnvVarConfigProvider). */
    static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    /** Key prefixes Kafka Streams passes to its clients and topics. */
    private static final List<String> STREAMS_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.TOPIC_PREFIX, StreamsConfig.CLIENT_TAG_PREFIX);
    /** Key prefixes of a connector config that Connect itself reads (per transform, converter, client override). */
    private static final List<String> CONNECTOR_PREFIXES = List.of("transforms.", "predicates.", "key.converter.",
            "value.converter.", "header.converter.", "consumer.override.", "producer.override.", "admin.override.");
    private static final List<String> WORKER_PREFIXES = List.of("config.providers.", "producer.", "consumer.",
            "admin.", "listeners.https.");

    private AppConfigs() {
    }

    /** Every key the streams application reads: Kafka Streams' and its clients', the serde's, its own. */
    static Set<String> streamsAppKeys() {
        Set<String> keys = new TreeSet<>();
        keys.addAll(StreamsConfig.configDef().names());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        keys.addAll(AvroSerdeConfig.configDef().names());
        keys.addAll(RollupConfig.configDef().names());
        keys.addAll(AlertConfig.configDef().names());
        keys.addAll(CostConfig.configDef().names());
        keys.addAll(ApiConfig.configDef().names());
        keys.addAll(stringConstants(StreamsApp.class, value -> value.startsWith("aima.")));
        return keys;
    }

    /**
     * Unknown keys and invalid values of a streams application configuration; {@code hostPath} maps a file the
     * configuration names (the price catalog, alert rules, the API's security file) to where it is in the repository;
     * {@code environment} is the container's (the security file's {@code token_env} variables).
     */
    static List<String> streamsAppProblems(String where, Map<String, String> settings,
                                           Function<String, Path> hostPath, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Set<String> known = streamsAppKeys();
        settings.keySet().stream()
                .filter(key -> !known.contains(key) && STREAMS_PREFIXES.stream().noneMatch(key::startsWith))
                .forEach(key -> problems.add(where + ": '" + key + "' is not a key of the streams application."));
        Map<String, Object> values = new HashMap<>(settings);
        if (settings.containsKey(CostConfig.CATALOG_FILE_CONFIG)) {
            values.put(CostConfig.CATALOG_FILE_CONFIG,
                    hostPath.apply(settings.get(CostConfig.CATALOG_FILE_CONFIG)).toString());
        }
        if (settings.containsKey(AlertConfig.RULES_FILE_CONFIG)) {
            values.put(AlertConfig.RULES_FILE_CONFIG,
                    hostPath.apply(settings.get(AlertConfig.RULES_FILE_CONFIG)).toString());
        }
        attempt(problems, where, () -> new StreamsConfig(StreamsApp.streamsProperties(values)));
        attempt(problems, where, () -> new RollupConfig(values));
        attempt(problems, where, () -> new AlertConfig(values));
        attempt(problems, where, () -> new CostConfig(values).catalog());
        attempt(problems, where, () -> StreamsApp.serdeConfig(values));
        if (settings.containsKey(ApiConfig.PORT_CONFIG)) {
            attempt(problems, where, () -> {
                ApiConfig api = new ApiConfig(values);
                if (String.valueOf(api.port()).equals(settings.get(StreamsApp.HEALTH_PORT_CONFIG))) {
                    problems.add(where + ": " + ApiConfig.PORT_CONFIG + " and " + StreamsApp.HEALTH_PORT_CONFIG
                            + " are both " + api.port() + ".");
                }
                // the security file as the application reads it: with the container's environment for token_env
                SecurityConfig.load(hostPath.apply(settings.get(ApiConfig.SECURITY_FILE_CONFIG)), environment::get);
            });
        }
        return problems;
    }

    /** Problems of a collector YAML file with the environment variables it runs with. */
    static List<String> collectorProblems(String where, Path yaml, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Set<String> topLevel = Arrays.stream(CollectorConfig.class.getRecordComponents())
                .map(component -> PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(component.getName()))
                .collect(Collectors.toSet());
        environment.keySet().stream().filter(name -> name.startsWith(ConfigLoader.ENV_PREFIX)).forEach(name -> {
            String first = name.substring(ConfigLoader.ENV_PREFIX.length()).split("__")[0]
                    .toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            if (!topLevel.contains(first)) {
                problems.add(where + ": " + name + " names no collector key ('" + first + "'; the collector would"
                        + " ignore it).");
            }
        });
        attempt(problems, where, () -> ConfigLoader.load(yaml, environment));
        return problems;
    }

    static CollectorConfig collector(Path yaml, Map<String, String> environment) {
        return ConfigLoader.load(yaml, environment);
    }

    /** Problems of a Connect worker's properties: unknown keys and invalid values. */
    static List<String> workerProblems(String where, Map<String, String> properties) {
        List<String> problems = new ArrayList<>();
        Set<String> known = distributedConfigDef().names();
        properties.keySet().stream()
                .filter(key -> !known.contains(key) && WORKER_PREFIXES.stream().noneMatch(key::startsWith))
                .forEach(key -> problems.add(where + ": '" + key + "' is not a Connect worker key."));
        attempt(problems, where, () -> new DistributedConfig(resolveEnv(properties, Map.of())));
        return problems;
    }

    /**
     * Checks a connector config as the worker would after resolving {@code ${env:NAME}} from {@code environment}:
     * every key is the connector's ({@code config().names()}) or Connect's ({@link SinkConnectorConfig}), every value
     * is valid for both definitions, every referenced variable is set, and the connector class is on the class path.
     */
    static List<String> connectorProblems(String where, Map<String, String> config, Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        config.values().forEach(value -> {
            Matcher matcher = ENV_REFERENCE.matcher(value);
            while (matcher.find()) {
                if (!environment.containsKey(matcher.group(1))) {
                    problems.add(where + ": ${env:" + matcher.group(1) + "} is not set in the worker's environment.");
                }
            }
        });
        Map<String, String> resolved = resolveEnv(config, environment);
        ConfigDef connect = SinkConnectorConfig.configDef();
        attempt(problems, where, () -> SinkConnectorConfig.validate(resolved));
        errors(connect.validateAll(resolved), config.keySet(), where + " (Connect's keys)", problems);
        Connector connector;
        try {
            connector = (Connector) Class.forName(config.get("connector.class")).getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            problems.add(where + ": cannot create " + config.get("connector.class") + ": " + e);
            return problems;
        }
        ConfigDef own = connector.config();
        config.keySet().stream().filter(key -> !own.names().contains(key) && !connect.names().contains(key)
                        && CONNECTOR_PREFIXES.stream().noneMatch(key::startsWith))
                .forEach(key -> problems.add(where + ": '" + key + "' is neither a key of "
                        + connector.getClass().getSimpleName() + " nor of Connect's sink connector config."));
        errors(own.validateAll(resolved), own.names(), where, problems);
        return problems;
    }

    static Map<String, String> resolveEnv(Map<String, String> config, Map<String, String> environment) {
        Map<String, String> resolved = new LinkedHashMap<>();
        config.forEach((key, value) -> resolved.put(key, ENV_REFERENCE.matcher(value).replaceAll(match ->
                Matcher.quoteReplacement(environment.getOrDefault(match.group(1), match.group())))));
        return resolved;
    }

    private static void errors(Map<String, ConfigValue> values, Set<String> keys, String where,
                               List<String> problems) {
        values.forEach((key, value) -> {
            if (keys.contains(key) && !value.errorMessages().isEmpty()) {
                problems.add(where + ": '" + key + "': " + String.join(" ", value.errorMessages()));
            }
        });
    }

    private static void attempt(List<String> problems, String where, ThrowingRunnable check) {
        try {
            check.run();
        } catch (Exception e) {
            problems.add(where + ": " + e.getMessage());
        }
    }

    /** The public static String constants of {@code type} whose value passes {@code filter}. */
    private static Set<String> stringConstants(Class<?> type, java.util.function.Predicate<String> filter) {
        Set<String> values = new TreeSet<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    if (value != null && filter.test(value)) {
                        values.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return values;
    }

    /**
     * The worker's ConfigDef: {@link DistributedConfig} builds it in a private {@code config(Crypto)} and has no public
     * accessor, so it is called reflectively with {@code Crypto.SYSTEM}.
     */
    private static ConfigDef distributedConfigDef() {
        try {
            Class<?> crypto = Class.forName("org.apache.kafka.connect.runtime.distributed.Crypto");
            java.lang.reflect.Method config = DistributedConfig.class.getDeclaredMethod("config", crypto);
            config.setAccessible(true);
            return (ConfigDef) config.invoke(null, crypto.getField("SYSTEM").get(null));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Cannot read DistributedConfig's ConfigDef (changed in this Kafka version?)", e);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
