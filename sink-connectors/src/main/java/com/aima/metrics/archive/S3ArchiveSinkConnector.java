package com.aima.metrics.archive;

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
 * Kafka Connect sink that archives the pipeline's Avro topics (raw metrics, rollups, costs, alerts, jobs) to S3 or an
 * S3-compatible store as Avro, JSON Lines or CSV files, exactly once per record (see {@link S3ArchiveSinkTask}).
 * Configure it with the topics and {@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter};
 * the keys are those of {@link S3ArchiveSinkConfig}. Runs up to {@code tasks.max} tasks: partitions are archived
 * independently.
 */
public class S3ArchiveSinkConnector extends ConfiguredSinkConnector {

    public S3ArchiveSinkConnector() {
        super("S3 archive sink");
    }

    @Override
    protected void parse(Map<String, String> props) {
        new S3ArchiveSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3ArchiveSinkTask.class;
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
        validateConverter(connectorConfigs, result);
        return new Config(result);
    }
}
