package com.aima.metrics.rollup;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.serde.SpecificAvroDeserializer;
import com.aima.metrics.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The rollup topology: raw metric events → 1h → 1d → 1mo → 1y rollups, plus the dead-letter and late topics. Raw
 * records are keyed by series, so every series' windows live in one task and nothing is repartitioned.
 *
 * <pre>
 *   aima.metrics.raw ─► rollup-processor ─┬─► aima.rollups.1h / 1d / 1mo / 1y
 *                       (stores per tier:  ├─► aima.metrics.raw.dlq  (undecodable, invalid)
 *                        open, closed;     └─► aima.metrics.late     (after grace; windows corrected)
 *                        clock; raw points
 *                        of the last 24 h)
 * </pre>
 */
public final class RollupTopology {

    public static final String SOURCE = "raw-metrics-source";
    public static final String PROCESSOR = "rollup-processor";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String LATE_SINK = "late-sink";
    public static final String CLOCK_STORE = "rollup-clock";
    /** Every metric name the task has seen, with its unit: what the REST API calls a known metric. */
    public static final String METRIC_NAMES_STORE = "metric-names";

    private RollupTopology() {
    }

    /**
     * @param config      the rollup settings
     * @param serdeConfig serde settings, at least {@code schema.registry.url}
     */
    public static Topology build(RollupConfig config, Map<String, ?> serdeConfig) {
        Topology topology = new Topology();
        topology.addSource(AutoOffsetReset.earliest(), SOURCE, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), Topics.METRICS_RAW);
        topology.addProcessor(PROCESSOR, () -> {
            SpecificAvroDeserializer<MetricEvent> events = new SpecificAvroDeserializer<>(MetricEvent.class);
            events.configure(serdeConfig, false);
            return new RollupProcessor(config, events);
        }, SOURCE);

        SpecificAvroSerde<MetricRollup> rollups = SpecificAvroSerde.forValues(MetricRollup.class, serdeConfig);
        for (Tier tier : Tier.values()) {
            topology.addStateStore(OpenWindowStore.builder(tier, config, rollups), PROCESSOR);
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(tier.closedStore()),
                    WindowKey.serde(), rollups).withCachingEnabled(), PROCESSOR);
            topology.addSink(tier.sinkName(), tier.topic(), new StringSerializer(), rollups.serializer(), PROCESSOR);
        }
        topology.addStateStore(ClockStore.builder(CLOCK_STORE), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(METRIC_NAMES_STORE),
                Serdes.String(), Serdes.String()), PROCESSOR);
        if (config.rawStoreEnabled()) {
            topology.addStateStore(RawPoints.builder(), PROCESSOR);
        }
        topology.addSink(DEAD_LETTER_SINK, Topics.METRICS_DLQ, new ByteArraySerializer(), new ByteArraySerializer(),
                PROCESSOR);
        topology.addSink(LATE_SINK, Topics.METRICS_LATE, new ByteArraySerializer(), new ByteArraySerializer(),
                PROCESSOR);
        return topology;
    }
}
