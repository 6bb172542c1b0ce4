package com.aima.metrics.cost;

import com.aima.metrics.Topics;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.JobEvent;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.serde.SpecificAvroSerde;
import com.aima.metrics.streams.JsonSerde;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The cost engine's topology, a Kafka Streams application of its own (see {@link CostConfig}).
 *
 * <pre>
 *   aima.jobs ─► cost-job-intake ─► (repartition: 1 partition) ─► cost-engine ─► aima.costs        CostRecord
 *                    └─► aima.jobs.dlq                               │    │      │   (kept for the API: {@link CostViews})
 *                                                                     │    │      ├► aima.metrics.raw  budget_used_percent
 *                                                                     │    │      └► aima.jobs.dlq     conflicting events
 *   aima.metrics.raw ─► cost-sample-intake ─► (repartition: 1 partition) ─► cost-samples
 *                       (energy counter, per-process SM %)            (both share the stores of {@link CostStores})
 * </pre>
 *
 * Everything is repartitioned into one partition so that one task sees every job and every device: a job's cost
 * needs all its devices, a shared device all its jobs, a budget all of a project's jobs. One task handles the job
 * events and per-GPU samples of thousands of GPUs (a few hundred records per second); the rollups, which see every
 * raw sample, stay partitioned.
 */
public final class CostTopology {

    static final String JOB_REPARTITION = "cost-jobs";
    static final String SAMPLE_REPARTITION = "cost-samples";

    private CostTopology() {
    }

    /**
     * @param catalog     the price catalog in force, asked at every charge
     * @param serdeConfig serde settings, at least {@code schema.registry.url}
     */
    public static Topology build(CostConfig config, Supplier<PriceCatalog> catalog, Map<String, ?> serdeConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        CostStores.builders().forEach(store -> builder.addStateStore(store));
        SpecificAvroSerde<CostRecord> costSerde = SpecificAvroSerde.forValues(CostRecord.class, serdeConfig);
        CostViews.builders(costSerde).forEach(store -> builder.addStateStore(store));
        AutoOffsetReset reset = config.autoOffsetReset();
        SpecificAvroSerde<JobEvent> jobSerde = SpecificAvroSerde.forValues(JobEvent.class, serdeConfig);

        KStream<String, Object> jobs = builder.stream(Topics.JOBS, Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("cost-jobs-source").withOffsetResetPolicy(reset))
                .process(() -> new JobIntake(SpecificAvroSerde.forValues(JobEvent.class, serdeConfig).deserializer()),
                        Named.as("cost-job-intake"));
        jobs.split(Named.as("cost-job-intake-"))
                .branch((key, value) -> value instanceof byte[], Branched.withConsumer(dead -> deadLetters(dead,
                        "cost-dead-letter"), "dead"))
                .defaultBranch(Branched.withConsumer(valid -> valid
                        .mapValues(value -> (JobEvent) value, Named.as("cost-job-cast"))
                        .repartition(Repartitioned.<String, JobEvent>as(JOB_REPARTITION)
                                .withKeySerde(Serdes.String()).withValueSerde(jobSerde).withNumberOfPartitions(1))
                        .process(() -> new CostEngine(config, catalog,
                                        SpecificAvroSerde.forValues(JobEvent.class, serdeConfig).serializer()),
                                Named.as("cost-engine"), CostStores.ALL)
                        .split(Named.as("cost-engine-"))
                        .branch((key, value) -> value instanceof CostRecord, Branched.withConsumer(costs -> costs
                                .mapValues(value -> (CostRecord) value, Named.as("cost-record-cast"))
                                .processValues(() -> new CostViews.Recorder(config.viewRetention()),
                                        Named.as("cost-views"), CostViews.STORES)
                                .to(Topics.COSTS, Produced.with(Serdes.String(), costSerde)
                                        .withName("costs-sink")), "costs"))
                        .branch((key, value) -> value instanceof MetricEvent, Branched.withConsumer(metrics -> metrics
                                .mapValues(value -> (MetricEvent) value, Named.as("cost-metric-cast"))
                                .to(Topics.METRICS_RAW, Produced.with(Serdes.String(),
                                        SpecificAvroSerde.forValues(MetricEvent.class, serdeConfig))
                                        .withName("cost-metrics-sink")), "metrics"))
                        .defaultBranch(Branched.withConsumer(conflicts -> deadLetters(conflicts, "cost-conflict"),
                                "conflicts")),
                        "valid"));

        builder.stream(Topics.METRICS_RAW, Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("cost-raw-source").withOffsetResetPolicy(reset))
                .process(() -> new SampleIntake(SpecificAvroSerde.forValues(MetricEvent.class, serdeConfig)
                        .deserializer()), Named.as("cost-sample-intake"))
                .repartition(Repartitioned.<String, DeviceSample>as(SAMPLE_REPARTITION).withKeySerde(Serdes.String())
                        .withValueSerde(JsonSerde.of(DeviceSample.class)).withNumberOfPartitions(1))
                .process(SampleRecorder::new, Named.as("cost-samples"), CostStores.ALL);
        return builder.build();
    }

    /** Writes a branch of dead-lettered events (byte[] values, reason in headers) to the jobs' dead-letter topic. */
    private static void deadLetters(KStream<String, Object> dead, String name) {
        dead.mapValues(value -> (byte[]) value, Named.as(name + "-cast"))
                .to(Topics.JOBS_DLQ, Produced.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-sink"));
    }
}
