package com.aima.metrics.archive;

import com.aima.metrics.serde.AvroSerdeConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the S3 archive sink, shared by {@link S3ArchiveSinkConnector} and {@link S3ArchiveSinkTask}: where the
 * objects go (bucket, prefix, endpoint, credentials, encryption), how files are written ({@link ArchiveFormat},
 * {@link Compression}) and when a file is closed ({@link RotationPolicy}). Sizes are bytes, times milliseconds.
 */
public final class S3ArchiveSinkConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG;
    private static final String SCHEMA_REGISTRY_URL_DOC = "Schema registry with the Confluent REST API that the"
            + " records' schema ids refer to. The other schema.registry.* and basic.auth.* keys of the project's Avro"
            + " serde apply too.";

    public static final String S3_BUCKET_NAME_CONFIG = "s3.bucket.name";
    private static final String S3_BUCKET_NAME_DOC = "Bucket the objects are written to; it must exist.";

    public static final String S3_PREFIX_CONFIG = "s3.prefix";
    public static final String S3_PREFIX_DEFAULT = "aima";
    private static final String S3_PREFIX_DOC = "First part of every object key, without a leading or trailing '/';"
            + " empty puts the topic first.";

    public static final String S3_REGION_CONFIG = "s3.region";
    public static final String S3_REGION_DEFAULT = "us-east-1";
    private static final String S3_REGION_DOC = "Region the requests are signed for.";

    public static final String S3_ENDPOINT_CONFIG = "s3.endpoint";
    private static final String S3_ENDPOINT_DOC = "URL of an S3-compatible server (MinIO, s3proxy, Ceph), for example"
            + " http://minio:9000. Empty: AWS's endpoint for the region.";

    public static final String S3_PATH_STYLE_ACCESS_CONFIG = "s3.path.style.access";
    private static final String S3_PATH_STYLE_ACCESS_DOC = "Address the bucket in the path (http://host/bucket/key)"
            + " instead of the host name; most S3-compatible servers need true.";

    public static final String S3_ACCESS_KEY_ID_CONFIG = "s3.access.key.id";
    public static final String S3_SECRET_ACCESS_KEY_CONFIG = "s3.secret.access.key";
    private static final String S3_CREDENTIALS_DOC = "Static credentials, set together; both are passwords to Connect"
            + " (hidden in logs and the REST API). When both are unset the AWS"
            + " SDK's default chain is used (environment, system properties, profile, container or instance role).";

    public static final String S3_SSE_CONFIG = "s3.sse";
    public static final String S3_SSE_DEFAULT = "none";
    private static final String S3_SSE_DOC = "Server-side encryption of every object: none, AES256 (S3-managed keys) or"
            + " aws:kms.";

    public static final String S3_SSE_KMS_KEY_ID_CONFIG = "s3.sse.kms.key.id";
    private static final String S3_SSE_KMS_KEY_ID_DOC = "KMS key (id or ARN) for s3.sse=aws:kms; empty uses the"
            + " account's AWS-managed key.";

    public static final String S3_PART_SIZE_CONFIG = "s3.part.size";
    public static final int S3_PART_SIZE_DEFAULT = 8 * 1024 * 1024;
    public static final int S3_PART_SIZE_MIN = 5 * 1024 * 1024;
    private static final String S3_PART_SIZE_DOC = "A file larger than this is uploaded in parts of this size"
            + " (multipart upload); a smaller one in one request. At least 5 MiB, S3's smallest part.";

    public static final String S3_RETRY_BACKOFF_MS_CONFIG = "s3.retry.backoff.ms";
    public static final long S3_RETRY_BACKOFF_MS_DEFAULT = 1_000;
    private static final String S3_RETRY_BACKOFF_MS_DOC = "Wait before the task retries after S3 or the schema"
            + " registry failed in a way that may pass (5xx, throttling, no connection, time-out).";

    public static final String FORMAT_CONFIG = "format";
    public static final String FORMAT_DEFAULT = "avro";
    private static final String FORMAT_DOC = "File format: avro (Avro container file with the writer schema), jsonl"
            + " (one JSON object per line) or csv (a header row, then one row per record).";

    public static final String COMPRESSION_CONFIG = "compression";
    public static final String COMPRESSION_DEFAULT = "none";
    private static final String COMPRESSION_DOC = "none or gzip. For avro, gzip selects Avro's deflate codec inside the"
            + " file (the extension stays .avro); for jsonl and csv it gzips the whole file (.jsonl.gz, .csv.gz).";

    public static final String FLUSH_SIZE_CONFIG = "flush.size";
    public static final int FLUSH_SIZE_DEFAULT = 10_000;
    private static final String FLUSH_SIZE_DOC = "A file is closed and uploaded once it holds this many records.";

    public static final String ROTATE_SIZE_BYTES_CONFIG = "rotate.size.bytes";
    public static final int ROTATE_SIZE_BYTES_DEFAULT = 16 * 1024 * 1024;
    private static final String ROTATE_SIZE_BYTES_DOC = "A file is closed once its encoded size reaches this many"
            + " bytes. Files are buffered in memory: this bounds the memory of each open file.";

    public static final String ROTATE_INTERVAL_MS_CONFIG = "rotate.interval.ms";
    public static final long ROTATE_INTERVAL_MS_DEFAULT = 0;
    private static final String ROTATE_INTERVAL_MS_DOC = "A file spans less than this much record time: a record that"
            + " would widen the span between its file's earliest and latest record time to this or more starts a new"
            + " file. 0: no limit besides the hour partition, which always starts a new file.";

    public static final String ROTATE_SCHEDULE_INTERVAL_MS_CONFIG = "rotate.schedule.interval.ms";
    public static final long ROTATE_SCHEDULE_INTERVAL_MS_DEFAULT = 0;
    private static final String ROTATE_SCHEDULE_INTERVAL_MS_DOC = "A file open this long by the wall clock is closed"
            + " and uploaded, so that quiet topics are archived without waiting for more records. Breaks exact"
            + " reproducibility: a replay may cut files elsewhere and write other keys. 0: off.";

    private static final String GROUP_S3 = "S3";
    private static final String GROUP_FILES = "Files";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.LambdaValidator.with(
                            (name, value) -> {
                                if (value != null && ((List<?>) value).isEmpty()) {
                                    throw new ConfigException(name, value, "At least one schema registry URL is"
                                            + " required.");
                                }
                            }, () -> "non-empty list of URLs"),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC, GROUP_FILES, 0, Width.LONG, "Schema registry URL")
            .define(S3_BUCKET_NAME_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, S3_BUCKET_NAME_DOC, GROUP_S3, 1, Width.MEDIUM, "Bucket")
            .define(S3_PREFIX_CONFIG, Type.STRING, S3_PREFIX_DEFAULT, ConfigDef.LambdaValidator.with(
                            (name, value) -> ObjectKeys.requireValidPrefix(name, (String) value),
                            () -> "no leading or trailing '/'"),
                    Importance.MEDIUM, S3_PREFIX_DOC, GROUP_S3, 2, Width.MEDIUM, "Key prefix")
            .define(S3_REGION_CONFIG, Type.STRING, S3_REGION_DEFAULT, new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, S3_REGION_DOC, GROUP_S3, 3, Width.SHORT, "Region")
            .define(S3_ENDPOINT_CONFIG, Type.STRING, "", ConfigDef.LambdaValidator.with(
                            S3ArchiveSinkConfig::requireHttpUrl, () -> "empty or an http(s):// URL"),
                    Importance.MEDIUM, S3_ENDPOINT_DOC, GROUP_S3, 4, Width.LONG, "Endpoint")
            .define(S3_PATH_STYLE_ACCESS_CONFIG, Type.BOOLEAN, false, Importance.LOW, S3_PATH_STYLE_ACCESS_DOC,
                    GROUP_S3, 5, Width.SHORT, "Path-style access")
            .define(S3_ACCESS_KEY_ID_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, S3_CREDENTIALS_DOC, GROUP_S3, 6,
                    Width.MEDIUM, "Access key id")
            .define(S3_SECRET_ACCESS_KEY_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, S3_CREDENTIALS_DOC, GROUP_S3,
                    7, Width.MEDIUM, "Secret access key")
            .define(S3_SSE_CONFIG, Type.STRING, S3_SSE_DEFAULT, ConfigDef.ValidString.in("none", "AES256", "aws:kms"),
                    Importance.LOW, S3_SSE_DOC, GROUP_S3, 8, Width.SHORT, "Server-side encryption")
            .define(S3_SSE_KMS_KEY_ID_CONFIG, Type.STRING, "", Importance.LOW, S3_SSE_KMS_KEY_ID_DOC, GROUP_S3, 9,
                    Width.LONG, "KMS key id")
            .define(S3_PART_SIZE_CONFIG, Type.INT, S3_PART_SIZE_DEFAULT, ConfigDef.Range.atLeast(S3_PART_SIZE_MIN),
                    Importance.LOW, S3_PART_SIZE_DOC, GROUP_S3, 10, Width.SHORT, "Multipart part size (bytes)")
            .define(S3_RETRY_BACKOFF_MS_CONFIG, Type.LONG, S3_RETRY_BACKOFF_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.LOW, S3_RETRY_BACKOFF_MS_DOC, GROUP_S3, 11, Width.SHORT, "Retry backoff (ms)")
            .define(FORMAT_CONFIG, Type.STRING, FORMAT_DEFAULT, ConfigDef.CaseInsensitiveValidString.in("avro",
                            "jsonl", "csv"),
                    Importance.HIGH, FORMAT_DOC, GROUP_FILES, 1, Width.SHORT, "Format")
            .define(COMPRESSION_CONFIG, Type.STRING, COMPRESSION_DEFAULT,
                    ConfigDef.CaseInsensitiveValidString.in("none", "gzip"),
                    Importance.MEDIUM, COMPRESSION_DOC, GROUP_FILES, 2, Width.SHORT, "Compression")
            .define(FLUSH_SIZE_CONFIG, Type.INT, FLUSH_SIZE_DEFAULT, ConfigDef.Range.atLeast(1), Importance.HIGH,
                    FLUSH_SIZE_DOC, GROUP_FILES, 3, Width.SHORT, "Records per file")
            .define(ROTATE_SIZE_BYTES_CONFIG, Type.INT, ROTATE_SIZE_BYTES_DEFAULT, ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, ROTATE_SIZE_BYTES_DOC, GROUP_FILES, 4, Width.SHORT, "Bytes per file")
            .define(ROTATE_INTERVAL_MS_CONFIG, Type.LONG, ROTATE_INTERVAL_MS_DEFAULT, ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM, ROTATE_INTERVAL_MS_DOC, GROUP_FILES, 5, Width.SHORT, "Record time per file (ms)")
            .define(ROTATE_SCHEDULE_INTERVAL_MS_CONFIG, Type.LONG, ROTATE_SCHEDULE_INTERVAL_MS_DEFAULT,
                    ConfigDef.Range.atLeast(0), Importance.LOW, ROTATE_SCHEDULE_INTERVAL_MS_DOC, GROUP_FILES, 6,
                    Width.SHORT, "Wall-clock time per file (ms)");

    /** @throws ConfigException naming the key and value at fault */
    public S3ArchiveSinkConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props, false);
        requireCredentialsPair(getPassword(S3_ACCESS_KEY_ID_CONFIG), getPassword(S3_SECRET_ACCESS_KEY_CONFIG));
        requireKmsKeyOnlyWithKms(getString(S3_SSE_CONFIG), getString(S3_SSE_KMS_KEY_ID_CONFIG));
    }

    /** Every key, for {@code Connector.config()}. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /**
     * @throws ConfigException naming the key that is set while the other is not: credentials come in pairs
     */
    static void requireCredentialsPair(Password accessKeyId, Password secret) {
        boolean hasId = accessKeyId != null && !accessKeyId.value().isBlank();
        boolean hasSecret = secret != null && !secret.value().isBlank();
        if (hasId != hasSecret) {
            throw new ConfigException(hasId ? S3_SECRET_ACCESS_KEY_CONFIG : S3_ACCESS_KEY_ID_CONFIG, "[hidden]",
                    "Set " + S3_ACCESS_KEY_ID_CONFIG + " and " + S3_SECRET_ACCESS_KEY_CONFIG + " together, or unset"
                            + " both to use the AWS SDK's default credentials chain.");
        }
    }

    /** @throws ConfigException naming {@value #S3_SSE_KMS_KEY_ID_CONFIG} when it is set but {@code s3.sse} is not aws:kms */
    static void requireKmsKeyOnlyWithKms(String sse, String kmsKeyId) {
        if (kmsKeyId != null && !kmsKeyId.isBlank() && !"aws:kms".equals(sse)) {
            throw new ConfigException(S3_SSE_KMS_KEY_ID_CONFIG, kmsKeyId, "A KMS key needs " + S3_SSE_CONFIG
                    + "=aws:kms, not '" + sse + "'.");
        }
    }

    private static void requireHttpUrl(String name, Object value) {
        String url = (String) value;
        if (url == null || url.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(name, value, "An S3 endpoint is an http:// or https:// URL with a host.");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(name, value, "Not a URL: " + e.getMessage());
        }
    }

    public String bucket() {
        return getString(S3_BUCKET_NAME_CONFIG);
    }

    public String prefix() {
        return getString(S3_PREFIX_CONFIG);
    }

    public String region() {
        return getString(S3_REGION_CONFIG);
    }

    /** The endpoint URL, or null for AWS's. */
    public URI endpoint() {
        String url = getString(S3_ENDPOINT_CONFIG);
        return url.isEmpty() ? null : URI.create(url);
    }

    public boolean pathStyleAccess() {
        return getBoolean(S3_PATH_STYLE_ACCESS_CONFIG);
    }

    /** The access key id, or null for the SDK's default credentials chain. */
    public String accessKeyId() {
        Password id = getPassword(S3_ACCESS_KEY_ID_CONFIG);
        return id == null || id.value().isBlank() ? null : id.value();
    }

    /** The secret access key, or null with {@link #accessKeyId()}. */
    public String secretAccessKey() {
        Password secret = getPassword(S3_SECRET_ACCESS_KEY_CONFIG);
        return secret == null || secret.value().isBlank() ? null : secret.value();
    }

    /** {@code none}, {@code AES256} or {@code aws:kms}. */
    public String sse() {
        return getString(S3_SSE_CONFIG);
    }

    /** The KMS key, or null for the AWS-managed key. */
    public String sseKmsKeyId() {
        String key = getString(S3_SSE_KMS_KEY_ID_CONFIG);
        return key.isBlank() ? null : key;
    }

    public int partSize() {
        return getInt(S3_PART_SIZE_CONFIG);
    }

    public long retryBackoffMs() {
        return getLong(S3_RETRY_BACKOFF_MS_CONFIG);
    }

    public ArchiveFormat format() {
        return ArchiveFormat.valueOf(getString(FORMAT_CONFIG).toUpperCase(Locale.ROOT));
    }

    public Compression compression() {
        return Compression.valueOf(getString(COMPRESSION_CONFIG).toUpperCase(Locale.ROOT));
    }

    public RotationPolicy rotationPolicy() {
        return new RotationPolicy(getInt(FLUSH_SIZE_CONFIG), getInt(ROTATE_SIZE_BYTES_CONFIG),
                getLong(ROTATE_INTERVAL_MS_CONFIG), getLong(ROTATE_SCHEDULE_INTERVAL_MS_CONFIG));
    }

    /** The settings the record decoder is configured with: every original key (the serde ignores the others). */
    public Map<String, Object> serdeConfig() {
        return new HashMap<>(originals());
    }
}
