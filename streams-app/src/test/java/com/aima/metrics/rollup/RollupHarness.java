package com.aima.metrics.rollup;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import com.aima.metrics.serde.SpecificAvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The production rollup topology in a {@link TopologyTestDriver} with an in-memory registry, and test inputs. */
final class RollupHarness implements AutoCloseable {

    final String scope = "rollup-" + UUID.randomUUID();
    final Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
            AvroSerdeConfig.MOCK_URL_PREFIX + scope);
    final TopologyTestDriver driver;
    final RollupConfig config;
    private final TestInputTopic<String, byte[]> raw;
    private final SpecificAvroSerializer<MetricEvent> events = new SpecificAvroSerializer<>();
    private final Map<Tier, TestOutputTopic<String, MetricRollup>> rollups = new HashMap<>();
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final TestOutputTopic<byte[], byte[]> late;

    RollupHarness(Map<String, Object> rollupSettings, Instant wallClock, Path stateDir) {
        this(rollupSettings, wallClock, stateDir, null);
    }

    /** With {@code topologySerdeConfig}, the topology talks to that registry while the test writes with the mock. */
    RollupHarness(Map<String, Object> rollupSettings, Instant wallClock, Path stateDir,
                  Map<String, Object> topologySerdeConfig) {
        config = new RollupConfig(rollupSettings);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rollup-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RollupTopology.build(config,
                topologySerdeConfig == null ? serdeConfig : topologySerdeConfig), props, wallClock);
        events.configure(serdeConfig, false);
        raw = driver.createInputTopic(Topics.METRICS_RAW, new StringSerializer(), new ByteArraySerializer());
        SpecificAvroDeserializer<MetricRollup> rollupReader = new SpecificAvroDeserializer<>(MetricRollup.class);
        rollupReader.configure(serdeConfig, false);
        for (Tier tier : Tier.values()) {
            rollups.put(tier, driver.createOutputTopic(tier.topic(), new StringDeserializer(), rollupReader));
        }
        deadLetters = driver.createOutputTopic(Topics.METRICS_DLQ, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        late = driver.createOutputTopic(Topics.METRICS_LATE, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static MetricEvent event(String name, Map<String, String> labels, Instant time, double value) {
        return MetricEvent.newBuilder().setName(name).setValue(value).setUnit("percent").setEventTime(time)
                .setLabels(labels)
                .setSource(Source.newBuilder().setHost("node-1").setCollectorId("c1").setKind(SourceKind.GPU).build())
                .build();
    }

    void send(MetricEvent event) {
        raw.pipeInput(SeriesKey.of(event.getName(), event.getLabels()),
                events.serialize(Topics.METRICS_RAW, event), event.getEventTime());
    }

    /** {@code event} in a record whose timestamp is {@code recordTime} instead of its event time. */
    void sendAt(MetricEvent event, Instant recordTime) {
        raw.pipeInput(SeriesKey.of(event.getName(), event.getLabels()),
                events.serialize(Topics.METRICS_RAW, event), recordTime);
    }

    void sendBytes(byte[] value) {
        raw.pipeInput("garbage", value);
    }

    byte[] serialize(MetricEvent event) {
        return events.serialize(Topics.METRICS_RAW, event);
    }

    List<MetricRollup> rollups(Tier tier) {
        return rollups.get(tier).readValuesToList();
    }

    List<TestRecord<String, MetricRollup>> rollupRecords(Tier tier) {
        return rollups.get(tier).readRecordsToList();
    }

    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
