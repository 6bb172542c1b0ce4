package com.aima.metrics.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.collector.config.CollectorConfig;
import com.aima.metrics.collector.config.ConfigLoader;
import com.aima.metrics.collector.nvml.FakeNvml;
import com.aima.metrics.collector.publish.KafkaPublisher;
import com.aima.metrics.collector.publish.PublisherConfig;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector as deployed, on a real broker and registry: NVML through the fake driver library with 4 GPUs, real
 * host metrics, an OpenTelemetry SDK client and a job event over HTTP. Intervals are shortened (1 s for the spec's
 * 10 s metrics, 3 s for its 30 s ones) so that the test checks the spacing of samples within seconds.
 */
@RealKafkaAndRegistry
class CollectorIT {

    @TempDir
    Path state;

    @Test
    void publishesGpuHostAndJobMetricsWithTheirLabelsAndIntervals(KafkaBroker kafka, SchemaRegistry registry)
            throws Exception {
        FakeNvml.Control fake = FakeNvml.control();
        fake.fake_nvml_set_device_count(4);
        String metricsTopic = KafkaBroker.uniqueTopic("raw");
        String jobsTopic = KafkaBroker.uniqueTopic("jobs");
        kafka.createTopics(1, metricsTopic, jobsTopic);
        Map<String, String> env = new HashMap<>(Map.of(
                "AIMA_COLLECTOR_NODE", "it-node",
                "AIMA_COLLECTOR_STATE_DIR", state.toString(),
                "AIMA_COLLECTOR_GPU__SOURCE", "nvml",
                "AIMA_COLLECTOR_GPU__LIBRARY", FakeNvml.library().toString(),
                "AIMA_COLLECTOR_HTTP__PORT", "0",
                "AIMA_COLLECTOR_KUBERNETES__ENABLED", "off"));
        for (String fast : List.of("gpu_utilization_percent", "gpu_memory_used_bytes", "gpu_memory_total_bytes",
                "gpu_memory_utilization_percent", "host_cpu_utilization_percent", "host_memory_used_bytes")) {
            env.put("AIMA_COLLECTOR_INTERVALS__" + fast.toUpperCase(), "1s");
        }
        for (String slow : List.of("gpu_temperature_celsius", "gpu_power_watts", "gpu_energy_joules_total")) {
            env.put("AIMA_COLLECTOR_INTERVALS__" + slow.toUpperCase(), "3s");
        }
        CollectorConfig config = ConfigLoader.load(null, env);
        PublisherConfig publisherConfig = PublisherConfig.builder(kafka.bootstrapServers(), registry.serdeConfig(),
                state.resolve("spool")).topics(metricsTopic, jobsTopic, metricsTopic + ".dlq").build();

        Instant started = Instant.now();
        try (KafkaPublisher publisher = new KafkaPublisher(publisherConfig);
             Collector collector = Collector.start(config, publisher)) {
            CollectorMain.registerHealth(collector.prometheus(), publisher);
            assertThat(collector.sourceNames()).containsExactly("gpu", "host");
            String base = "http://127.0.0.1:" + collector.httpPort();
            sendJobMetrics(base);
            HttpResponse<String> job = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                            + "/v1/jobs")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"jobId": "job-42", "type": "STARTED", "eventTime": "2026-03-01T10:00:00Z",
                             "project": "p1", "analysisType": "VIDEO", "submitter": "alice@example.com",
                             "assignedDevices": ["GPU-00000000-0000-0000-0000-000000000002"]}""")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(job.statusCode()).as(job.body()).isEqualTo(200);

            List<ConsumerRecord<String, MetricEvent>> records = new ArrayList<>();
            try (KafkaConsumer<String, MetricEvent> consumer = new KafkaConsumer<>(
                    kafka.consumerConfig(), new StringDeserializer(),
                    SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig()).deserializer())) {
                consumer.subscribe(List.of(metricsTopic));
                Awaitility.await("three temperature samples of every GPU, and the job metrics")
                        .atMost(Duration.ofSeconds(60)).until(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                            return count(records, "gpu_temperature_celsius") >= 12
                                    && count(records, "job_inference_time_ms_count") >= 1
                                    && count(records, "host_cpu_utilization_percent") >= 1;
                        });
            }
            Instant consumed = Instant.now();
            List<MetricEvent> events = records.stream().map(ConsumerRecord::value).toList();

            // the schedule follows the wall clock: one utilization sample per GPU and second since the start, give or
            // take the samples still on their way (publisher linger, consumer poll)
            long seconds = Duration.between(started, consumed).toSeconds();
            List<Instant> gpu0 = events.stream().filter(e -> e.getName().equals("gpu_utilization_percent")
                    && "0".equals(e.getLabels().get("gpu"))).map(MetricEvent::getEventTime).toList();
            assertThat((long) gpu0.size()).as("samples in %d s", seconds).isBetween(seconds - 3, seconds + 1);
            assertThat(gpu0).allSatisfy(time -> assertThat(time).isBetween(started.minusSeconds(1), consumed));

            assertThat(records).allSatisfy(record -> assertThat(record.key())
                    .isEqualTo(SeriesKey.of(record.value().getName(), record.value().getLabels())));
            for (int gpu = 0; gpu < 4; gpu++) {
                String index = String.valueOf(gpu);
                assertThat(spacing(events, "gpu_utilization_percent", index)).as("GPU %d utilization", gpu)
                        .isNotEmpty().containsOnly(Duration.ofSeconds(1));
                assertThat(spacing(events, "gpu_temperature_celsius", index)).as("GPU %d temperature", gpu)
                        .hasSizeGreaterThanOrEqualTo(2).containsOnly(Duration.ofSeconds(3));
            }
            assertThat(events).filteredOn(e -> e.getName().equals("gpu_utilization_percent")).allSatisfy(e -> {
                assertThat(e.getLabels()).containsEntry("node", "it-node")
                        .containsEntry("gpu_model", "NVIDIA H100 80GB HBM3 (fake)")
                        .containsEntry("gpu_uuid", String.format("GPU-00000000-0000-0000-0000-%012d",
                                Integer.parseInt(e.getLabels().get("gpu"))));
                assertThat(e.getValue()).isEqualTo(10.0 * (Integer.parseInt(e.getLabels().get("gpu")) + 1));
                assertThat(e.getSource().getKind()).isEqualTo(SourceKind.GPU);
            });
            assertThat(events).filteredOn(e -> e.getName().equals("host_memory_used_bytes")).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getSource().getKind()).isEqualTo(SourceKind.SYSTEM));
            assertThat(events).filteredOn(e -> e.getName().equals("job_inference_time_ms_count")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.getValue()).isEqualTo(2.0);
                        assertThat(e.getSource().getKind()).isEqualTo(SourceKind.JOB);
                        assertThat(e.getLabels()).containsEntry("job_id", "job-42")
                                .doesNotContainKey("worker_secret")
                                .hasEntrySatisfying("user_id", user -> assertThat(user).hasSize(64)
                                        .doesNotContain("alice"));
                    });

            try (KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(
                    kafka.consumerConfig(), new StringDeserializer(),
                    SpecificAvroSerde.forValues(JobEvent.class, registry.serdeConfig()).deserializer())) {
                consumer.subscribe(List.of(jobsTopic));
                List<ConsumerRecord<String, JobEvent>> jobs = new ArrayList<>();
                Awaitility.await("the job event").atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(jobs::add);
                    return !jobs.isEmpty();
                });
                assertThat(jobs).singleElement().satisfies(record -> {
                    assertThat(record.key()).isEqualTo("job-42");
                    assertThat(record.value().getType()).isEqualTo(JobEventType.STARTED);
                    assertThat(record.value().getSubmitterHash()).hasSize(64).doesNotContain("alice");
                });
            }

            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape).contains("DCGM_FI_DEV_GPU_UTIL{GPU_I_ID=\"\",Hostname=\"it-node\","
                    + "UUID=\"GPU-00000000-0000-0000-0000-000000000003\",device=\"nvidia3\",gpu=\"3\","
                    + "modelName=\"NVIDIA H100 80GB HBM3 (fake)\"} 40.0", "aima_collector_events_sent_total",
                    "aima_collector_samples_total{source=\"gpu\"}");
        }
    }

    /** Two inference times of job-42 through the OpenTelemetry SDK, with a personal and an unlisted attribute. */
    private static void sendJobMetrics(String base) {
        SdkMeterProvider meters = SdkMeterProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "media-worker")))
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                                .setEndpoint(base + "/v1/metrics")
                                .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
                                .build())
                        .setInterval(Duration.ofHours(1)).build())
                .build();
        try {
            Meter meter = meters.get("aima.media-worker");
            DoubleHistogram inference = meter.histogramBuilder("job.inference.time").setUnit("ms").build();
            Attributes job = Attributes.builder().put("job_id", "job-42").put("user_id", "alice@example.com")
                    .put("worker_secret", "s3cr3t").build();
            inference.record(12.5, job);
            inference.record(14.0, job);
            assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).as("OTLP export").isTrue();
        } finally {
            meters.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static long count(List<ConsumerRecord<String, MetricEvent>> records, String name) {
        return records.stream().filter(r -> r.value().getName().equals(name)).count();
    }

    /** The time between consecutive samples of {@code metric} on {@code gpu}. */
    private static List<Duration> spacing(List<MetricEvent> events, String metric, String gpu) {
        List<Instant> times = events.stream()
                .filter(e -> e.getName().equals(metric) && gpu.equals(e.getLabels().get("gpu")))
                .map(MetricEvent::getEventTime).sorted(Comparator.naturalOrder()).collect(Collectors.toList());
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(Duration.between(times.get(i - 1), times.get(i)));
        }
        return gaps;
    }
}
