package com.aima.metrics.collector.config;

import com.aima.metrics.Durations;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link CollectorConfig} from YAML and the environment. An environment variable
 * {@code AIMA_COLLECTOR_<KEY>} overrides a key: nesting levels are separated by a double underscore and a single
 * underscore stands for the key's dash, so {@code AIMA_COLLECTOR_KAFKA__BOOTSTRAP_SERVERS} sets
 * {@code kafka.bootstrap-servers}. Under {@code intervals} and {@code labels.allow} a single underscore stays (metric
 * names are snake_case: {@code AIMA_COLLECTOR_INTERVALS__GPU_TEMPERATURE_CELSIUS=60s}); under {@code kafka.properties}
 * it stands for a dot
 * ({@code AIMA_COLLECTOR_KAFKA__PROPERTIES__SECURITY_PROTOCOL=SSL}). List values are comma-separated. Durations are
 * written {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT10S}). Unknown keys are errors,
 * except a variable whose first level is no key at all (Kubernetes sets {@code AIMA_COLLECTOR_PORT} and the like for a
 * Service named aima-collector): it is ignored with a warning.
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "AIMA_COLLECTOR_";
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    /** The top-level keys, kebab-case: the components of {@link CollectorConfig}. */
    private static final Set<String> TOP_LEVEL_KEYS = Arrays.stream(CollectorConfig.class.getRecordComponents())
            .map(component -> PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(component.getName()))
            .collect(Collectors.toUnmodifiableSet());

    private ConfigLoader() {
    }

    /** Reads {@code file} (null: defaults only) with the process's environment on top. */
    public static CollectorConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Reads {@code file} (null: defaults only) with {@code environment}'s {@value #ENV_PREFIX} variables on top.
     *
     * @throws IllegalArgumentException naming the key and value that are wrong, or the file that cannot be read
     */
    public static CollectorConfig load(Path file, Map<String, String> environment) {
        ObjectMapper yaml = mapper();
        ObjectNode tree;
        try {
            JsonNode read = file == null ? null : yaml.readTree(Files.readString(file));
            if (read != null && !read.isMissingNode() && !read.isNull() && !read.isObject()) {
                throw new IllegalArgumentException(file + ": the configuration must be a YAML mapping of keys.");
            }
            tree = read == null || !read.isObject() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) read;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the configuration file " + file + ": " + e, e);
        }
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            if (!variable.getKey().startsWith(ENV_PREFIX)) {
                continue;
            }
            String topKey = key("", variable.getKey().substring(ENV_PREFIX.length()).split("__")[0]);
            if (TOP_LEVEL_KEYS.contains(topKey)) {
                override(tree, variable.getKey(), variable.getValue());
            } else {
                // for example AIMA_COLLECTOR_PORT or AIMA_COLLECTOR_SERVICE_HOST, which Kubernetes sets for a
                // Service named aima-collector: not ours, so not an error
                log.warn("Ignoring the environment variable {}: '{}' is not a configuration key.", variable.getKey(),
                        topKey);
            }
        }
        try {
            return yaml.treeToValue(tree, CollectorConfig.class);
        } catch (JsonMappingException e) {
            String cause = e.getCause() instanceof IllegalArgumentException ? e.getCause().getMessage()
                    : e.getOriginalMessage();
            throw new IllegalArgumentException("Configuration key '" + path(e) + "': " + cause, e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid configuration: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d} or an ISO-8601 duration. */
    public static Duration duration(String text) {
        return Durations.parse(text);
    }

    /** {@code text} as a constant of {@code type}, case-insensitive, dashes for underscores. */
    static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + ".");
    }

    private static void override(ObjectNode tree, String variable, String value) {
        String[] segments = variable.substring(ENV_PREFIX.length()).split("__");
        ObjectNode parent = tree;
        String parentKey = "";
        for (int i = 0; i < segments.length; i++) {
            String key = key(parentKey, segments[i]);
            if (i == segments.length - 1) {
                JsonNode existing = parent.get(key);
                if (existing instanceof ArrayNode || isListKey(parentKey, key)) {
                    ArrayNode list = parent.putArray(key);
                    Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(list::add);
                } else {
                    parent.set(key, TextNode.valueOf(value));
                }
            } else {
                JsonNode child = parent.get(key);
                if (!(child instanceof ObjectNode)) {
                    child = parent.putObject(key);
                }
                parent = (ObjectNode) child;
                parentKey = parentKey.isEmpty() ? key : parentKey + "." + key;
            }
        }
    }

    private static String key(String parentPath, String segment) {
        String lower = segment.toLowerCase(Locale.ROOT);
        if (parentPath.equals("intervals") || parentPath.equals("labels.allow")) {
            return lower; // metric names are snake_case
        }
        if (parentPath.equals("kafka.properties")) {
            return lower.replace('_', '.');
        }
        return lower.replace('_', '-');
    }

    private static boolean isListKey(String parentPath, String key) {
        return parentPath.equals("labels") && (key.equals("default-allow") || key.equals("personal"))
                || parentPath.equals("labels.allow");
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ObjectMapper mapper() {
        SimpleModule types = new SimpleModule("aima-config");
        types.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return duration(parser.getValueAsString());
            }
        });
        types.addDeserializer(DataSize.class, new JsonDeserializer<>() {
            @Override
            public DataSize deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return DataSize.parse(parser.getValueAsString());
            }
        });
        types.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return Path.of(parser.getValueAsString());
            }
        });
        return new ObjectMapper(new YAMLFactory())
                .registerModule(types)
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }
}
