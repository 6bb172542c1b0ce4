package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.api.Rows.AlertRow;
import com.aima.metrics.api.Rows.CostRow;
import com.aima.metrics.api.Rows.RawRow;
import com.aima.metrics.api.Rows.RollupRow;
import com.aima.metrics.cost.CostViews.View;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricRollup;
import com.aima.metrics.schema.RollupTier;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, String> LABELS = labels("node", "n1", "gpu", "0", "job", "j7");

    /** Labels in the order given (not sorted), to show that the outputs sort them. */
    private static Map<String, String> labels(String... nameValues) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            labels.put(nameValues[i], nameValues[i + 1]);
        }
        return labels;
    }

    private static final RawRow RAW = new RawRow("2026-12-08T10:00:00.000Z", "gpu_util", 87.5, "percent", LABELS);
    private static final RollupRow ROLLUP = new RollupRow("2026-12-08T10:00:00.000Z", "2026-12-08T11:00:00.000Z",
            "gpu_util", LABELS, "percent", "1h", 3600, 315000.0, 0.0, 100.0, 87.5, 90.0, 99.0, 100.0, false, 2);
    private static final AlertRow ALERT = new AlertRow("fp-1", "gpu_hot", "gpu_temp_celsius", LABELS, "CRITICAL",
            "FIRING", "2026-12-08T10:00:00.000Z", 91.0, "2026-12-08T10:05:00.000Z");

    // time

    @Test
    void timesAreUtcWithMilliseconds() {
        assertThat(Rows.time(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Rows.time(1)).isEqualTo("1970-01-01T00:00:00.001Z");
        assertThat(Rows.time(Instant.parse("2026-12-08T10:00:00Z").toEpochMilli()))
                .isEqualTo("2026-12-08T10:00:00.000Z");
        assertThat(Rows.time(Instant.parse("2026-12-08T23:59:59.5Z").toEpochMilli()))
                .isEqualTo("2026-12-08T23:59:59.500Z");
        assertThat(Rows.time(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
    }

    @Test
    void timesHaveOneWidthSoThatTheirTextOrderIsTheirTimeOrder() {
        Random random = new Random(20261208);
        long minMs = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
        long maxMs = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        List<Long> times = new ArrayList<>(List.of(minMs, maxMs, 0L, 999L, 1000L, 59_999L, 60_000L));
        for (int i = 0; i < 2000; i++) {
            times.add(random.nextLong(minMs, maxMs + 1));
            times.add(random.nextLong(0, 10_000)); // near one another: millis decide
        }
        for (long ms : times) {
            assertThat(Rows.time(ms)).hasSize(24);
            assertThat(Instant.parse(Rows.time(ms)).toEpochMilli()).isEqualTo(ms);
        }
        List<Long> byText = times.stream().sorted(Comparator.comparing(Rows::time)).toList();
        assertThat(byText).isEqualTo(times.stream().sorted().toList());
    }

    // CSV

    static Stream<Rows.Row> rows() {
        return Stream.of(RAW, ROLLUP, ALERT);
    }

    private static List<String> header(Rows.Row row) {
        if (row instanceof RawRow) {
            return RawRow.CSV_HEADER;
        }
        if (row instanceof RollupRow) {
            return RollupRow.CSV_HEADER;
        }
        return AlertRow.CSV_HEADER;
    }

    @ParameterizedTest
    @MethodSource("rows")
    void aCsvRecordHasAValueForEachHeaderColumn(Rows.Row row) {
        assertThat(row.csv()).hasSameSizeAs(header(row));
    }

    @Test
    void csvValuesFollowTheHeaderWithLabelsSortedByName() {
        assertThat(RAW.csv()).containsExactly("2026-12-08T10:00:00.000Z", "gpu_util", 87.5, "percent",
                "gpu=0,job=j7,node=n1");
        assertThat(ROLLUP.csv()).containsExactly("2026-12-08T10:00:00.000Z", "2026-12-08T11:00:00.000Z", "gpu_util",
                "gpu=0,job=j7,node=n1", "percent", "1h", 3600L, 315000.0, 0.0, 100.0, 87.5, 90.0, 99.0, 100.0, false,
                2);
        assertThat(ALERT.csv()).containsExactly("fp-1", "gpu_hot", "gpu_temp_celsius", "gpu=0,job=j7,node=n1",
                "CRITICAL", "FIRING", "2026-12-08T10:00:00.000Z", 91.0, "2026-12-08T10:05:00.000Z");
    }

    @Test
    void labelTextIsEmptyWithoutLabels() {
        assertThat(Rows.labelText(Map.of())).isEmpty();
        assertThat(new RawRow("2026-12-08T10:00:00.000Z", "up", 1, "", Map.of()).csv()).last().isEqualTo("");
    }

    @Test
    void anAlertWithoutSeverityHasACsvRecord() {
        AlertRow unknownRule = new AlertRow("fp-1", "gpu_hot", "gpu_temp_celsius", LABELS, null, "FIRING",
                "2026-12-08T10:00:00.000Z", 91.0, "2026-12-08T10:05:00.000Z");
        assertThat(unknownRule.csv()).hasSameSizeAs(AlertRow.CSV_HEADER);
    }

    // JSON

    @ParameterizedTest
    @MethodSource("rows")
    void jsonFieldsAreTheHeaderColumnsInOrder(Rows.Row row) throws JsonProcessingException {
        JsonNode json = JSON.readTree(JSON.writeValueAsString(row));
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).isEqualTo(header(row));
    }

    @Test
    void jsonValuesAreTheRowsValues() throws JsonProcessingException {
        JsonNode raw = JSON.readTree(JSON.writeValueAsString(RAW));
        assertThat(raw.get("timestamp").asText()).isEqualTo("2026-12-08T10:00:00.000Z");
        assertThat(raw.get("value").asDouble()).isEqualTo(87.5);
        assertThat(raw.get("labels").get("gpu").asText()).isEqualTo("0");

        JsonNode rollup = JSON.readTree(JSON.writeValueAsString(ROLLUP));
        assertThat(rollup.get("final").isBoolean()).isTrue();
        assertThat(rollup.get("final").asBoolean()).isFalse();
        assertThat(rollup.get("percentile_95").asDouble()).isEqualTo(99.0);
        assertThat(rollup.get("count").asLong()).isEqualTo(3600);
    }

    @ParameterizedTest
    @MethodSource("rows")
    void jsonReadsBackToAnEqualRow(Rows.Row row) throws JsonProcessingException {
        assertThat(JSON.readValue(JSON.writeValueAsString(row), row.getClass())).isEqualTo(row);
    }

    // rollups

    @Test
    void aRollupRowCarriesTheRollupsFields() {
        MetricRollup rollup = MetricRollup.newBuilder()
                .setName("gpu_util")
                .setUnit("percent")
                .setLabels(Map.of("gpu", "0"))
                .setTier(RollupTier.HOUR)
                .setWindowStart(Instant.parse("2026-12-08T10:00:00Z"))
                .setWindowEnd(Instant.parse("2026-12-08T11:00:00Z"))
                .setCount(4)
                .setSum(10)
                .setMin(1)
                .setMax(4)
                .setAvg(2.5)
                .setP50(2)
                .setP95(4)
                .setP99(4)
                .setSketch(ByteBuffer.allocate(0))
                .setRevision(1)
                .setFinal$(true)
                .build();

        assertThat(RollupRow.of(rollup, "1h")).isEqualTo(new RollupRow("2026-12-08T10:00:00.000Z",
                "2026-12-08T11:00:00.000Z", "gpu_util", Map.of("gpu", "0"), "percent", "1h", 4, 10, 1, 4, 2.5, 2, 4,
                4, true, 1));
    }

    // costs

    @Test
    void aCostRowCarriesMoneyExactlyInCurrencyUnitsAndGpuTimeInHours() throws JsonProcessingException {
        CostRecord record = CostRecord.newBuilder()
                .setKind(CostKind.ESTIMATE)
                .setWindowStart(Instant.parse("2026-12-08T10:00:00Z"))
                .setWindowEnd(Instant.parse("2026-12-08T10:45:00Z"))
                .setProject("news")
                .setJobId("v1")
                .setProvider("aws")
                .setGpuType("NVIDIA H100 80GB HBM3")
                .setAnalysisType(AnalysisType.VIDEO)
                .setGpuSeconds(2700)
                .setAmountMicros(3_000_001L)
                .setEstimateMicros(2_500_000L)
                .setRatio(0.2)
                .setLabels(Map.of("pricing_model", "on_demand"))
                .build();

        CostRow row = CostRow.of(View.ESTIMATES, record);

        assertThat(row.gpuHours()).isEqualTo(0.75);
        assertThat(row.amount()).isEqualByComparingTo("3.000001");
        assertThat(row.estimate().toPlainString()).isEqualTo("2.5");
        assertThat(row.analysisType()).isEqualTo("video");
        assertThat(row.energyJoules()).isNull();
        JsonNode json = JSON.readTree(JSON.writeValueAsString(row));
        assertThat(json.get("amount").decimalValue()).isEqualByComparingTo("3.000001");
        assertThat(json.get("view").asText()).isEqualTo("estimates");
        assertThat(json.get("energy_joules").isNull()).isTrue();
        assertThat(JSON.readValue(JSON.writeValueAsString(row), CostRow.class)).isEqualTo(row);
        assertThat(row.csv()).hasSameSizeAs(CostRow.CSV_HEADER);
        assertThat(row.csv().get(CostRow.CSV_HEADER.indexOf("amount"))).isEqualTo("3.000001");
        assertThat(row.csv().get(CostRow.CSV_HEADER.indexOf("labels"))).isEqualTo("pricing_model=on_demand");
    }

    @Test
    void wholeAmountsHaveNoFractionAndMicrosKeepTheirDigits() {
        assertThat(CostRow.money(3_000_000L).toPlainString()).isEqualTo("3");
        assertThat(CostRow.money(291_250L).toPlainString()).isEqualTo("0.29125");
        assertThat(CostRow.money(1L).toPlainString()).isEqualTo("0.000001");
        assertThat(CostRow.money(0L).toPlainString()).isEqualTo("0");
        assertThat(CostRow.money(-1_500_000L).toPlainString()).isEqualTo("-1.5");
    }
}
