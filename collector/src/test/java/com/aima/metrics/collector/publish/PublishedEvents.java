package com.aima.metrics.collector.publish;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.schema.JobPriority;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Events with fixed times for the publisher tests, and a reader of whole topics. */
final class PublishedEvents {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private PublishedEvents() {
    }

    /** Sample {@code sequence} of the series of GPU {@code gpu}: its value is the sequence number. */
    static MetricEvent sample(int gpu, long sequence) {
        return MetricEvent.newBuilder()
                .setName("gpu_utilization_percent")
                .setValue(sequence)
                .setUnit("percent")
                .setEventTime(T0.plusSeconds(sequence))
                .setLabels(Map.of("gpu", String.valueOf(gpu), "node", "gpu-node-1"))
                .setSource(Source.newBuilder().setHost("gpu-node-1").setCollectorId("collector-1")
                        .setKind(SourceKind.GPU).build())
                .build();
    }

    /** One sample of each of {@code series} series, all with sequence number {@code sequence}. */
    static List<MetricEvent> samples(int series, long sequence) {
        List<MetricEvent> events = new ArrayList<>(series);
        for (int gpu = 0; gpu < series; gpu++) {
            events.add(sample(gpu, sequence));
        }
        return events;
    }

    static JobEvent job(String jobId, JobEventType type, long offsetSeconds) {
        return JobEvent.newBuilder()
                .setEventId(jobId + "-" + type)
                .setJobId(jobId)
                .setType(type)
                .setEventTime(T0.plusSeconds(offsetSeconds))
                .setProject("project-a")
                .setAnalysisType(AnalysisType.VIDEO)
                // Set, not defaulted: defaulting an enum needs Avro to trust the schema package before build().
                .setPriority(JobPriority.NORMAL)
                .build();
    }

    /**
     * Every record of {@code topic} up to its end offsets at the time of the call, partition by partition in offset
     * order.
     */
    static <V> List<ConsumerRecord<String, V>> readAll(String bootstrapServers, String topic, Deserializer<V> values) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, List<ConsumerRecord<String, V>>> records = new HashMap<>();
            Awaitility.await("records of " + topic).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> records
                                .computeIfAbsent(new TopicPartition(topic, record.partition()), p -> new ArrayList<>())
                                .add(record));
                        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                    });
            List<ConsumerRecord<String, V>> all = new ArrayList<>();
            partitions.forEach(p -> all.addAll(records.getOrDefault(p, List.of())));
            return all;
        }
    }
}
