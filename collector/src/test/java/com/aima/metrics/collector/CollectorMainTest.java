package com.aima.metrics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.Topics;
import com.aima.metrics.collector.config.CollectorConfig;
import com.aima.metrics.collector.config.ConfigLoader;
import com.aima.metrics.collector.publish.PublisherConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorMainTest {

    private final CollectorConfig settings = ConfigLoader.load(null, Map.of(
            "AIMA_COLLECTOR_STATE_DIR", "/var/lib/aima-collector",
            "AIMA_COLLECTOR_KAFKA__BOOTSTRAP_SERVERS", "kafka-1:9093",
            "AIMA_COLLECTOR_KAFKA__SCHEMA_REGISTRY_URL", "https://registry:8081",
            "AIMA_COLLECTOR_KAFKA__PROPERTIES__SECURITY_PROTOCOL", "SSL",
            "AIMA_COLLECTOR_KAFKA__PROPERTIES__BASIC_AUTH_USER_INFO", "collector:s3cr3t",
            "AIMA_COLLECTOR_SPOOL__MAX_BYTES", "64MiB",
            "AIMA_COLLECTOR_SPOOL__SEGMENT_BYTES", "4MiB"));

    @Test
    void theConfigurationBecomesThePublishersSettings() {
        PublisherConfig publisher = CollectorMain.publisherConfig(settings);

        assertThat(publisher.spoolDir()).isEqualTo(Path.of("/var/lib/aima-collector/spool"));
        assertThat(publisher.maxSpoolBytes()).isEqualTo(64L << 20);
        assertThat(publisher.segmentBytes()).isEqualTo(4L << 20);
        assertThat(publisher.metricsTopic()).isEqualTo(Topics.METRICS_RAW);
        assertThat(publisher.jobsTopic()).isEqualTo(Topics.JOBS);
        assertThat(publisher.producerProperties()).containsEntry("bootstrap.servers", "kafka-1:9093")
                .containsEntry("security.protocol", "SSL").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("metric.reporters", "");
        assertThat((Map<String, Object>) publisher.serdeConfig()).containsEntry("schema.registry.url",
                "https://registry:8081").containsEntry("basic.auth.user.info", "collector:s3cr3t");
    }

    @Test
    void printedConfigurationHidesSecrets() {
        assertThat(CollectorMain.masked(settings).toString()).doesNotContain("s3cr3t")
                .contains("basic.auth.user.info=***", "security.protocol=SSL");
    }
}
