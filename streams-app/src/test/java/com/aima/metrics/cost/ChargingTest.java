package com.aima.metrics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charging formula's edges that the topology tests do not reach. */
class ChargingTest {

    private static final long H = Charging.HOUR_MS;
    private static final PriceKey H100 = new PriceKey("aws", CostTopologyTest.H100, "on_demand");
    private static final PriceCatalog CATALOG = PriceCatalog.parse(CostTopologyTest.CATALOG, "test catalog");

    private static Allocation allocation(String job, long startMs, long endMs, PriceKey key) {
        return new Allocation(job, "GPU-a", startMs, endMs, List.of(), key);
    }

    @Test
    void aDeviceSplitThreeWaysChargesExactlyItsBusyTime() {
        Map<String, Charge> charges = Charging.charge(List.of(allocation("a", 0, H, H100),
                allocation("b", 0, H, H100), allocation("c", 0, H, H100)), DeviceSamples.NONE, CATALOG, 0, H);

        // thirds of 3600 s: the last job takes the remainder, so the sum is exactly the hour
        BigDecimal seconds = charges.values().stream().map(Charge::gpuSeconds).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        assertThat(seconds).isEqualByComparingTo("3600");
        BigDecimal amount = charges.values().stream().map(Charge::amountMicros).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        assertThat(amount).isCloseTo(new BigDecimal("4000000"), within(new BigDecimal("1e-20")));
        assertThat(CostRecords.micros(charges.get("a").amountMicros())).isEqualTo(1_333_333L);
    }

    @Test
    void processUseDecidesTheSplitOnlyWhenEveryJobWasMeasured() {
        Allocation a = new Allocation("a", "GPU-a", 0, H, List.of("1"), H100);
        Allocation b = new Allocation("b", "GPU-a", 0, H, List.of("2"), H100);
        DeviceSamples onlyA = new DeviceSamples(List.of(), Map.of("1", List.of(new TimedValue(0, 90))));
        DeviceSamples zero = new DeviceSamples(List.of(), Map.of("1", List.of(new TimedValue(0, 0)),
                "2", List.of(new TimedValue(0, 0))));

        assertThat(Charging.shares(List.of(a, b), onlyA, 0, H).values())
                .allSatisfy(share -> assertThat(share).isEqualByComparingTo("0.5"));
        assertThat(Charging.shares(List.of(a, b), zero, 0, H).values())
                .allSatisfy(share -> assertThat(share).isEqualByComparingTo("0.5"));
    }

    @Test
    void unknownKeysAreUnpricedTimeNotFreeTime() {
        Charge charge = Charging.charge(List.of(allocation("a", 0, H / 2, null)), DeviceSamples.NONE, CATALOG, 0, H)
                .get("a");

        assertThat(charge.priced()).isFalse();
        assertThat(charge.unpricedSeconds()).isEqualByComparingTo("1800");
        assertThat(charge.amountMicros()).isEqualByComparingTo("0");
    }

    @Test
    void anEnergyCounterResetCountsZeroForItsStepInsteadOfANegativeAmount() {
        EnergyCounter counter = new EnergyCounter(List.of(new TimedValue(0, 100), new TimedValue(10, 200),
                new TimedValue(20, 50), new TimedValue(30, 150)));

        assertThat(counter.joules(0, 30)).isEqualTo(200.0);
        assertThat(counter.joules(5, 10)).isEqualTo(50.0);
        assertThat(counter.covers(0, 30)).isTrue();
        assertThat(counter.covers(0, 31)).isFalse();
        assertThat(new EnergyCounter(List.of()).joules(0, 30)).isZero();
    }

    @Test
    void withoutACatalogEverythingIsUnpricedInEuro() {
        PriceCatalog empty = new CostConfig(Map.of()).catalog();

        assertThat(empty.keys()).isEmpty();
        assertThat(empty.budgets()).isEmpty();
        assertThat(empty.currency()).isEqualTo("EUR");
        assertThat(Charging.charge(List.of(allocation("a", 0, H, H100)), DeviceSamples.NONE, empty, 0, H).get("a")
                .priced()).isFalse();
    }

    @Test
    void anInvalidCatalogFileStopsTheStartNamingTheKey(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, "providers:\n  aws:\n    prices:\n      - gpu_type: X\n"
                + "        pricing_model: spot\n        price_per_gpu_hour: -1\n");

        assertThatThrownBy(() -> new CostConfig(
                        Map.of(CostConfig.CATALOG_FILE_CONFIG, file.toString())).catalog())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(CostConfig.CATALOG_FILE_CONFIG).hasMessageContaining("price_per_gpu_hour");
    }

    @Test
    void hoursAreUtcAndEpochAligned() {
        assertThat(Charging.hourOf(H + 1)).isEqualTo(H);
        assertThat(Charging.hourOf(-1)).isEqualTo(-H);
    }
}
