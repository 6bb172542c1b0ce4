package com.aima.metrics.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka Connect sink that sends the alerts of {@code aima.alerts} ({@code AlertEvent}, Confluent wire-format Avro) to
 * Slack, MS Teams, e-mail, webhooks and SMS, grouped per channel, retried with backoff, never twice (see
 * {@link AlertNotificationSinkTask}). Configure it with {@code topics=aima.alerts} and
 * {@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter}; the keys are those of
 * {@link NotificationSinkConfig}.
 *
 * <p>Runs one task whatever {@code tasks.max} says: alerts are few (a handful a minute at worst), and a channel's
 * grouping window must see every alert routed to it, which two tasks reading different partitions would split.
 */
public class AlertNotificationSinkConnector extends SinkConnector {

    /** The plugin's version: the jar's Implementation-Version, or "dev" when run from classes. */
    public static final String VERSION = versionOf(AlertNotificationSinkConnector.class);

    private static final String VALUE_CONVERTER_CONFIG = "value.converter";

    private Map<String, String> props;

    @Override
    public String version() {
        return VERSION;
    }

    /** @throws ConfigException naming the key that is missing or wrong */
    @Override
    public void start(Map<String, String> props) {
        requireByteArrayConverter(props.get(VALUE_CONVERTER_CONFIG));
        new NotificationSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return AlertNotificationSinkTask.class;
    }

    /** One task; see the class comment. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return NotificationSinkConfig.configDef();
    }

    /**
     * Validates every key, including those of each route named in {@code routes}, and the keys that depend on one
     * another: {@code retry.backoff.max.ms} against {@code retry.backoff.initial.ms}, and {@code value.converter}.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        List<String> routeNames;
        try {
            routeNames = NotificationSinkConfig.routeNames(connectorConfigs);
        } catch (ConfigException e) {
            routeNames = List.of(); // the routes key's own validator reports it
        }
        Map<String, ConfigValue> values = NotificationSinkConfig.configDef(routeNames).validateAll(connectorConfigs);
        ConfigValue initial = values.get(NotificationSinkConfig.RETRY_BACKOFF_INITIAL_MS_CONFIG);
        ConfigValue max = values.get(NotificationSinkConfig.RETRY_BACKOFF_MAX_MS_CONFIG);
        if (initial.value() instanceof Long initialMs && max.value() instanceof Long maxMs) {
            try {
                NotificationSinkConfig.requireBackoffOrder(initialMs, maxMs);
            } catch (ConfigException e) {
                initial.addErrorMessage(e.getMessage());
                max.addErrorMessage(e.getMessage());
            }
        }
        List<ConfigValue> result = new ArrayList<>(values.values());
        try {
            requireByteArrayConverter(connectorConfigs.get(VALUE_CONVERTER_CONFIG));
        } catch (ConfigException e) {
            ConfigValue converter = new ConfigValue(VALUE_CONVERTER_CONFIG);
            converter.value(connectorConfigs.get(VALUE_CONVERTER_CONFIG));
            converter.addErrorMessage(e.getMessage());
            result.add(converter);
        }
        return new Config(result);
    }

    /** The task decodes the wire format itself: a converter other than ByteArrayConverter would break every record. */
    private static void requireByteArrayConverter(String converter) {
        if (converter != null && !converter.strip().equals(AlertDecoder.BYTE_ARRAY_CONVERTER)) {
            throw new ConfigException(VALUE_CONVERTER_CONFIG, converter, "The alert notification sink decodes the"
                    + " Avro wire format itself; set " + VALUE_CONVERTER_CONFIG + "="
                    + AlertDecoder.BYTE_ARRAY_CONVERTER + ".");
        }
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
