package com.aima.metrics.local;

import com.aima.metrics.cost.CostConfig;
import com.aima.metrics.cost.PriceCatalog;
import com.aima.metrics.streams.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The cost engine of the local run: which price catalog it charges by, and its settings.
 *
 * @param file    the catalog file the engine reads ({@code costs.catalog.file}), absolute
 * @param catalog that file's content, for the banner and the demo jobs' estimates
 * @param sample  whether it is the copy of the shipped sample catalog
 */
record LocalCosts(Path file, PriceCatalog catalog, boolean sample) {

    /** Name of the sample catalog's copy in the data directory. */
    static final String SAMPLE_FILE = "sample-catalog.yaml";

    /**
     * Settings of --demo-windows: a job's cost is written 10 s after its end instead of 5 min, and an hour's figures
     * 10 s after the hour. The engine's clock follows the wall clock after 10 s without job events (instead of 1 min)
     * and charges every 2 s, so a cost shows within about 20 s of a job's end. Budget use is published every 10 s.
     * The charged hours stay wall-clock hours: prices are per GPU-hour, so they cannot shrink like rollup windows.
     */
    static final Map<String, String> DEMO_WINDOWS = Map.of(
            CostConfig.SETTLE_CONFIG, "10s",
            CostConfig.IDLE_TIMEOUT_CONFIG, "10s",
            CostConfig.PUNCTUATE_INTERVAL_CONFIG, "2s",
            CostConfig.BUDGET_EMIT_INTERVAL_CONFIG, "10s");

    /**
     * The catalog to run with: {@code option} when given, otherwise the shipped sample ({@link
     * PriceCatalog#SAMPLE_RESOURCE}) copied to {@code dataDir}/{@value #SAMPLE_FILE}, afresh on each start (the engine
     * reads a file, not a class-path resource; a copy edited by hand is overwritten, use --price-catalog instead).
     *
     * @throws IllegalArgumentException naming the file, entry and field when the catalog is invalid or unreadable
     */
    static LocalCosts prepare(Path option, Path dataDir) {
        if (option != null) {
            Path file = option.toAbsolutePath().normalize();
            return new LocalCosts(file, PriceCatalog.load(file), false);
        }
        Path file = dataDir.resolve(SAMPLE_FILE);
        try {
            Files.createDirectories(dataDir);
            Files.writeString(file, Resources.text(PriceCatalog.SAMPLE_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the sample price catalog to " + file + ": " + e, e);
        }
        return new LocalCosts(file, PriceCatalog.load(file), true);
    }

    /** The streams app's {@code costs.*} settings. */
    Map<String, String> settings(boolean demoWindows) {
        Map<String, String> settings = new HashMap<>();
        settings.put(CostConfig.CATALOG_FILE_CONFIG, file.toString());
        if (demoWindows) {
            settings.putAll(DEMO_WINDOWS);
        }
        return settings;
    }

    /** The banner's line, e.g. {@code   price catalog     /data/sample-catalog.yaml (the shipped sample; ...)}. */
    String bannerLine() {
        return "  price catalog     " + file + " (" + (sample ? "the shipped sample, copied on each start; " : "")
                + catalog.keys().size() + " prices, " + catalog.budgets().size() + " budgets, "
                + catalog.currency() + "; costs print as [cost job] and [cost summary])";
    }
}
