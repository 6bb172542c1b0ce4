package com.aima.metrics.notify;

import com.aima.metrics.LabelMatcher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.schema.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** Configuration errors name the key at fault, in the task's configuration and in the connector's validation. */
class NotificationSinkConfigTest {

    @Test
    void defaults() {
        NotificationSinkConfig config = new NotificationSinkConfig(minimal());

        assertThat(config.groupWaitMs()).isEqualTo(30_000);
        assertThat(config.retryPolicy()).isEqualTo(new RetryPolicy(1_000, 60_000, 86_400_000));
        assertThat(config.dedupTopic()).isEqualTo("aima.alerts.notified");
        assertThat(config.dedupRetentionMs()).isEqualTo(7 * 86_400_000L);
        assertThat(config.dedupReplicationFactor()).isEqualTo((short) -1);
        assertThat(config.routes()).isEmpty();
    }

    @Test
    void theDeduplicationClientsGetTheBrokersAndEveryPrefixedSetting() {
        NotificationSinkConfig config = new NotificationSinkConfig(with(Map.of(
                "dedup.bootstrap.servers", "k1:9093, k2:9093",
                "dedup.client.security.protocol", "SSL",
                "dedup.client.ssl.truststore.location", "/etc/kafka/truststore.p12")));

        assertThat(config.dedupClientConfig()).containsOnly(Map.entry("bootstrap.servers", "k1:9093,k2:9093"),
                Map.entry("security.protocol", "SSL"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
    }

    @Test
    void routesAreParsed() {
        NotificationSinkConfig config = new NotificationSinkConfig(with(Map.of(
                "routes", "gpu, oncall",
                "route.gpu.matchers", "node=~\"gpu-.*\", gpu!=\"0\"",
                "route.gpu.channels", "teams",
                "route.oncall.severity", "Critical, warning",
                "route.oncall.channels", "sms,slack",
                "route.oncall.exclusive", "true")));

        assertThat(config.routes()).extracting(Route::name).containsExactly("gpu", "oncall");
        Route gpu = config.routes().get(0);
        assertThat(gpu.matchers()).extracting(LabelMatcher::toString)
                .containsExactly("node=~\"gpu-.*\"", "gpu!=\"0\"");
        assertThat(gpu.severities()).isEmpty();
        assertThat(gpu.exclusive()).isFalse();
        Route oncall = config.routes().get(1);
        assertThat(oncall.severities()).containsExactlyInAnyOrder(Severity.CRITICAL, Severity.WARNING);
        assertThat(oncall.channels()).containsExactly("sms", "slack");
        assertThat(oncall.exclusive()).isTrue();
    }

    @Test
    void aMissingRequiredKeyIsNamed() {
        Map<String, String> props = minimal();
        props.remove(NotificationSinkConfig.SCHEMA_REGISTRY_URL_CONFIG);

        assertThatThrownBy(() -> new NotificationSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void aBadRouteKeyIsNamed() {
        assertError(Map.of("routes", "gpu", "route.gpu.channels", "slack", "route.gpu.severity", "urgent"),
                "route.gpu.severity", "'urgent' is not a severity");
        assertError(Map.of("routes", "gpu", "route.gpu.channels", "slack", "route.gpu.matchers", "node~gpu"),
                "route.gpu.matchers", "'node~gpu' is not a label matcher");
        assertError(Map.of("routes", "gpu", "route.gpu.channels", "slack", "route.gpu.matchers", "node=~\"gpu-(\""),
                "route.gpu.matchers", "not a regular expression");
        assertError(Map.of("routes", "gpu"), "route.gpu.channels", "no default value");
        assertError(Map.of("routes", "gpu", "route.gpu.channels", " "), "route.gpu.channels", "names no channel");
        assertError(Map.of("routes", "gpu", "route.gpu.channels", "slack", "route.gpu.exclusive", "maybe"),
                "route.gpu.exclusive", "true or false");
        assertError(Map.of("routes", "a.b"), "routes", "letters, digits");
        assertError(Map.of("routes", "a,a", "route.a.channels", "slack"), "routes", "named twice");
    }

    @Test
    void badNumbersAreNamed() {
        assertError(Map.of("group.wait.ms", "-1"), "group.wait.ms", "at least 0");
        assertError(Map.of("retry.backoff.initial.ms", "soon"), "retry.backoff.initial.ms", "LONG");
        assertError(Map.of("retry.backoff.initial.ms", "5000", "retry.backoff.max.ms", "1000"),
                "retry.backoff.max.ms", "retry.backoff.initial.ms=5000");
        assertError(Map.of("dedup.topic.replication.factor", "0"), "dedup.topic.replication.factor", "-1");
    }

    @Test
    void theConnectorsValidationReportsEveryKeyAtFault() {
        Map<String, String> props = with(Map.of(
                "routes", "gpu",
                "route.gpu.matchers", "gpu=0",
                "retry.backoff.initial.ms", "5000",
                "retry.backoff.max.ms", "1000",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter"));
        props.remove(NotificationSinkConfig.DEDUP_BOOTSTRAP_SERVERS_CONFIG);

        Map<String, List<String>> errors = new AlertNotificationSinkConnector().validate(props).configValues()
                .stream().filter(value -> !value.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));

        assertThat(errors).containsOnlyKeys("route.gpu.matchers", "route.gpu.channels", "retry.backoff.initial.ms",
                "retry.backoff.max.ms", "dedup.bootstrap.servers", "value.converter");
        assertThat(errors.get("route.gpu.matchers")).singleElement().asString().contains("'gpu=0'");
        assertThat(errors.get("value.converter")).singleElement().asString().contains("ByteArrayConverter");
    }

    @Test
    void theConnectorRefusesAnotherValueConverterAndRunsOneTask() {
        AlertNotificationSinkConnector connector = new AlertNotificationSinkConnector();
        Map<String, String> props = with(Map.of("value.converter", "org.apache.kafka.connect.json.JsonConverter"));
        assertThatThrownBy(() -> connector.start(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.converter");

        Map<String, String> good = with(Map.of("value.converter", AlertDecoder.BYTE_ARRAY_CONVERTER));
        connector.start(good);
        assertThat(connector.taskConfigs(4)).containsExactly(good);
        assertThat(connector.taskClass()).isEqualTo(AlertNotificationSinkTask.class);
        assertThat(connector.config().names()).contains("group.wait.ms", "routes", "dedup.topic",
                "schema.registry.url");
    }

    private static void assertError(Map<String, String> overrides, String key, String text) {
        assertThatThrownBy(() -> new NotificationSinkConfig(with(overrides)))
                .as(overrides.toString()).isInstanceOf(ConfigException.class)
                .hasMessageContaining(key).hasMessageContaining(text);
    }

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put(NotificationSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://registry:8080/apis/ccompat/v7");
        props.put(NotificationSinkConfig.DEDUP_BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
        return props;
    }

    private static Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> props = minimal();
        props.putAll(overrides);
        return props;
    }
}
