package com.aima.metrics.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.collector.config.CollectorConfig.GpuSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsWithoutAFile() {
        CollectorConfig config = ConfigLoader.load(null, Map.of());

        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.gpu().source()).isEqualTo(GpuSource.AUTO);
        assertThat(config.http().port()).isEqualTo(4318);
        assertThat(config.spool().maxBytes().bytes()).isEqualTo(256L << 20);
        assertThat(config.node()).isNotBlank();
        assertThat(config.collectorId()).isEqualTo(config.node());
        assertThat(config.labels().personal()).contains("user_id");
    }

    @Test
    void readsYamlAndEnvironmentOverridesIt() throws Exception {
        Path file = write("""
                node: gpu-node-7
                kafka:
                  bootstrap-servers: kafka-1:9092,kafka-2:9092
                  properties:
                    security.protocol: SSL
                gpu:
                  source: nvml-or-simulator
                  simulated-gpus: 8
                spool:
                  max-bytes: 64MiB
                intervals:
                  gpu_temperature_celsius: 1m
                labels:
                  personal: [user_id]
                """);

        CollectorConfig config = ConfigLoader.load(file, Map.of(
                "AIMA_COLLECTOR_KAFKA__BOOTSTRAP_SERVERS", "broker:9093",
                "AIMA_COLLECTOR_KAFKA__PROPERTIES__SASL_MECHANISM", "PLAIN",
                "AIMA_COLLECTOR_INTERVALS__GPU_POWER_WATTS", "15s",
                "AIMA_COLLECTOR_LABELS__PERSONAL", "user_id, email",
                "AIMA_COLLECTOR_HTTP__PORT", "9464",
                "UNRELATED", "x"));

        assertThat(config.node()).isEqualTo("gpu-node-7");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker:9093");
        assertThat(config.kafka().properties())
                .containsEntry("security.protocol", "SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(config.gpu().source()).isEqualTo(GpuSource.NVML_OR_SIMULATOR);
        assertThat(config.gpu().simulatedGpus()).isEqualTo(8);
        assertThat(config.spool().maxBytes().bytes()).isEqualTo(64L << 20);
        assertThat(config.intervals()).containsEntry("gpu_temperature_celsius", Duration.ofMinutes(1))
                .containsEntry("gpu_power_watts", Duration.ofSeconds(15));
        assertThat(config.labels().personal()).isEqualTo(List.of("user_id", "email"));
        assertThat(config.http().port()).isEqualTo(9464);
    }

    @Test
    void errorsNameTheKeyAndTheValue() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write("gpu:\n  source: cuda\n"), Map.of()))
                .hasMessageContaining("gpu.source").hasMessageContaining("'cuda'").hasMessageContaining("simulator");
        assertThatThrownBy(() -> ConfigLoader.load(write("intervals:\n  gpu_power_watts: often\n"), Map.of()))
                .hasMessageContaining("intervals.gpu_power_watts").hasMessageContaining("'often'");
        assertThatThrownBy(() -> ConfigLoader.load(write("spool:\n  max-bytes: 12 parsecs\n"), Map.of()))
                .hasMessageContaining("spool.max-bytes").hasMessageContaining("'12 parsecs'");
        assertThatThrownBy(() -> ConfigLoader.load(write("kafka:\n  bootstrap: x\n"), Map.of()))
                .hasMessageContaining("kafka.bootstrap");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("AIMA_COLLECTOR_HTTP__PORT", "eighty")))
                .hasMessageContaining("http.port");
        assertThatThrownBy(() -> ConfigLoader.load(write("node: [unclosed\n"), Map.of()))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of()))
                .hasMessageContaining("missing.yaml");
    }

    @Test
    void theShippedExampleIsValid() {
        Path example = Path.of("collector.example.yaml");
        CollectorConfig config = ConfigLoader.load(example, Map.of());

        assertThat(config.gpu().source()).isEqualTo(GpuSource.AUTO);
        assertThat(config.intervals()).isEmpty();
    }

    @Test
    void kubernetesServiceLinkVariablesAreIgnoredAndAllowlistsKeepMetricNames() {
        CollectorConfig config = ConfigLoader.load(null, Map.of(
                "AIMA_COLLECTOR_PORT", "tcp://10.0.0.7:4318",
                "AIMA_COLLECTOR_SERVICE_HOST", "10.0.0.7",
                "AIMA_COLLECTOR_PORT_4318_TCP_ADDR", "10.0.0.7",
                "AIMA_COLLECTOR_LABELS__ALLOW__JOB_INFERENCE_TIME_MS", "job_id,model"));

        assertThat(config.http().port()).isEqualTo(4318);
        assertThat(config.labels().allow()).containsEntry("job_inference_time_ms", List.of("job_id", "model"));
    }

    @Test
    void durationsAndSizes() {
        assertThat(ConfigLoader.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigLoader.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigLoader.duration("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DataSize.parse("1GiB").bytes()).isEqualTo(1L << 30);
        assertThat(DataSize.parse("10MB").bytes()).isEqualTo(10_000_000L);
        assertThat(DataSize.parse("4096").bytes()).isEqualTo(4096L);
    }

    private Path write(String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "collector", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
