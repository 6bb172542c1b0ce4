package com.aima.metrics.archive;

import com.aima.metrics.connect.SinkTaskContexts;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives the records of its partitions to S3. {@link #put} decodes each record, appends it to its partition's open
 * file ({@link PartitionArchive}, which closes files by the {@link RotationPolicy}), then uploads the closed files in
 * offset order ({@link S3Uploader}). {@link #preCommit} lets Connect commit, per partition, only up to the first
 * record not yet in S3; {@link #close} drops the partitions' buffers, whose records the next owner reads again from
 * that offset and cuts into the same files. So every record ends up in exactly one object, under a key that any
 * replay writes again with the same bytes.
 *
 * <p>Failures: an S3 or registry failure that may pass throws {@link RetriableException} after
 * {@code context.timeout(s3.retry.backoff.ms)}; Connect hands the same batch again, whose records the archives
 * recognise as taken, and the closed files are uploaded then. A refusal by S3 (4xx) fails the task with a
 * {@link ConnectException} naming bucket and key. A record that cannot be decoded goes to the errant record reporter
 * (the dead-letter queue); without one the task fails with a {@link DataException} naming the record.
 */
public class S3ArchiveSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(S3ArchiveSinkTask.class);

    private final Clock clock;
    private final Function<S3ArchiveSinkConfig, S3Uploader> uploaderFactory;
    private final Map<TopicPartition, PartitionArchive> archives = new LinkedHashMap<>();
    private S3ArchiveSinkConfig config;
    private RotationPolicy policy;
    private ArchiveDecoder decoder;
    private S3Uploader uploader;
    private ErrantRecordReporter reporter;

    public S3ArchiveSinkTask() {
        this(Clock.systemUTC(), S3Uploader::create);
    }

    /** A task with another wall clock (for {@code rotate.schedule.interval.ms}) and uploader, for tests. */
    S3ArchiveSinkTask(Clock clock, Function<S3ArchiveSinkConfig, S3Uploader> uploaderFactory) {
        this.clock = clock;
        this.uploaderFactory = uploaderFactory;
    }

    @Override
    public String version() {
        return S3ArchiveSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new S3ArchiveSinkConfig(props);
        policy = config.rotationPolicy();
        decoder = new ArchiveDecoder(config.serdeConfig());
        uploader = uploaderFactory.apply(config);
        reporter = SinkTaskContexts.errantRecordReporter(context);
        log.info("S3 archive task started: s3://{}/{}, format {}, compression {}, {}.", config.bucket(),
                config.prefix(), config.format(), config.compression(), policy);
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> archives.put(partition, newArchive(partition)));
    }

    /**
     * @throws RetriableException when the registry or S3 fails in a way that may pass; Connect hands the batch again
     *                            after {@code s3.retry.backoff.ms}
     * @throws ConnectException   when S3 refuses an upload, naming bucket and key
     * @throws DataException      for an undecodable record when no dead-letter queue is configured
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        long nowMs = clock.millis();
        for (SinkRecord record : records) {
            TopicPartition partition = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            PartitionArchive archive = archives.computeIfAbsent(partition, this::newArchive);
            long offset = record.originalKafkaOffset();
            if (archive.isTaken(offset)) {
                continue;
            }
            GenericRecord decoded;
            try {
                decoded = decoder.decode(record);
            } catch (DataException e) {
                deadLetter(record, e);
                archive.skip(offset);
                continue;
            } catch (RetriableException e) {
                throw retryLater(e);
            }
            archive.append(decoded, offset, record.timestamp(), nowMs);
        }
        archives.values().forEach(archive -> archive.closeIfDue(nowMs));
        uploadClosedFiles();
        scheduleNextPut(nowMs);
    }

    private void uploadClosedFiles() {
        for (PartitionArchive archive : archives.values()) {
            for (CompletedFile file = archive.nextUpload(); file != null; file = archive.nextUpload()) {
                try {
                    uploader.upload(file);
                } catch (RetriableException e) {
                    throw retryLater(e);
                }
                archive.uploaded();
                log.debug("Uploaded {}.", file);
            }
        }
    }

    private RetriableException retryLater(RetriableException e) {
        long pending = archives.values().stream().mapToInt(PartitionArchive::pendingUploads).sum();
        log.warn("{} Retrying in {} ms; {} closed file(s) wait in memory.", e.getMessage(), config.retryBackoffMs(),
                pending);
        context.timeout(config.retryBackoffMs());
        return e;
    }

    /** With a wall-clock schedule, asks Connect to call {@link #put} again by the time the next open file is due. */
    private void scheduleNextPut(long nowMs) {
        long dueInMs = archives.values().stream().mapToLong(archive -> archive.dueInMs(nowMs)).min()
                .orElse(Long.MAX_VALUE);
        if (dueInMs != Long.MAX_VALUE) {
            context.timeout(Math.max(1, dueInMs));
        }
    }

    private void deadLetter(SinkRecord record, DataException error) {
        if (reporter == null) {
            throw new DataException(error.getMessage() + " No dead-letter queue is configured"
                    + " (errors.tolerance=all, errors.deadletterqueue.topic.name), so the task stops rather than"
                    + " leave a gap in the archive.", error);
        }
        log.warn("{} Sent to the dead-letter queue.", error.getMessage());
        reporter.report(record, error);
    }

    /** Per partition, the first record not yet in S3; nothing for a partition no record was taken from. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        currentOffsets.forEach((partition, consumed) -> {
            PartitionArchive archive = archives.get(partition);
            OptionalLong offset = archive == null ? OptionalLong.empty() : archive.committableOffset();
            if (offset.isPresent()) {
                safe.put(partition, new OffsetAndMetadata(Math.min(offset.getAsLong(), consumed.offset())));
            }
        });
        return safe;
    }

    /** Drops the buffers of {@code partitions}: their next owner reads the records again from the committed offset. */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(archives::remove);
    }

    @Override
    public void stop() {
        archives.clear();
        if (decoder != null) {
            decoder.close();
        }
        if (uploader != null) {
            uploader.close();
        }
        log.info("S3 archive task stopped.");
    }

    private PartitionArchive newArchive(TopicPartition partition) {
        return new PartitionArchive(partition, config.prefix(), config.format(), config.compression(), policy);
    }
}
