package com.aima.metrics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.cost.PriceCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which catalog the local run's cost engine charges by, and its settings. */
class LocalCostsTest {

    @TempDir
    Path data;

    @Test
    void withoutAnOptionTheShippedSampleIsCopiedAfreshIntoTheDataDirectory() throws IOException {
        Path copy = data.resolve("sample-catalog.yaml");
        Files.writeString(copy, "edited by hand");

        LocalCosts costs = LocalCosts.prepare(null, data);

        assertThat(costs.file()).isEqualTo(copy);
        assertThat(costs.sample()).isTrue();
        assertThat(Files.readString(copy)).contains("Simulated NVIDIA L4", "newsroom");
        assertThat(costs.catalog().keys()).isEqualTo(PriceCatalog.sample().keys());
        assertThat(costs.catalog().budgets()).hasSize(2);
        assertThat(costs.settings(false)).containsOnly(
                entry(CostConfig.CATALOG_FILE_CONFIG, copy.toString()));
        assertThat(costs.bannerLine()).startsWith("  price catalog     " + copy + " (the shipped sample, copied on each"
                + " start; " + PriceCatalog.sample().keys().size() + " prices, 2 budgets, EUR; costs print as");
    }

    @Test
    void aGivenCatalogIsUsedWhereItIs() throws IOException {
        Path file = data.resolve("mine.yaml");
        Files.writeString(file, "currency: EUR\nproviders:\n  local:\n    electricity_per_kwh: 0.30\n"
                + "    prices:\n      - gpu_type: Simulated NVIDIA L4\n        amortised_per_hour: 1.00\n");

        LocalCosts costs = LocalCosts.prepare(file, data.resolve("elsewhere"));

        assertThat(costs.file()).isEqualTo(file.toAbsolutePath());
        assertThat(costs.sample()).isFalse();
        assertThat(costs.bannerLine()).contains(file + " (1 prices, 0 budgets, EUR;");
        assertThat(data.resolve("elsewhere/sample-catalog.yaml")).doesNotExist();
    }

    @Test
    void demoWindowsMakeCostsShowWithinSeconds() {
        LocalCosts costs = LocalCosts.prepare(null, data);
        CostConfig config = new CostConfig(costs.settings(true));
        assertThat(config.settle()).hasSeconds(10);
        assertThat(config.idleTimeout()).hasSeconds(10);
        assertThat(config.punctuateInterval()).hasSeconds(2);
        assertThat(config.budgetEmitInterval()).hasSeconds(10);
        assertThat(config.catalog().keys()).isEqualTo(PriceCatalog.sample().keys());
    }

    @Test
    void anInvalidCatalogIsNamed() throws IOException {
        Path file = data.resolve("bad.yaml");
        Files.writeString(file, "currency: EUR\nproviders:\n  local:\n    prices:\n      - amortised_per_hour: 1\n");
        assertThatThrownBy(() -> LocalCosts.prepare(file, data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString());
    }
}
