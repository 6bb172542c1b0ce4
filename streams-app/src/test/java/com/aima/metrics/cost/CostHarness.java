package com.aima.metrics.cost;

import com.aima.metrics.DeadLetterHeaders;
import com.aima.metrics.SeriesKey;
import com.aima.metrics.Topics;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.serde.TrustedClasses;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The production cost topology in a {@link TopologyTestDriver} with an in-memory registry. Time is driven by the
 * test: every input is piped with the driver's wall clock moved to its event time, and {@link #runUntil} moves the
 * wall clock on in punctuation steps, so that the engine's idle clock closes hours and settles jobs.
 */
final class CostHarness implements AutoCloseable {

    static {
        TrustedClasses.trustSchemaPackage(); // the tests build JobEvents, whose builders resolve enum defaults
    }

    private final String scope = "costs-" + UUID.randomUUID();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> raw;
    private final TestInputTopic<String, byte[]> jobs;
    private final TestOutputTopic<String, CostRecord> costs;
    private final TestOutputTopic<String, MetricEvent> metrics;
    private final TestOutputTopic<String, byte[]> deadLetters;
    private final SpecificAvroSerializer<MetricEvent> events = new SpecificAvroSerializer<>();
    private final SpecificAvroSerializer<JobEvent> jobEvents = new SpecificAvroSerializer<>();
    private final List<CostRecord> costsSeen = new ArrayList<>();
    private Instant wall;

    CostHarness(PriceCatalog catalog, Map<String, Object> settings, Instant start, Path stateDir) {
        Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                AvroSerdeConfig.MOCK_URL_PREFIX + scope);
        Map<String, Object> all = new HashMap<>(Map.of(CostConfig.PUNCTUATE_INTERVAL_CONFIG, "10s"));
        all.putAll(settings);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cost-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", "true");
        wall = start;
        driver = new TopologyTestDriver(CostTopology.build(new CostConfig(all), () -> catalog, serdeConfig), props,
                start);
        events.configure(serdeConfig, false);
        jobEvents.configure(serdeConfig, false);
        raw = driver.createInputTopic(Topics.METRICS_RAW, new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createInputTopic(Topics.JOBS, new StringSerializer(), new ByteArraySerializer());
        SpecificAvroDeserializer<CostRecord> costReader = new SpecificAvroDeserializer<>(CostRecord.class);
        costReader.configure(serdeConfig, false);
        costs = driver.createOutputTopic(Topics.COSTS, new StringDeserializer(), costReader);
        SpecificAvroDeserializer<MetricEvent> metricReader = new SpecificAvroDeserializer<>(MetricEvent.class);
        metricReader.configure(serdeConfig, false);
        metrics = driver.createOutputTopic(Topics.METRICS_RAW, new StringDeserializer(), metricReader);
        deadLetters = driver.createOutputTopic(Topics.JOBS_DLQ, new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** A job event with the fields every test needs; {@code provider} etc. via the builder. */
    static JobEvent.Builder job(String id, JobEventType type, Instant time) {
        return JobEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setJobId(id).setType(type)
                .setEventTime(time).setProject("news").setAnalysisType(AnalysisType.VIDEO);
    }

    /** A STARTED on {@code devices} of {@code provider}'s {@code gpuType} at {@code pricingModel}. */
    static JobEvent started(String id, Instant time, String provider, String gpuType, String pricingModel,
                            String... devices) {
        return job(id, JobEventType.STARTED, time).setProvider(provider).setGpuType(gpuType)
                .setPricingModel(pricingModel).setAssignedDevices(List.of(devices)).build();
    }

    static JobEvent ended(String id, JobEventType type, Instant time) {
        return job(id, type, time).build();
    }

    void send(JobEvent event) {
        moveWallTo(event.getEventTime());
        jobs.pipeInput(event.getJobId(), jobEvents.serialize(Topics.JOBS, event), event.getEventTime());
    }

    /** The event as a producer would write it. */
    byte[] serialize(JobEvent event) {
        return jobEvents.serialize(Topics.JOBS, event);
    }

    void sendBytes(String key, byte[] value) {
        jobs.pipeInput(key, value, wall);
    }

    /** A sample of a device's energy counter (J). */
    void energy(String device, Instant time, double joules) {
        metric(DeviceSample.ENERGY_METRIC, Map.of("gpu_uuid", device, "gpu", "0", "node", "n1"), time, joules,
                "joules");
    }

    /** A sample of one process's SM utilization on a device (%). */
    void processUse(String device, String pid, Instant time, double percent) {
        metric(DeviceSample.PROCESS_SM_METRIC, Map.of("gpu_uuid", device, "gpu", "0", "node", "n1", "pid", pid),
                time, percent, "percent");
    }

    private void metric(String name, Map<String, String> labels, Instant time, double value, String unit) {
        moveWallTo(time);
        MetricEvent event = MetricEvent.newBuilder().setName(name).setValue(value).setUnit(unit).setEventTime(time)
                .setLabels(labels)
                .setSource(Source.newBuilder().setHost("n1").setCollectorId("c1").setKind(SourceKind.GPU).build())
                .build();
        raw.pipeInput(SeriesKey.of(name, labels), events.serialize(Topics.METRICS_RAW, event), time);
    }

    /** Moves the wall clock to {@code until} in 10 s steps, punctuating at each. */
    void runUntil(Instant until) {
        while (wall.isBefore(until)) {
            Instant next = wall.plusSeconds(10).isAfter(until) ? until : wall.plusSeconds(10);
            driver.advanceWallClockTime(Duration.between(wall, next));
            wall = next;
        }
    }

    private void moveWallTo(Instant time) {
        if (time.isAfter(wall)) {
            driver.advanceWallClockTime(Duration.between(wall, time));
            wall = time;
        }
    }

    /** Every cost record written so far. */
    List<CostRecord> costs() {
        costsSeen.addAll(costs.readValuesToList());
        return List.copyOf(costsSeen);
    }

    List<CostRecord> costs(CostKind kind) {
        return costs().stream().filter(record -> record.getKind() == kind).toList();
    }

    /** The one record of {@code kind} for {@code jobId}. */
    CostRecord jobRecord(CostKind kind, String jobId) {
        List<CostRecord> found = costs(kind).stream().filter(record -> jobId.equals(record.getJobId())).toList();
        if (found.size() != 1) {
            throw new AssertionError("Expected one " + kind + " record of job " + jobId + ", found " + found);
        }
        return found.get(0);
    }

    /** One of the stores of {@link CostViews}. */
    ReadOnlyKeyValueStore<String, CostRecord> view(String store) {
        return driver.getKeyValueStore(store);
    }

    /** The budget metrics published since the last call. */
    List<MetricEvent> budgetMetrics() {
        return metrics.readValuesToList().stream().filter(event -> event.getName().equals(Budgets.METRIC)).toList();
    }

    /** The dead-lettered job events' reasons since the last call. */
    List<String> deadLetterReasons() {
        return deadLetters.readRecordsToList().stream().map(TestRecord::headers)
                .map(headers -> DeadLetterHeaders.text(headers, DeadLetterHeaders.REASON)).toList();
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
