package com.aima.metrics.connect;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * What the project's sink connectors share: the plugin version, {@code start} that checks {@code value.converter} and
 * parses the configuration before keeping it, {@code taskConfigs} that hands every task the same configuration, and
 * the {@code value.converter} check itself (their tasks decode the wire format, see {@link WireFormatRecords}).
 */
public abstract class ConfiguredSinkConnector extends SinkConnector {

    /** The plugin's version: the jar's Implementation-Version, or "dev" when run from classes. */
    public static final String VERSION = versionOf(ConfiguredSinkConnector.class);

    protected static final String VALUE_CONVERTER_CONFIG = "value.converter";

    private final String sinkName;
    private Map<String, String> props;

    /** @param sinkName how messages name the sink, e.g. {@code "InfluxDB sink"} */
    protected ConfiguredSinkConnector(String sinkName) {
        this.sinkName = sinkName;
    }

    @Override
    public String version() {
        return VERSION;
    }

    /** @throws ConfigException naming the key that is missing or wrong */
    @Override
    public void start(Map<String, String> props) {
        requireByteArrayConverter(props.get(VALUE_CONVERTER_CONFIG));
        parse(props);
        this.props = Map.copyOf(props);
    }

    /**
     * Parses the connector's configuration, as its task will.
     *
     * @throws ConfigException naming the key that is missing or wrong
     */
    protected abstract void parse(Map<String, String> props);

    /** The configuration {@link #start} kept. */
    protected Map<String, String> props() {
        return props;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
    }

    /**
     * Runs a check of two keys that depend on one another, once each is valid on its own, and puts its message on
     * both, so that a user sees it next to either key.
     */
    protected static void reportOnBoth(ConfigValue first, ConfigValue second, Runnable check) {
        if (!first.errorMessages().isEmpty() || !second.errorMessages().isEmpty()) {
            return;
        }
        try {
            check.run();
        } catch (ConfigException e) {
            first.addErrorMessage(e.getMessage());
            second.addErrorMessage(e.getMessage());
        }
    }

    /** Adds a {@code value.converter} entry with its error to {@code result} when it is not ByteArrayConverter. */
    protected void validateConverter(Map<String, String> connectorConfigs, List<ConfigValue> result) {
        try {
            requireByteArrayConverter(connectorConfigs.get(VALUE_CONVERTER_CONFIG));
        } catch (ConfigException e) {
            ConfigValue converter = new ConfigValue(VALUE_CONVERTER_CONFIG);
            converter.value(connectorConfigs.get(VALUE_CONVERTER_CONFIG));
            converter.addErrorMessage(e.getMessage());
            result.add(converter);
        }
    }

    /** The task decodes the wire format itself: a converter other than ByteArrayConverter would break every record. */
    private void requireByteArrayConverter(String converter) {
        if (converter != null && !converter.strip().equals(WireFormatRecords.BYTE_ARRAY_CONVERTER)) {
            throw new ConfigException(VALUE_CONVERTER_CONFIG, converter, "The " + sinkName + " decodes the Avro wire"
                    + " format itself; set " + VALUE_CONVERTER_CONFIG + "=" + WireFormatRecords.BYTE_ARRAY_CONVERTER
                    + ".");
        }
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
