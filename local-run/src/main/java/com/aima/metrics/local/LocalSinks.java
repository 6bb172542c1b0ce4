package com.aima.metrics.local;

import com.aima.metrics.Topics;
import com.aima.metrics.archive.S3ArchiveSinkConfig;
import com.aima.metrics.archive.S3ArchiveSinkConnector;
import com.aima.metrics.devstack.EmbeddedConnect;
import com.aima.metrics.influx.InfluxSinkConfig;
import com.aima.metrics.influx.InfluxSinkConnector;
import com.aima.metrics.notify.AlertNotificationSinkConnector;
import com.aima.metrics.notify.ChannelConfig;
import com.aima.metrics.notify.NotificationSinkConfig;
import com.aima.metrics.serde.AvroSerdeConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations of the local run's Kafka Connect sinks: InfluxDB, the S3 archive and the alert webhook. Each
 * reads the pipeline's Avro as bytes, decodes it against the local registry and sends a record it cannot use to its
 * own dead-letter topic, so that one bad record never stops a sink.
 */
final class LocalSinks {

    static final String INFLUXDB = "aima-influxdb";
    static final String ARCHIVE = "aima-archive";
    static final String NOTIFICATIONS = "aima-alert-notifications";
    /** The bucket the archive writes to, on the local S3 server or the one of {@code --archive-s3-endpoint}. */
    static final String ARCHIVE_BUCKET_DEFAULT = "aima-archive";

    /** What InfluxDB holds: raw metrics, every rollup tier, costs and alerts (the dashboards read all of them). */
    static final List<String> INFLUXDB_TOPICS = List.of(Topics.METRICS_RAW, Topics.ROLLUPS_HOUR, Topics.ROLLUPS_DAY,
            Topics.ROLLUPS_MONTH, Topics.ROLLUPS_YEAR, Topics.COSTS, Topics.ALERTS);
    /**
     * What the archive keeps: every topic of Avro records. The dead-letter and late topics are left out: what they
     * hold may not be Avro at all.
     */
    static final List<String> ARCHIVE_TOPICS = List.of(Topics.METRICS_RAW, Topics.JOBS, Topics.COSTS, Topics.ALERTS,
            Topics.AUDIT, Topics.ROLLUPS_HOUR, Topics.ROLLUPS_DAY, Topics.ROLLUPS_MONTH, Topics.ROLLUPS_YEAR);

    private LocalSinks() {
    }

    /** The InfluxDB sink into {@code url} (1.x API; 2.x through a DBRP mapping), creating database and policies. */
    static Map<String, String> influxdb(String url, String user, String password, String registryUrl) {
        Map<String, String> config = base(InfluxSinkConnector.class.getName(), INFLUXDB_TOPICS, registryUrl,
                "aima.influxdb.dlq");
        config.put(InfluxSinkConfig.URL_CONFIG, url);
        if (user != null) {
            config.put(InfluxSinkConfig.USERNAME_CONFIG, user);
        }
        if (password != null) {
            config.put(InfluxSinkConfig.PASSWORD_CONFIG, password);
        }
        return config;
    }

    /**
     * The S3 archive into {@code bucket} at {@code endpoint} (path-style, as MinIO and the local server need). Files
     * are also closed {@code flushInterval} after they were opened by the wall clock, so that a quiet topic such as the
     * alerts reaches the archive too; the price is that a replay may cut files elsewhere (docs/s3-archive-sink.md).
     *
     * @param accessKey null (with {@code secretKey}) for the AWS SDK's default credentials chain
     */
    static Map<String, String> archive(URI endpoint, String region, String bucket, String accessKey,
                                       String secretKey, String format, Duration flushInterval, String registryUrl) {
        Map<String, String> config = base(S3ArchiveSinkConnector.class.getName(), ARCHIVE_TOPICS, registryUrl,
                "aima.archive.dlq");
        config.put(S3ArchiveSinkConfig.S3_ENDPOINT_CONFIG, endpoint.toString());
        config.put(S3ArchiveSinkConfig.S3_PATH_STYLE_ACCESS_CONFIG, "true");
        config.put(S3ArchiveSinkConfig.S3_REGION_CONFIG, region);
        config.put(S3ArchiveSinkConfig.S3_BUCKET_NAME_CONFIG, bucket);
        if (accessKey != null) {
            config.put(S3ArchiveSinkConfig.S3_ACCESS_KEY_ID_CONFIG, accessKey);
            config.put(S3ArchiveSinkConfig.S3_SECRET_ACCESS_KEY_CONFIG, secretKey);
        }
        config.put(S3ArchiveSinkConfig.FORMAT_CONFIG, format);
        config.put(S3ArchiveSinkConfig.COMPRESSION_CONFIG, "gzip");
        config.put(S3ArchiveSinkConfig.ROTATE_SCHEDULE_INTERVAL_MS_CONFIG, String.valueOf(flushInterval.toMillis()));
        return config;
    }

    /**
     * The notification sink delivering every alert to {@code webhookUrl} only: one route that matches every alert and
     * is exclusive, so the rules' other channels (not configured here) are not tried.
     */
    static Map<String, String> notifications(URI webhookUrl, String webhookSecret, String bootstrapServers,
                                             String registryUrl) {
        Map<String, String> config = base(AlertNotificationSinkConnector.class.getName(), List.of(Topics.ALERTS),
                registryUrl, Topics.ALERTS + ".dlq");
        config.put(NotificationSinkConfig.DEDUP_BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(NotificationSinkConfig.DEDUP_REPLICATION_FACTOR_CONFIG, "1");
        config.put(NotificationSinkConfig.GROUP_WAIT_MS_CONFIG, "2000");
        config.put(NotificationSinkConfig.ROUTES_CONFIG, "local");
        config.put(NotificationSinkConfig.ROUTE_PREFIX + "local" + NotificationSinkConfig.ROUTE_CHANNELS_SUFFIX,
                "webhook");
        config.put(NotificationSinkConfig.ROUTE_PREFIX + "local" + NotificationSinkConfig.ROUTE_EXCLUSIVE_SUFFIX,
                "true");
        config.put(ChannelConfig.WEBHOOK_URL_CONFIG, webhookUrl.toString());
        config.put(ChannelConfig.WEBHOOK_SECRET_CONFIG, webhookSecret);
        return config;
    }

    /** One task, bytes in, the registry to decode with, and a dead-letter topic with the reason in its headers. */
    private static Map<String, String> base(String connectorClass, List<String> topics, String registryUrl,
                                            String deadLetterTopic) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", connectorClass);
        config.put("tasks.max", "1");
        config.put("topics", String.join(",", topics));
        config.put("key.converter", EmbeddedConnect.BYTE_ARRAY_CONVERTER);
        config.put("value.converter", EmbeddedConnect.BYTE_ARRAY_CONVERTER);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", deadLetterTopic);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }
}
