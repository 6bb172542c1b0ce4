package com.aima.metrics.influx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

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
public class InfluxSinkConnector extends SinkConnector {

    /** The plugin's version: the jar's Implementation-Version, or "dev" when run from classes. */
    public static final String VERSION = versionOf(InfluxSinkConnector.class);

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
        new InfluxSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return InfluxSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
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
        try {
            InfluxSinkConfig.requireCredentialsPair((String) username.value(), (Password) password.value());
        } catch (ConfigException | ClassCastException e) {
            username.addErrorMessage(e.getMessage());
            password.addErrorMessage(e.getMessage());
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
        if (converter != null && !converter.strip().equals(RecordDecoder.BYTE_ARRAY_CONVERTER)) {
            throw new ConfigException(VALUE_CONVERTER_CONFIG, converter, "The InfluxDB sink decodes the Avro wire"
                    + " format itself; set " + VALUE_CONVERTER_CONFIG + "=" + RecordDecoder.BYTE_ARRAY_CONVERTER + ".");
        }
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
