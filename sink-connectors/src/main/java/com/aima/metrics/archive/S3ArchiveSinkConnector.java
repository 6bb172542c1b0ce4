package com.aima.metrics.archive;

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
 * Kafka Connect sink that archives the pipeline's Avro topics (raw metrics, rollups, costs, alerts, jobs) to S3 or an
 * S3-compatible store as Avro, JSON Lines or CSV files, exactly once per record (see {@link S3ArchiveSinkTask}).
 * Configure it with the topics and {@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter};
 * the keys are those of {@link S3ArchiveSinkConfig}. Runs up to {@code tasks.max} tasks: partitions are archived
 * independently.
 */
public class S3ArchiveSinkConnector extends SinkConnector {

    /** The plugin's version: the jar's Implementation-Version, or "dev" when run from classes. */
    public static final String VERSION = versionOf(S3ArchiveSinkConnector.class);

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
        new S3ArchiveSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3ArchiveSinkTask.class;
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
        return S3ArchiveSinkConfig.configDef();
    }

    /**
     * Validates every key, and those that depend on one another: the two credentials keys, {@code s3.sse.kms.key.id}
     * against {@code s3.sse}, and {@code value.converter}.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Map<String, ConfigValue> values = S3ArchiveSinkConfig.configDef().validateAll(connectorConfigs);
        ConfigValue id = values.get(S3ArchiveSinkConfig.S3_ACCESS_KEY_ID_CONFIG);
        ConfigValue secret = values.get(S3ArchiveSinkConfig.S3_SECRET_ACCESS_KEY_CONFIG);
        reportOnBoth(id, secret, () -> S3ArchiveSinkConfig.requireCredentialsPair((Password) id.value(),
                (Password) secret.value()));
        ConfigValue sse = values.get(S3ArchiveSinkConfig.S3_SSE_CONFIG);
        ConfigValue kms = values.get(S3ArchiveSinkConfig.S3_SSE_KMS_KEY_ID_CONFIG);
        reportOnBoth(sse, kms, () -> S3ArchiveSinkConfig.requireKmsKeyOnlyWithKms((String) sse.value(),
                (String) kms.value()));
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

    /** Runs a check of two keys, once each is valid on its own, and puts its message on both. */
    private static void reportOnBoth(ConfigValue first, ConfigValue second, Runnable check) {
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

    /** The task decodes the wire format itself: a converter other than ByteArrayConverter would break every record. */
    private static void requireByteArrayConverter(String converter) {
        if (converter != null && !converter.strip().equals(ArchiveDecoder.BYTE_ARRAY_CONVERTER)) {
            throw new ConfigException(VALUE_CONVERTER_CONFIG, converter, "The S3 archive sink decodes the Avro wire"
                    + " format itself; set " + VALUE_CONVERTER_CONFIG + "=" + ArchiveDecoder.BYTE_ARRAY_CONVERTER
                    + ".");
        }
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
