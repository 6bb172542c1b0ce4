package com.aima.metrics.influx;

import com.aima.metrics.connect.ConfiguredSinkConnector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect sink that writes raw metrics, every rollup tier, cost records and alerts (Confluent wire-format Avro:
 * {@code MetricEvent}, {@code MetricRollup}, {@code CostRecord}, {@code AlertEvent}) into InfluxDB, one retention
 * policy per tier (see {@link InfluxPoints} and {@link InfluxSchema}, and {@link InfluxSinkTask} for failures).
 * Configure it with {@code topics=aima.metrics.raw,aima.rollups.1h,...} and
 * {@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter}; the keys are those of
 * {@link InfluxSinkConfig}.
 *
 * <p>Runs up to {@code tasks.max} tasks: each partition's records are written independently, and every write is
 * idempotent, so tasks need not coordinate.
 */
public class InfluxSinkConnector extends ConfiguredSinkConnector {

    public InfluxSinkConnector() {
        super("InfluxDB sink");
    }

    @Override
    protected void parse(Map<String, String> props) {
        new InfluxSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return InfluxSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return InfluxSinkConfig.configDef();
    }

    /** Validates every key, and the keys that depend on one another: user and password, and value.converter. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Map<String, ConfigValue> values = InfluxSinkConfig.configDef().validateAll(connectorConfigs);
        ConfigValue username = values.get(InfluxSinkConfig.USERNAME_CONFIG);
        ConfigValue password = values.get(InfluxSinkConfig.PASSWORD_CONFIG);
        reportOnBoth(username, password, () -> InfluxSinkConfig.requireCredentialsPair((String) username.value(),
                (Password) password.value()));
        List<ConfigValue> result = new ArrayList<>(values.values());
        validateConverter(connectorConfigs, result);
        return new Config(result);
    }
}
