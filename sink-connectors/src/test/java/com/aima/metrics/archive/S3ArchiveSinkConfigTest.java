package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.connect.WireFormatRecords;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class S3ArchiveSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put(S3ArchiveSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://registry:8081");
        props.put(S3ArchiveSinkConfig.S3_BUCKET_NAME_CONFIG, "archive");
        return props;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> props = minimal();
        props.put(key, value);
        return props;
    }

    @Test
    void defaults() {
        S3ArchiveSinkConfig config = new S3ArchiveSinkConfig(minimal());

        assertThat(config.bucket()).isEqualTo("archive");
        assertThat(config.prefix()).isEqualTo("aima");
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.endpoint()).isNull();
        assertThat(config.pathStyleAccess()).isFalse();
        assertThat(config.accessKeyId()).isNull();
        assertThat(config.secretAccessKey()).isNull();
        assertThat(config.sse()).isEqualTo("none");
        assertThat(config.partSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(config.format()).isEqualTo(ArchiveFormat.AVRO);
        assertThat(config.compression()).isEqualTo(Compression.NONE);
        assertThat(config.rotationPolicy()).isEqualTo(new RotationPolicy(10_000, 16 * 1024 * 1024, 0, 0));
        assertThat(config.retryBackoffMs()).isEqualTo(1_000);
    }

    @Test
    void formatAndCompressionIgnoreCase() {
        Map<String, String> props = with(S3ArchiveSinkConfig.FORMAT_CONFIG, "JSONL");
        props.put(S3ArchiveSinkConfig.COMPRESSION_CONFIG, "GZip");
        S3ArchiveSinkConfig config = new S3ArchiveSinkConfig(props);

        assertThat(config.format()).isEqualTo(ArchiveFormat.JSONL);
        assertThat(config.compression()).isEqualTo(Compression.GZIP);
    }

    @Test
    void theBucketIsRequired() {
        Map<String, String> props = minimal();
        props.remove(S3ArchiveSinkConfig.S3_BUCKET_NAME_CONFIG);

        assertThatThrownBy(() -> new S3ArchiveSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3.bucket.name");
    }

    @Test
    void errorsNameTheKeyAndTheValue() {
        assertRefused(S3ArchiveSinkConfig.S3_PART_SIZE_CONFIG, "1048576", "5242880");
        assertRefused(S3ArchiveSinkConfig.FORMAT_CONFIG, "parquet", "JSONL");
        assertRefused(S3ArchiveSinkConfig.COMPRESSION_CONFIG, "zstd", "GZIP");
        assertRefused(S3ArchiveSinkConfig.S3_SSE_CONFIG, "aes", "AES256");
        assertRefused(S3ArchiveSinkConfig.S3_PREFIX_CONFIG, "/aima", "leading or trailing '/'");
        assertRefused(S3ArchiveSinkConfig.S3_ENDPOINT_CONFIG, "minio:9000", "http://");
        assertRefused(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "0", "at least 1");
        assertRefused(S3ArchiveSinkConfig.ROTATE_INTERVAL_MS_CONFIG, "-1", "at least 0");
    }

    @Test
    void credentialsComeInPairs() {
        assertThatThrownBy(() -> new S3ArchiveSinkConfig(with(S3ArchiveSinkConfig.S3_ACCESS_KEY_ID_CONFIG, "AKIA")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3.secret.access.key").hasMessageContaining("together")
                .hasMessageNotContaining("AKIA");
        Map<String, String> both = with(S3ArchiveSinkConfig.S3_ACCESS_KEY_ID_CONFIG, "AKIA");
        both.put(S3ArchiveSinkConfig.S3_SECRET_ACCESS_KEY_CONFIG, "secret");
        S3ArchiveSinkConfig config = new S3ArchiveSinkConfig(both);
        assertThat(config.accessKeyId()).isEqualTo("AKIA");
        assertThat(config.secretAccessKey()).isEqualTo("secret");
        assertThat(config.toString()).doesNotContain("secret").doesNotContain("AKIA");
    }

    @Test
    void aKmsKeyNeedsKmsEncryption() {
        assertThatThrownBy(() -> new S3ArchiveSinkConfig(with(S3ArchiveSinkConfig.S3_SSE_KMS_KEY_ID_CONFIG, "k1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3.sse.kms.key.id").hasMessageContaining("s3.sse=aws:kms");
        Map<String, String> kms = with(S3ArchiveSinkConfig.S3_SSE_KMS_KEY_ID_CONFIG, "k1");
        kms.put(S3ArchiveSinkConfig.S3_SSE_CONFIG, "aws:kms");
        assertThat(new S3ArchiveSinkConfig(kms).sseKmsKeyId()).isEqualTo("k1");
    }

    @Test
    void theConnectorReportsEveryProblemOnItsKeys() {
        Map<String, String> props = with(S3ArchiveSinkConfig.S3_SECRET_ACCESS_KEY_CONFIG, "secret");
        props.put(S3ArchiveSinkConfig.S3_SSE_KMS_KEY_ID_CONFIG, "k1");
        props.put(S3ArchiveSinkConfig.S3_PART_SIZE_CONFIG, "100");
        props.put("value.converter", "io.confluent.connect.avro.AvroConverter");
        props.remove(S3ArchiveSinkConfig.S3_BUCKET_NAME_CONFIG);

        Map<String, List<String>> errors = new S3ArchiveSinkConnector().validate(props).configValues().stream()
                .filter(value -> !value.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));

        assertThat(errors).containsOnlyKeys("s3.bucket.name", "s3.part.size", "s3.access.key.id",
                "s3.secret.access.key", "s3.sse", "s3.sse.kms.key.id", "value.converter");
        assertThat(errors.get("value.converter")).singleElement().asString().contains("ByteArrayConverter");
    }

    @Test
    void theConnectorStartsOneConfigurationPerTask() {
        S3ArchiveSinkConnector connector = new S3ArchiveSinkConnector();
        Map<String, String> props = with("value.converter", WireFormatRecords.BYTE_ARRAY_CONVERTER);
        connector.start(props);

        assertThat(connector.taskConfigs(3)).hasSize(3).allSatisfy(config -> assertThat(config).isEqualTo(props));
        assertThat(connector.taskClass()).isEqualTo(S3ArchiveSinkTask.class);
        assertThatThrownBy(() -> connector.start(with("value.converter", "org.apache.kafka.connect.json.JsonConverter")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("value.converter");
    }

    private static void assertRefused(String key, String value, String hint) {
        assertThatThrownBy(() -> new S3ArchiveSinkConfig(with(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key).hasMessageContaining(value).hasMessageContaining(hint);
    }
}
