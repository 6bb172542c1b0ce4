package com.aima.metrics.alert;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
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
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The production alert topology in a {@link TopologyTestDriver} with an in-memory registry, rules that a test can
 * replace (as a reload would), and test inputs. The driver has no changelog: a restart is a second harness whose
 * store gets the first one's content.
 */
public final class AlertHarness implements AutoCloseable {

    private final String scope = "alerts-" + UUID.randomUUID();
    private final Map<String, Object> serdeConfig;
    private final TopologyTestDriver driver;
    private final AtomicReference<RuleSet> rules;
    private final TestInputTopic<String, byte[]> raw;
    private final TestInputTopic<String, byte[]> jobs;
    private final TestOutputTopic<String, AlertEvent> alerts;
    private final TestOutputTopic<String, MetricEvent> derived;
    private final SpecificAvroSerializer<MetricEvent> events = new SpecificAvroSerializer<>();
    private final SpecificAvroSerializer<JobEvent> jobEvents = new SpecificAvroSerializer<>();

    AlertHarness(List<AlertRule> rules, Map<String, Object> settings, Instant wallClock, Path stateDir) {
        this.serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, AvroSerdeConfig.MOCK_URL_PREFIX + scope);
        this.rules = new AtomicReference<>(new RuleSet(rules));
        Map<String, Object> all = new HashMap<>(Map.of(AlertConfig.PUNCTUATE_INTERVAL_CONFIG, "1s",
                AlertConfig.ERROR_RATE_EMIT_INTERVAL_CONFIG, "10s"));
        all.putAll(settings);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alert-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", "true");
        driver = new TopologyTestDriver(AlertTopology.build(new AlertConfig(all), this.rules::get, serdeConfig), props,
                wallClock);
        events.configure(serdeConfig, false);
        jobEvents.configure(serdeConfig, false);
        raw = driver.createInputTopic(Topics.METRICS_RAW, new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createInputTopic(Topics.JOBS, new StringSerializer(), new ByteArraySerializer());
        SpecificAvroDeserializer<AlertEvent> alertReader = new SpecificAvroDeserializer<>(AlertEvent.class);
        alertReader.configure(serdeConfig, false);
        alerts = driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(), alertReader);
        SpecificAvroDeserializer<MetricEvent> metricReader = new SpecificAvroDeserializer<>(MetricEvent.class);
        metricReader.configure(serdeConfig, false);
        derived = driver.createOutputTopic(Topics.METRICS_RAW, new StringDeserializer(), metricReader);
    }

    public static MetricEvent sample(String name, Map<String, String> labels, Instant time, double value) {
        return MetricEvent.newBuilder().setName(name).setValue(value).setUnit("percent").setEventTime(time)
                .setLabels(labels)
                .setSource(Source.newBuilder().setHost("n1").setCollectorId("c1").setKind(SourceKind.GPU).build())
                .build();
    }

    static JobEvent job(String id, JobEventType type, Instant time) {
        return JobEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setJobId(id).setType(type)
                .setEventTime(time).setProject("p1").setAnalysisType(AnalysisType.VIDEO).build();
    }

    void send(String name, Map<String, String> labels, Instant time, double value) {
        MetricEvent event = sample(name, labels, time, value);
        raw.pipeInput(SeriesKey.of(name, labels), events.serialize(Topics.METRICS_RAW, event), time);
    }

    void sendBytes(byte[] value) {
        raw.pipeInput("garbage", value);
    }

    void send(JobEvent job) {
        jobs.pipeInput(job.getJobId(), jobEvents.serialize(Topics.JOBS, job), job.getEventTime());
    }

    /** The alerts emitted since the last call. */
    List<AlertEvent> alerts() {
        return alerts.readValuesToList();
    }

    /** The error-rate samples the engine published to the raw topic since the last call. */
    List<MetricEvent> derivedSamples() {
        return derived.readValuesToList().stream().filter(e -> e.getName().equals(JobErrorRate.METRIC)).toList();
    }

    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** Every alert instance in the engine's store, as its changelog holds it. */
    Map<String, AlertSeries> storedState() {
        Map<String, AlertSeries> state = new HashMap<>();
        KeyValueStore<String, AlertSeries> store = driver.getKeyValueStore(AlertTopology.ALERT_STORE);
        try (KeyValueIterator<String, AlertSeries> all = store.all()) {
            all.forEachRemaining(entry -> state.put(entry.key, entry.value));
        }
        return state;
    }

    /** Puts {@code state} into the engine's store, as restoring its changelog would. */
    void restoreState(Map<String, AlertSeries> state) {
        KeyValueStore<String, AlertSeries> store = driver.getKeyValueStore(AlertTopology.ALERT_STORE);
        state.forEach(store::put);
    }

    void replaceRules(List<AlertRule> next) {
        rules.set(new RuleSet(next));
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
