package com.aima.metrics.notify;

import com.aima.metrics.connect.ConfiguredSinkConnector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;

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
public class AlertNotificationSinkConnector extends ConfiguredSinkConnector {

    public AlertNotificationSinkConnector() {
        super("alert notification sink");
    }

    @Override
    protected void parse(Map<String, String> props) {
        new NotificationSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return AlertNotificationSinkTask.class;
    }

    /** One task; see the class comment. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props());
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
        reportOnBoth(initial, max, () -> NotificationSinkConfig.requireBackoffOrder((Long) initial.value(),
                (Long) max.value()));
        List<ConfigValue> result = new ArrayList<>(values.values());
        validateConverter(connectorConfigs, result);
        return new Config(result);
    }
}
