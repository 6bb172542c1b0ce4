package com.aima.metrics.dashboards;

import com.aima.metrics.Topics;
import com.aima.metrics.influx.InfluxSinkConfig;
import com.aima.metrics.influx.InfluxSinkTask;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.serde.SpecificAvroSerializer;
import com.aima.metrics.testing.RecordingSinkTaskContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Fills InfluxDB through the InfluxDB sink, as the pipeline does: each record serialized as its producer does it
 * (Confluent wire-format Avro, {@link SpecificAvroSerializer}, against an in-memory schema registry), wrapped as a
 * {@link SinkRecord} on its topic ({@link Topics}), and handed to a started {@link InfluxSinkTask}, which creates the
 * database and its retention policies and writes the points. The task runs with an errant record reporter, so a
 * record the sink refuses is reported rather than failing the fill.
 */
final class InfluxFill {

    /** Records per {@code put}, as a worker hands them over from its consumer. */
    private static final int PUT_SIZE = 5_000;

    private final String influxUrl;

    /** A fill of the InfluxDB at {@code influxUrl} (the sink's {@code influxdb.url}), database {@code aima}. */
    InfluxFill(String influxUrl) {
        this.influxUrl = influxUrl;
    }

    /**
     * Puts {@link MetricEvent}s, {@link MetricRollup}s, {@link CostRecord}s and {@link AlertEvent}s through a sink
     * task, then flushes and stops it.
     *
     * @return the records the task reported to the errant record reporter, with its reasons: none when the sink
     *         accepted every record
     */
    List<RecordingSinkTaskContext.Reported> write(List<? extends SpecificRecord> records) {
        String scope = "dashboards-" + UUID.randomUUID();
        String registryUrl = "mock://" + scope;
        try {
            List<SinkRecord> sinkRecords = sinkRecords(records, registryUrl);
            Map<String, String> props = new HashMap<>();
            props.put(InfluxSinkConfig.URL_CONFIG, influxUrl);
            props.put("schema.registry.url", registryUrl);
            RecordingSinkTaskContext context = new RecordingSinkTaskContext(props, true);
            InfluxSinkTask task = new InfluxSinkTask();
            task.initialize(context);
            task.start(props);
            try {
                for (int from = 0; from < sinkRecords.size(); from += PUT_SIZE) {
                    task.put(sinkRecords.subList(from, Math.min(from + PUT_SIZE, sinkRecords.size())));
                }
                task.flush(Map.of());
            } finally {
                task.stop();
            }
            return context.reported();
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    /** Each record serialized onto its topic, partition 0, offsets counting up per topic. */
    private static List<SinkRecord> sinkRecords(List<? extends SpecificRecord> records, String registryUrl) {
        List<SinkRecord> sinkRecords = new ArrayList<>(records.size());
        Map<String, Long> offsets = new HashMap<>();
        try (SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", registryUrl), false);
            for (SpecificRecord record : records) {
                String topic = topic(record);
                long offset = offsets.merge(topic, 1L, Long::sum) - 1;
                sinkRecords.add(new SinkRecord(topic, 0, null, null, null, serializer.serialize(topic, record),
                        offset));
            }
        }
        return sinkRecords;
    }

    private static String topic(SpecificRecord record) {
        if (record instanceof MetricEvent) {
            return Topics.METRICS_RAW;
        }
        if (record instanceof MetricRollup rollup) {
            return switch (rollup.getTier()) {
                case HOUR -> Topics.ROLLUPS_HOUR;
                case DAY -> Topics.ROLLUPS_DAY;
                case MONTH -> Topics.ROLLUPS_MONTH;
                case YEAR -> Topics.ROLLUPS_YEAR;
            };
        }
        if (record instanceof CostRecord) {
            return Topics.COSTS;
        }
        if (record instanceof AlertEvent) {
            return Topics.ALERTS;
        }
        throw new IllegalArgumentException("The pipeline has no topic of " + record.getClass().getName() + ".");
    }
}
