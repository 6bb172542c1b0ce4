package com.aima.metrics.alert;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.AlertEvent;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.SpecificAvroSerde;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The alert engine's topology, a Kafka Streams application of its own (see {@link AlertConfig}).
 *
 * <pre>
 *   aima.jobs ─► job-outcomes ─► (repartition: 1 partition) ─► job-error-rate ─► aima.metrics.raw
 *                                                              (store: 1 s buckets)   job_error_rate_percent
 *   aima.metrics.raw ─► alert-engine ─► aima.alerts  (AlertEvent keyed by fingerprint)
 *                       (store: pending and firing alerts)
 * </pre>
 *
 * Raw records are keyed by series, so every series' alerts live in one task and nothing is repartitioned. A new
 * engine starts at the end of its input topics ({@code alerts.auto.offset.reset}), so that a first start does not
 * notify about the past day.
 */
public final class AlertTopology {

    public static final String ALERT_STORE = "alert-state";
    public static final String JOB_OUTCOME_STORE = "job-outcomes";

    private AlertTopology() {
    }

    /**
     * @param rules       the rules in force, asked at every record and punctuation (so a reload applies at once)
     * @param serdeConfig serde settings, at least {@code schema.registry.url}
     */
    public static Topology build(AlertConfig config, Supplier<RuleSet> rules, Map<String, ?> serdeConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALERT_STORE),
                Serdes.String(), AlertSeries.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOB_OUTCOME_STORE),
                Serdes.Long(), Serdes.String()));
        AutoOffsetReset reset = config.autoOffsetReset();

        builder.stream(Topics.JOBS, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("jobs-source")
                        .withOffsetResetPolicy(reset))
                .process(() -> new JobErrorRate.Outcomes(
                                SpecificAvroSerde.forValues(JobEvent.class, serdeConfig).deserializer()),
                        Named.as("job-outcomes"))
                .repartition(Repartitioned.<String, String>as("job-outcomes")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()).withNumberOfPartitions(1))
                .process(() -> new JobErrorRate.Window(config), Named.as("job-error-rate"), JOB_OUTCOME_STORE)
                .to(Topics.METRICS_RAW, Produced.with(Serdes.String(),
                        SpecificAvroSerde.forValues(MetricEvent.class, serdeConfig)).withName("error-rate-sink"));

        builder.stream(Topics.METRICS_RAW, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-source")
                        .withOffsetResetPolicy(reset))
                .process(() -> new AlertProcessor(rules,
                                SpecificAvroSerde.forValues(MetricEvent.class, serdeConfig).deserializer(), config),
                        Named.as("alert-engine"), ALERT_STORE)
                .to(Topics.ALERTS, Produced.with(Serdes.String(),
                        SpecificAvroSerde.forValues(AlertEvent.class, serdeConfig)).withName("alerts-sink"));
        return builder.build();
    }
}
