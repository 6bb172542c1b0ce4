package com.aima.metrics.influx;

import static com.aima.metrics.connect.SinkTaskContexts.closeQuietly;

import com.aima.metrics.connect.SinkTaskContexts;
import com.aima.metrics.connect.WireFormatRecords;
import com.aima.metrics.influx.InfluxPoints.Routed;
import com.aima.metrics.influx.InfluxSchema.RetentionPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records Connect hands to {@link #put} into InfluxDB before {@code put} returns: decoded
 * ({@link RecordDecoder}), mapped ({@link InfluxPoints}), grouped by retention policy in arrival order, written
 * synchronously in requests of at most {@code influxdb.batch.size} points. Nothing is buffered between calls, so the
 * offsets Connect commits after {@code put} returned are always of written records, and {@link #flush} has nothing
 * left to write.
 *
 * <p>Failures: InfluxDB or the registry unreachable, timed out or failing with 5xx → {@link RetriableException} after
 * {@code context.timeout(influxdb.retry.backoff.ms)}; Connect hands the same records again, and writing a point twice
 * leaves one point (series + time identify it). A batch InfluxDB refuses (HTTP 400) → its bad points are found by
 * bisection ({@link BadPointIsolation}), each bad record goes to the errant record reporter with InfluxDB's reason,
 * the rest is written; points older than their policy keeps are dropped by InfluxDB and only counted. Undecodable and
 * unmappable records go to the reporter too. Without a reporter a bad record fails the task
 * ({@link ConnectException} naming it).
 */
public class InfluxSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(InfluxSinkTask.class);
    private static final String BEYOND_RETENTION = "points beyond retention policy";

    private final Function<InfluxSinkConfig, InfluxWriter> writerFactory;

    private InfluxSinkConfig config;
    private InfluxWriter writer;
    private DatabaseSetup setup;
    private RecordDecoder decoder;
    private ErrantRecordReporter reporter;
    private InfluxSinkMetrics metrics;
    private boolean schemaReady;
    /** Records reported while their batch is being retried, so that a retry does not report them again. */
    private final Set<String> reportedInBatch = new HashSet<>();

    public InfluxSinkTask() {
        this(InfluxWriter::new);
    }

    InfluxSinkTask(Function<InfluxSinkConfig, InfluxWriter> writerFactory) {
        this.writerFactory = writerFactory;
    }

    @Override
    public String version() {
        return InfluxSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new InfluxSinkConfig(props);
        metrics = new InfluxSinkMetrics(SinkTaskContexts.pluginMetrics(context));
        reporter = SinkTaskContexts.errantRecordReporter(context);
        decoder = new RecordDecoder(config.serdeConfig());
        writer = writerFactory.apply(config);
        setup = config.createDatabase() ? new DatabaseSetup(writer, config.retentions()) : null;
        schemaReady = setup == null;
        log.info("InfluxDB sink task started: {} database '{}', {} point(s) per write, {}.", config.url(),
                config.database(), config.batchSize(), reporter == null
                        ? "no dead-letter queue (a bad record fails the task)"
                        : "bad records to the errant record reporter");
    }

    /**
     * @throws RetriableException when InfluxDB or the registry cannot be reached or fails; Connect hands the same
     *                            records again after {@code influxdb.retry.backoff.ms}
     * @throws ConnectException   for a bad record without an errant record reporter, or an InfluxDB answer that
     *                            retrying does not mend (credentials refused)
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            ensureSchema();
            Map<RetentionPolicy, List<Pending>> byPolicy = new EnumMap<>(RetentionPolicy.class);
            for (SinkRecord record : records) {
                Pending pending = map(record);
                if (pending != null) {
                    byPolicy.computeIfAbsent(pending.routed().policy(), policy -> new ArrayList<>()).add(pending);
                }
            }
            byPolicy.forEach(this::write);
        } catch (RetriableException e) {
            if (e instanceof InfluxWriter.SchemaMissingException) {
                schemaReady = setup == null;
            }
            metrics.writeRetries.incrementAndGet();
            // Connect logs the exception with its stack trace ("RetriableException from SinkTask"); one line here.
            log.warn("{} Retrying the batch of {} record(s) in {} ms.", e.getMessage(), records.size(),
                    config.retryBackoffMs());
            context.timeout(config.retryBackoffMs());
            throw e;
        }
        reportedInBatch.clear();
    }

    /** Every record handed to {@link #put} was written before it returned: nothing to do. */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    }

    @Override
    public void stop() {
        closeQuietly(decoder, "record decoder", log);
        closeQuietly(writer, "InfluxDB client", log);
        log.info("InfluxDB sink task stopped.");
    }

    /** A record's point, ready to write. */
    private record Pending(SinkRecord record, Routed routed) {
    }

    private void ensureSchema() {
        if (!schemaReady) {
            setup.ensure();
            schemaReady = true;
        }
    }

    /** The record's point, or null when the record is bad (and reported). */
    private Pending map(SinkRecord record) {
        try {
            return new Pending(record, InfluxPoints.of(decoder.decode(record)));
        } catch (DataException e) {
            reject(record, e);
        } catch (IllegalArgumentException e) {
            reject(record, new DataException(WireFormatRecords.where(record) + " cannot be written to InfluxDB: "
                    + e.getMessage(), e));
        }
        return null;
    }

    private void write(RetentionPolicy policy, List<Pending> pending) {
        int batchSize = config.batchSize();
        for (int from = 0; from < pending.size(); from += batchSize) {
            List<Pending> chunk = pending.subList(from, Math.min(from + batchSize, pending.size()));
            List<BadPointIsolation.Rejected<Pending>> rejected = BadPointIsolation.write(chunk,
                    points -> writer.write(policy, points(points)));
            metrics.pointsWritten.addAndGet(chunk.size() - rejected.size());
            for (BadPointIsolation.Rejected<Pending> bad : rejected) {
                SinkRecord record = bad.item().record();
                if (bad.reason() != null && bad.reason().contains(BEYOND_RETENTION)) {
                    metrics.pointsBeyondRetention.incrementAndGet();
                    log.warn("{} is older than retention policy '{}' keeps; InfluxDB dropped its point.",
                            WireFormatRecords.where(record), policy.policyName());
                } else {
                    reject(record, new DataException(WireFormatRecords.where(record) + ": InfluxDB refused its point in"
                            + " " + config.database() + "." + policy.policyName() + ": " + bad.reason()
                            + " Point: " + bad.item().routed().point().lineProtocol(TimeUnit.MILLISECONDS)));
                }
            }
        }
    }

    private static List<Point> points(List<Pending> pending) {
        List<Point> points = new ArrayList<>(pending.size());
        pending.forEach(entry -> points.add(entry.routed().point()));
        return points;
    }

    private void reject(SinkRecord record, DataException error) {
        if (reporter == null) {
            throw new ConnectException(error.getMessage() + " No dead-letter queue is configured"
                    + " (errors.tolerance=all, errors.deadletterqueue.topic.name); stopping.", error);
        }
        if (reportedInBatch.add(WireFormatRecords.where(record))) {
            metrics.recordsRejected.incrementAndGet();
            log.warn("{} Sent to the errant record reporter.", error.getMessage());
            reporter.report(record, error);
        }
    }
}
