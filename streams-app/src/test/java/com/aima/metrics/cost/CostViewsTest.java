package com.aima.metrics.cost;

import static com.aima.metrics.cost.CostHarness.job;
import static com.aima.metrics.cost.CostHarness.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.aima.metrics.cost.CostViews.View;
import com.aima.metrics.schema.CostEstimate;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.JobEventType;
import com.aima.metrics.serde.AvroSerdeConfig;
import com.aima.metrics.serde.MockSchemaRegistry;
import com.aima.metrics.serde.SpecificAvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stores the REST API reads the costs from, filled by the production cost topology: each view's records by their
 * time, the latest record of one identity, a job's records by its id, and the purge after the retention.
 */
class CostViewsTest {

    @TempDir
    Path stateDir;
    private CostHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-20T" + time + "Z");
    }

    /** j1 on GPU-a 10:30-11:15 and v1 on GPU-b 10:00-10:45 (30 media minutes, estimated 2.50): 3.00 EUR each. */
    private CostHarness twoJobs(Map<String, Object> settings) {
        harness = new CostHarness(PriceCatalog.parse(CostTopologyTest.CATALOG, "test catalog"), settings,
                CostTopologyTest.T10.minusSeconds(3600), stateDir);
        harness.send(job("v1", JobEventType.SUBMITTED, at("09:50:00")).setCostEstimate(CostEstimate.newBuilder()
                .setAmountMicros(2_500_000).setEstimatedGpuSeconds(2400).setEstimatedAt(at("09:50:00")).build())
                .build());
        harness.send(started("v1", at("10:00:00"), "aws", CostTopologyTest.H100, "on_demand", "GPU-b"));
        harness.send(started("j1", at("10:30:00"), "aws", CostTopologyTest.H100, "on_demand", "GPU-a"));
        harness.send(job("v1", JobEventType.COMPLETED, at("10:45:00")).setMediaProcessedMs(1_800_000L).build());
        harness.send(CostHarness.ended("j1", JobEventType.COMPLETED, at("11:15:00")));
        harness.runUntil(at("12:10:00"));
        return harness;
    }

    private static List<CostRecord> read(ReadOnlyKeyValueStore<String, CostRecord> store, View view, Instant from,
                                         Instant to) {
        List<CostRecord> records = new ArrayList<>();
        CostViews.read(store, view, from.toEpochMilli(), to.toEpochMilli(), records::add);
        return records;
    }

    @Test
    void eachViewIsReadByItsTimeInOrder() {
        CostHarness costs = twoJobs(Map.of());
        ReadOnlyKeyValueStore<String, CostRecord> views = costs.view(CostViews.STORE);

        assertThat(read(views, View.DEVICE_HOURS, at("10:00:00"), at("12:00:00")))
                .extracting(CostRecord::getWindowStart, record -> record.getLabels().get("gpu_uuid"),
                        CostRecord::getGpuSeconds)
                .containsExactly(tuple(at("10:00:00"), "GPU-a", 1800.0), tuple(at("10:00:00"), "GPU-b", 2700.0),
                        tuple(at("11:00:00"), "GPU-a", 900.0));
        assertThat(read(views, View.DEVICE_HOURS, at("11:00:00"), at("12:00:00"))).hasSize(1);
        // a job is placed at its end; the end of a range is exclusive
        assertThat(read(views, View.JOBS, at("10:00:00"), at("11:15:00"))).extracting(CostRecord::getJobId)
                .containsExactly("v1");
        assertThat(read(views, View.JOBS, at("11:15:00"), at("11:15:01"))).extracting(CostRecord::getJobId,
                CostRecord::getAmountMicros).containsExactly(tuple("j1", 3_000_000L));
        assertThat(read(views, View.MEDIA_MINUTES, at("10:00:00"), at("12:00:00")))
                .extracting(CostRecord::getJobId, CostRecord::getAmountMicros).containsExactly(tuple("v1", 100_000L));
        assertThat(read(views, View.ESTIMATES, at("10:00:00"), at("12:00:00")))
                .extracting(CostRecord::getJobId, CostRecord::getEstimateMicros)
                .containsExactly(tuple("v1", 2_500_000L));
        assertThat(read(views, View.PROVIDER_OPTIONS, at("10:00:00"), at("12:10:00"))).isNotEmpty()
                .allSatisfy(option -> assertThat(option.getKind()).isEqualTo(CostKind.PROVIDER_OPTION));
        assertThat(read(views, View.ESTIMATE_ACCURACY, at("10:00:00"), at("12:10:00"))).hasSize(1);

        // the sink stops the scan
        List<CostRecord> first = new ArrayList<>();
        CostViews.read(views, View.DEVICE_HOURS, at("10:00:00").toEpochMilli(), at("12:00:00").toEpochMilli(),
                record -> first.add(record) && false);
        assertThat(first).hasSize(1);
    }

    @Test
    void aBudgetIsFoundByAnyTimeInItsPeriodAndOnlyItsLatestSpendIsKept() {
        CostHarness costs = twoJobs(Map.of());
        ReadOnlyKeyValueStore<String, CostRecord> views = costs.view(CostViews.STORE);
        // written at the close of hours 10 and 11; one record per project and period remains, with the latest spend
        assertThat(costs.costs(CostKind.BUDGET)).hasSizeGreaterThan(2);
        assertThat(read(views, View.BUDGETS, at("11:30:00"), at("11:31:00")))
                .extracting(record -> record.getLabels().get("budget_period"), CostRecord::getWindowStart,
                        CostRecord::getAmountMicros)
                .containsExactly(tuple("month", Instant.parse("2026-11-01T00:00:00Z"), 6_000_000L),
                        tuple("day", Instant.parse("2026-11-20T00:00:00Z"), 6_000_000L));
        assertThat(read(views, View.BUDGETS, Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-02T00:00:00Z"))).isEmpty();
    }

    @Test
    void aJobsRecordsAreFoundByItsId() {
        CostHarness costs = twoJobs(Map.of());
        ReadOnlyKeyValueStore<String, CostRecord> byJob = costs.view(CostViews.BY_JOB_STORE);

        assertThat(CostViews.job(byJob, "v1")).extracting(CostRecord::getKind)
                .containsExactly(CostKind.ESTIMATE, CostKind.JOB, CostKind.MEDIA_MINUTE);
        assertThat(CostViews.job(byJob, "j1")).extracting(CostRecord::getKind).containsExactly(CostKind.JOB);
        assertThat(CostViews.job(byJob, "j")).isEmpty();
    }

    @Test
    void recordsOlderThanTheRetentionAreDeletedButACurrentBudgetStays() {
        CostHarness costs = twoJobs(Map.of(CostConfig.VIEW_RETENTION_CONFIG, "2h"));
        ReadOnlyKeyValueStore<String, CostRecord> views = costs.view(CostViews.STORE);
        assertThat(read(views, View.DEVICE_HOURS, at("10:00:00"), at("12:00:00"))).hasSize(3);

        // the hourly purge at 14:00 deletes what is older than 12:00; hour 13 closes (and its budgets are written
        // again) only at 14:05
        costs.runUntil(at("14:02:00"));

        assertThat(read(views, View.DEVICE_HOURS, at("00:00:00"), at("14:02:00"))).isEmpty();
        assertThat(read(views, View.JOBS, at("00:00:00"), at("14:02:00"))).isEmpty();
        assertThat(CostViews.job(costs.view(CostViews.BY_JOB_STORE), "v1")).isEmpty();
        assertThat(read(views, View.BUDGETS, at("14:00:00"), at("14:02:00")))
                .extracting(record -> record.getLabels().get("budget_period")).containsExactly("month", "day");
    }

    @Test
    void aJobCostedAgainReplacesItsEarlierRecordAndIdsThatArePrefixesStayApart() {
        String scope = "cost-views-" + UUID.randomUUID();
        Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                AvroSerdeConfig.MOCK_URL_PREFIX + scope);
        SpecificAvroSerde<CostRecord> serde = SpecificAvroSerde.forValues(CostRecord.class, serdeConfig);
        StreamsBuilder builder = new StreamsBuilder();
        CostViews.builders(serde).forEach(builder::addStateStore);
        builder.stream("in", Consumed.with(Serdes.String(), serde))
                .processValues(() -> new CostViews.Recorder(Duration.ofDays(90)), CostViews.STORES)
                .to("out", Produced.with(Serdes.String(), serde));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cost-views-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, at("13:00:00"))) {
            TestInputTopic<String, CostRecord> in = driver.createInputTopic("in", new StringSerializer(),
                    serde.serializer());
            in.pipeInput("j 1", jobCost("j 1", at("10:00:00"), 1_000_000L));
            in.pipeInput("j", jobCost("j", at("11:00:00"), 2_000_000L));
            in.pipeInput("j 1", jobCost("j 1", at("12:00:00"), 3_000_000L)); // costed again, another end

            ReadOnlyKeyValueStore<String, CostRecord> views = driver.getKeyValueStore(CostViews.STORE);
            assertThat(read(views, View.JOBS, at("00:00:00"), at("13:00:00")))
                    .extracting(CostRecord::getJobId, CostRecord::getAmountMicros)
                    .containsExactly(tuple("j", 2_000_000L), tuple("j 1", 3_000_000L));
            ReadOnlyKeyValueStore<String, CostRecord> byJob = driver.getKeyValueStore(CostViews.BY_JOB_STORE);
            assertThat(CostViews.job(byJob, "j")).extracting(CostRecord::getAmountMicros).containsExactly(2_000_000L);
            assertThat(CostViews.job(byJob, "j 1")).extracting(CostRecord::getAmountMicros)
                    .containsExactly(3_000_000L);
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static CostRecord jobCost(String jobId, Instant end, long micros) {
        return CostRecords.base(CostKind.JOB, end.minusSeconds(600).toEpochMilli(), end.toEpochMilli(), "EUR")
                .setProject("news").setJobId(jobId).setAmountMicros(micros).build();
    }
}
