package com.aima.metrics.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.connect.WireFormatRecords;
import com.aima.metrics.influx.InfluxSchema.RetentionPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class InfluxSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("influxdb.url", "http://influxdb:8086");
        props.put("schema.registry.url", "http://registry:8080/apis/ccompat/v7");
        return props;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> props = minimal();
        props.put(key, value);
        return props;
    }

    /** The assertion on the ConfigException that {@link #minimal} with {@code key=value} is refused with. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String key, String value) {
        return assertThatThrownBy(() -> new InfluxSinkConfig(with(key, value))).isInstanceOf(ConfigException.class);
    }

    @Test
    void defaults() {
        InfluxSinkConfig config = new InfluxSinkConfig(minimal());

        assertThat(config.url()).isEqualTo("http://influxdb:8086");
        assertThat(config.username()).isNull();
        assertThat(config.password()).isNull();
        assertThat(config.database()).isEqualTo("aima");
        assertThat(config.createDatabase()).isTrue();
        assertThat(config.batchSize()).isEqualTo(5000);
        assertThat(config.timeoutMs()).isEqualTo(10_000);
        assertThat(config.retryBackoffMs()).isEqualTo(5_000);
        assertThat(config.gzip()).isFalse();
        assertThat(config.retentions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                RetentionPolicy.RAW, "24h", RetentionPolicy.ROLLUP_1H, "7d", RetentionPolicy.ROLLUP_1D, "30d",
                RetentionPolicy.ROLLUP_1MO, "52w", RetentionPolicy.ROLLUP_1Y, "INF", RetentionPolicy.COSTS, "366d",
                RetentionPolicy.ALERTS, "30d"));
        assertThat(config.serdeConfig()).containsEntry("schema.registry.url", "http://registry:8080/apis/ccompat/v7");
    }

    @Test
    void everyKeyIsRead() {
        Map<String, String> props = minimal();
        props.put("influxdb.username", "writer");
        props.put("influxdb.password", "secret");
        props.put("influxdb.database", "metrics");
        props.put("influxdb.create.database", "false");
        props.put("influxdb.batch.size", "100");
        props.put("influxdb.timeout.ms", "2000");
        props.put("influxdb.retry.backoff.ms", "250");
        props.put("influxdb.gzip", "true");
        props.put("influxdb.retention.raw", "48h");
        props.put("influxdb.retention.rollup_1y", "520w");

        InfluxSinkConfig config = new InfluxSinkConfig(props);

        assertThat(List.of(config.username(), config.password(), config.database()))
                .containsExactly("writer", "secret", "metrics");
        assertThat(config.createDatabase()).isFalse();
        assertThat(config.batchSize()).isEqualTo(100);
        assertThat(config.timeoutMs()).isEqualTo(2000);
        assertThat(config.retryBackoffMs()).isEqualTo(250);
        assertThat(config.gzip()).isTrue();
        assertThat(config.retentions()).containsEntry(RetentionPolicy.RAW, "48h")
                .containsEntry(RetentionPolicy.ROLLUP_1Y, "520w");
        assertThat(InfluxSinkConfig.retentionConfig(RetentionPolicy.ROLLUP_1MO)).isEqualTo("influxdb.retention.rollup_1mo");
    }

    @Test
    void theUrlIsRequiredAndMustBeHttpWithAHost() {
        Map<String, String> props = minimal();
        props.remove("influxdb.url");
        assertThatThrownBy(() -> new InfluxSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("influxdb.url");
        refused("influxdb.url", "ftp://influxdb:8086")
                .hasMessage("Invalid value ftp://influxdb:8086 for configuration influxdb.url: An InfluxDB URL is"
                        + " http:// or https:// with a host, for example http://influxdb:8086.");
        refused("influxdb.url", "http://in flux").hasMessageStartingWith("Invalid value http://in flux for"
                + " configuration influxdb.url: Not a URL:");
    }

    @Test
    void retentionsMustBeInfluxDurationsOfAtLeastAnHour() {
        refused("influxdb.retention.raw", "30m").hasMessage("Invalid value 30m for configuration"
                + " influxdb.retention.raw: Retention '30m' is shorter than InfluxDB's minimum of 1h; use INF"
                + " to keep data forever.");
        refused("influxdb.retention.costs", "a year").hasMessage("Invalid value a year for configuration"
                + " influxdb.retention.costs: 'a year' is not an InfluxQL duration such as 24h, 7d, 52w or INF.");
        refused("influxdb.retention.alerts", "0s").hasMessageContaining("influxdb.retention.alerts")
                .hasMessageContaining("use INF");
    }

    @Test
    void numbersOutOfRangeNameTheirKey() {
        refused("influxdb.batch.size", "0").hasMessageContaining("influxdb.batch.size").hasMessageContaining("0");
        refused("influxdb.timeout.ms", "0").hasMessageContaining("influxdb.timeout.ms");
        refused("influxdb.retry.backoff.ms", "-1").hasMessageContaining("influxdb.retry.backoff.ms");
        refused("influxdb.database", "").hasMessageContaining("influxdb.database");
    }

    @Test
    void userAndPasswordComeTogether() {
        refused("influxdb.username", "writer").hasMessage("Invalid value [hidden] for configuration"
                + " influxdb.password: Set both influxdb.username and influxdb.password, or neither.");
        refused("influxdb.password", "secret").hasMessage("Invalid value null for configuration"
                + " influxdb.username: Set both influxdb.username and influxdb.password, or neither.");
    }

    @Test
    void theConnectorReportsEachProblemOnItsKey() {
        Map<String, String> props = minimal();
        props.put("influxdb.url", "influxdb:8086");
        props.put("influxdb.username", "writer");
        props.put("influxdb.retention.rollup_1h", "7 days");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");

        Map<String, List<String>> errors = new InfluxSinkConnector().validate(props).configValues().stream()
                .filter(value -> !value.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));

        assertThat(errors).containsOnlyKeys("influxdb.url", "influxdb.username", "influxdb.password",
                "influxdb.retention.rollup_1h", "value.converter");
        assertThat(errors.get("value.converter")).singleElement().asString()
                .contains("value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
        assertThat(new InfluxSinkConnector().config().names()).contains("influxdb.url", "influxdb.username",
                "influxdb.password", "influxdb.database", "influxdb.create.database", "influxdb.batch.size",
                "influxdb.timeout.ms", "influxdb.retry.backoff.ms", "influxdb.gzip", "influxdb.retention.raw",
                "influxdb.retention.rollup_1h", "influxdb.retention.rollup_1d", "influxdb.retention.rollup_1mo",
                "influxdb.retention.rollup_1y", "influxdb.retention.costs", "influxdb.retention.alerts",
                "schema.registry.url", "basic.auth.user.info");
    }

    @Test
    void theConnectorGivesEveryTaskTheSameSettings() {
        Map<String, String> props = with("value.converter", WireFormatRecords.BYTE_ARRAY_CONVERTER);
        InfluxSinkConnector connector = new InfluxSinkConnector();
        connector.start(props);

        assertThat(connector.taskConfigs(3)).hasSize(3).allSatisfy(task -> assertThat(task).isEqualTo(props));
        assertThat(connector.taskClass()).isEqualTo(InfluxSinkTask.class);
    }

    @Test
    void durationsParseLikeInfluxDB() {
        assertThat(InfluxDurations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(InfluxDurations.parse("52w")).isEqualTo(Duration.ofDays(364));
        assertThat(InfluxDurations.parse("8736h0m0s")).isEqualTo(Duration.ofDays(364));
        assertThat(InfluxDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(InfluxDurations.parse("INF")).isEqualTo(Duration.ZERO);
        assertThat(InfluxDurations.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(InfluxDurations.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    }
}
