package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.devstack.FreePorts;
import com.aima.metrics.devstack.S3Server;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.testing.ManualClock;
import com.aima.metrics.testing.RecordingSinkTaskContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The task driven as Connect drives it (open, put, preCommit, close), with a real S3 server (s3proxy in this JVM) and
 * the in-memory schema registry.
 */
class S3ArchiveSinkTaskTest {

    private static final String TOPIC = "aima.metrics.raw";
    private static final String BUCKET = "archive";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final long T0 = Instant.parse("2026-03-01T23:58:00Z").toEpochMilli();

    @TempDir
    Path dir;
    private final String registryScope = "archive-" + UUID.randomUUID();
    private final List<S3ArchiveSinkTask> tasks = new ArrayList<>();
    private S3Server server;
    private S3Client s3;
    private RecordingSinkTaskContext context;
    private ManualClock clock = new ManualClock(1_000_000);

    @BeforeEach
    void startServer() {
        server = S3Server.start(dir);
        server.createBucket(BUCKET);
        s3 = S3Uploader.client(new S3ArchiveSinkConfig(config("unused", Map.of())));
    }

    @AfterEach
    void stop() {
        tasks.forEach(S3ArchiveSinkTask::stop);
        s3.close();
        server.close();
        MockSchemaRegistry.dropScope(registryScope);
    }

    @Test
    void everyRecordIsInExactlyOneFileAndOnlyUploadedOffsetsAreCommitted() throws IOException {
        S3ArchiveSinkTask task = start(config("run", Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "3")), true);
        List<SinkRecord> records = records(0, 7, 0);

        task.put(records);

        assertThat(ArchiveTestSupport.keys(s3, BUCKET, "run")).containsExactly(
                "run/aima.metrics.raw/dt=2026-03-01/hour=23/aima.metrics.raw+0+00000000000000000000.avro",
                "run/aima.metrics.raw/dt=2026-03-02/hour=00/aima.metrics.raw+0+00000000000000000002.avro");
        assertThat(readAvro("run").stream().map(record -> record.get("value")).toList())
                .as("offsets 0-1 closed by midnight, 2-4 by flush.size, in offset order")
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(preCommit(task, 7)).as("offsets 5 and 6 wait in the open file").containsEntry(P0, 5L);
    }

    @Test
    void anS3OutageKeepsTheFilesInMemoryUntilTheyAreUploaded() throws IOException {
        S3ArchiveSinkTask task = start(config("run", Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "2",
                S3ArchiveSinkConfig.S3_RETRY_BACKOFF_MS_CONFIG, "250")), true);
        List<SinkRecord> batch = records(0, 5, 0);
        server.stop();

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class)
                .hasMessageContaining("s3://archive/run/aima.metrics.raw/");
        assertThat(context.takeTimeout()).isEqualTo(250);
        assertThat(preCommit(task, 5)).containsEntry(P0, 0L);
        assertThatThrownBy(() -> task.put(batch)).as("Connect hands the same batch again")
                .isInstanceOf(RetriableException.class);

        server.restart();
        task.put(batch);
        task.put(records(5, 6, 0));

        assertThat(readAvro("run").stream().map(record -> record.get("value")).toList())
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0);
        assertThat(preCommit(task, 6)).containsEntry(P0, 6L);
    }

    @Test
    void aReplayFromTheCommittedOffsetWritesTheSameObjectsByteForByte() {
        Map<String, String> settings = Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "4",
                S3ArchiveSinkConfig.FORMAT_CONFIG, "jsonl", S3ArchiveSinkConfig.COMPRESSION_CONFIG, "gzip");
        List<SinkRecord> all = records(0, 14, 0);
        S3ArchiveSinkTask steady = start(config("steady", settings), true);
        steady.put(all);

        S3ArchiveSinkTask disturbed = start(config("disturbed", settings), true);
        disturbed.put(all.subList(0, 6));
        long committed = preCommit(disturbed, 6).get(P0);
        disturbed.close(List.of(P0)); // a rebalance: the buffers are dropped
        disturbed.open(List.of(P0));
        disturbed.put(all.subList((int) committed, 10));
        S3ArchiveSinkTask next = start(config("disturbed", settings), true); // a crash: a new task re-reads
        next.put(all.subList((int) (long) preCommit(disturbed, 10).get(P0), 14));

        Map<String, byte[]> expected = ArchiveTestSupport.objects(s3, BUCKET, "steady");
        assertThat(expected).hasSize(4);
        Map<String, byte[]> actual = ArchiveTestSupport.objects(s3, BUCKET, "disturbed");
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, bytes) -> assertThat(actual.get(key)).as(key).isEqualTo(bytes));
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterQueueAndTheRestIsArchived() throws IOException {
        S3ArchiveSinkTask task = start(config("run", Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "1")), true);
        List<SinkRecord> batch = new ArrayList<>(records(0, 1, 0));
        batch.add(bytesRecord("not avro".getBytes(StandardCharsets.UTF_8), 1, T0));
        batch.addAll(records(2, 3, 0));

        task.put(batch);

        assertThat(context.reported()).singleElement().satisfies(reported -> {
            assertThat(reported.record().kafkaOffset()).isEqualTo(1);
            assertThat(reported.error()).isInstanceOf(DataException.class)
                    .hasMessageContaining("aima.metrics.raw-0@1").hasMessageContaining("magic byte");
        });
        assertThat(readAvro("run").stream().map(record -> record.get("value")).toList()).containsExactly(0.0, 2.0);
        assertThat(preCommit(task, 3)).containsEntry(P0, 3L);
    }

    @Test
    void withoutADeadLetterQueueAnUndecodableRecordStopsTheTask() {
        S3ArchiveSinkTask task = start(config("run", Map.of()), false);

        assertThatThrownBy(() -> task.put(List.of(bytesRecord(new byte[] {0, 0, 0, 0, 9}, 4, T0))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("aima.metrics.raw-0@4").hasMessageContaining("No dead-letter queue");
    }

    @Test
    void aRegistryThatCannotBeReachedIsRetried() {
        Map<String, String> props = config("run", Map.of(S3ArchiveSinkConfig.S3_RETRY_BACKOFF_MS_CONFIG, "300"));
        props.put(S3ArchiveSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:" + FreePorts.pick());
        S3ArchiveSinkTask task = start(props, true);

        assertThatThrownBy(() -> task.put(records(0, 1, 0))).isInstanceOf(RetriableException.class)
                .hasMessageContaining("aima.metrics.raw-0@0");
        assertThat(context.takeTimeout()).isEqualTo(300);
        assertThat(context.reported()).isEmpty();
    }

    @Test
    void aMissingBucketFailsTheTask() {
        S3ArchiveSinkTask task = start(config("run", Map.of(S3ArchiveSinkConfig.S3_BUCKET_NAME_CONFIG, "gone",
                S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "1")), true);

        assertThatThrownBy(() -> task.put(records(0, 1, 0))).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class).hasMessageContaining("s3://gone/run/aima.metrics.raw/")
                .hasMessageContaining("NoSuchBucket");
    }

    @Test
    void theWallClockScheduleUploadsAQuietPartitionsFile() throws IOException {
        S3ArchiveSinkTask task = start(config("run", Map.of(
                S3ArchiveSinkConfig.ROTATE_SCHEDULE_INTERVAL_MS_CONFIG, "60000")), true);

        task.put(records(0, 1, 0));
        assertThat(context.takeTimeout()).as("put again when the file is due").isEqualTo(60_000);
        assertThat(readAvro("run")).isEmpty();
        clock.advanceMs(60_000);
        task.put(List.of());

        assertThat(readAvro("run")).hasSize(1);
        assertThat(preCommit(task, 1)).containsEntry(P0, 1L);
        assertThat(context.takeTimeout()).isEqualTo(-1);
    }

    @Test
    void recordsWithoutATimestampAreFiledAtTheEpoch() {
        S3ArchiveSinkTask task = start(config("run", Map.of(S3ArchiveSinkConfig.FLUSH_SIZE_CONFIG, "1")), true);

        task.put(List.of(bytesRecord(event(0), 0, null)));

        assertThat(ArchiveTestSupport.keys(s3, BUCKET, "run")).containsExactly(
                "run/aima.metrics.raw/dt=1970-01-01/hour=00/aima.metrics.raw+0+00000000000000000000.avro");
    }

    @Test
    void nothingIsCommittedForAPartitionNoRecordCameFrom() {
        S3ArchiveSinkTask task = start(config("run", Map.of()), true);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        task.open(List.of(P0, p1));
        task.put(records(0, 1, 0));

        Map<TopicPartition, OffsetAndMetadata> current = Map.of(P0, new OffsetAndMetadata(1),
                p1, new OffsetAndMetadata(0));
        assertThat(task.preCommit(current)).containsOnlyKeys(P0);
    }

    private S3ArchiveSinkTask start(Map<String, String> props, boolean withReporter) {
        context = new RecordingSinkTaskContext(withReporter);
        S3ArchiveSinkTask task = new S3ArchiveSinkTask(clock, S3Uploader::create);
        task.initialize(context);
        task.start(props);
        task.open(List.of(P0));
        tasks.add(task);
        return task;
    }

    private Map<String, String> config(String prefix, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(ArchiveTestSupport.s3Config(server, BUCKET));
        props.put(S3ArchiveSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + registryScope);
        props.put(S3ArchiveSinkConfig.S3_PREFIX_CONFIG, prefix);
        props.putAll(overrides);
        return props;
    }

    private static Map<TopicPartition, Long> preCommit(S3ArchiveSinkTask task, long consumed) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        task.preCommit(Map.of(P0, new OffsetAndMetadata(consumed)))
                .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }

    /** Records {@code from} until {@code to} of partition 0: value = offset, one minute apart from 23:58 UTC. */
    private List<SinkRecord> records(int from, int to, int partition) {
        return IntStream.range(from, to)
                .mapToObj(offset -> bytesRecord(event(offset), offset, T0 + offset * 60_000L))
                .toList();
    }

    private byte[] event(int offset) {
        MetricEvent event = MetricEvent.newBuilder()
                .setName("gpu_utilization_percent")
                .setValue(offset)
                .setUnit("percent")
                .setEventTime(Instant.ofEpochMilli(T0 + offset * 60_000L))
                .setLabels(Map.of("gpu", "0"))
                .setSource(Source.newBuilder().setHost("n1").setCollectorId("c1").setKind(SourceKind.GPU).build())
                .build();
        try (SpecificAvroSerializer<MetricEvent> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(Map.of(S3ArchiveSinkConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + registryScope),
                    false);
            return serializer.serialize(TOPIC, event);
        }
    }

    private static SinkRecord bytesRecord(byte[] value, long offset, Long timestampMs) {
        return new SinkRecord(TOPIC, 0, Schema.OPTIONAL_BYTES_SCHEMA, null, Schema.OPTIONAL_BYTES_SCHEMA, value,
                offset, timestampMs, timestampMs == null ? TimestampType.NO_TIMESTAMP_TYPE
                : TimestampType.CREATE_TIME);
    }

    /** The records of every Avro object under {@code prefix}, in key order. */
    private List<GenericRecord> readAvro(String prefix) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        for (byte[] bytes : ArchiveTestSupport.objects(s3, BUCKET, prefix).values()) {
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(bytes),
                    new GenericDatumReader<>())) {
                reader.forEach(records::add);
            }
        }
        return records;
    }
}
