package com.aima.metrics.cost;

import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the engine learns from the last {@code costs.window.jobs} completed jobs, per analysis type and GPU type, in
 * the ledger store: how far actual costs were from estimates (ESTIMATE_ACCURACY), how much work a GPU-hour does,
 * and, for local GPUs, how much energy it takes. From throughput and the prices in force come the PROVIDER_OPTION
 * records (seed 004 section 6.2, seed 000 section 4.2): the cost of one unit of work, a media minute for video and
 * audio and a job for images, on every provider, GPU type and pricing model the catalog prices, the cheapest per
 * analysis type marked {@code cheapest=true}.
 */
final class RollingWindows {

    private static final String ESTIMATE = "window estimate ";
    private static final String THROUGHPUT = "window throughput ";
    private static final String ENERGY = "window energy ";
    private static final BigDecimal JOULES_PER_KWH = BigDecimal.valueOf(3_600_000L);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyValueStore<String, String> ledger;
    private final int size;

    RollingWindows(KeyValueStore<String, String> ledger, int size) {
        this.ledger = ledger;
        this.size = size;
    }

    /** The unit of work of an analysis type: a job for images, a media minute otherwise. */
    static String unit(AnalysisType type) {
        return type == AnalysisType.IMAGE ? "job" : "media_minute";
    }

    /**
     * Adds a completed job's relative deviation (actual − estimate) ÷ estimate and returns the window's
     * ESTIMATE_ACCURACY record: ratio = mean absolute deviation, labels {@code bias} (mean signed deviation) and
     * {@code jobs}.
     */
    CostRecord addEstimate(AnalysisType type, String gpuType, double deviation, long timeMs, String currency) {
        double[][] window = add(ESTIMATE + type + ' ' + PriceKey.gpuTypeKey(gpuType), new double[] {deviation});
        double absolute = Arrays.stream(window).mapToDouble(entry -> Math.abs(entry[0])).average().orElse(0);
        double bias = Arrays.stream(window).mapToDouble(entry -> entry[0]).average().orElse(0);
        return CostRecords.base(CostKind.ESTIMATE_ACCURACY, timeMs, timeMs, currency).setAnalysisType(type)
                .setGpuType(gpuType).setAmountMicros(0).setRatio(absolute)
                .setLabels(Map.of("bias", String.format(Locale.ROOT, "%.6f", bias),
                        "jobs", Integer.toString(window.length)))
                .build();
    }

    /** Adds a completed job's work ({@code units} of {@link #unit}) and GPU time. */
    void addThroughput(AnalysisType type, String gpuType, double units, double gpuSeconds) {
        add(THROUGHPUT + type + ' ' + PriceKey.gpuTypeKey(gpuType), new double[] {units, gpuSeconds});
    }

    /** Adds a local job's measured energy and GPU time. */
    void addEnergy(String gpuType, double joules, double gpuSeconds) {
        add(ENERGY + PriceKey.gpuTypeKey(gpuType), new double[] {joules, gpuSeconds});
    }

    /** PROVIDER_OPTION records priced at {@code timeMs}, for every analysis type with measured throughput. */
    List<CostRecord> providerOptions(PriceCatalog catalog, long timeMs) {
        Map<AnalysisType, List<CostRecord>> byType = new HashMap<>();
        Map<String, double[][]> throughputs = windows(THROUGHPUT);
        for (Map.Entry<String, double[][]> entry : throughputs.entrySet()) {
            int space = entry.getKey().indexOf(' ');
            AnalysisType type = AnalysisType.valueOf(entry.getKey().substring(0, space));
            String gpuKey = entry.getKey().substring(space + 1);
            double units = Arrays.stream(entry.getValue()).mapToDouble(value -> value[0]).sum();
            double gpuHours = Arrays.stream(entry.getValue()).mapToDouble(value -> value[1]).sum() / 3600;
            if (units <= 0 || gpuHours <= 0) {
                continue;
            }
            double unitsPerGpuHour = units / gpuHours;
            for (PriceKey key : catalog.keys()) {
                if (!key.gpuTypeKey().equals(gpuKey)) {
                    continue;
                }
                Rate rate = catalog.rate(key, Instant.ofEpochMilli(timeMs)).orElse(null);
                if (rate != null) {
                    byType.computeIfAbsent(type, t -> new ArrayList<>())
                            .add(option(type, key, rate, unitsPerGpuHour, timeMs, catalog.currency()));
                }
            }
        }
        List<CostRecord> records = new ArrayList<>();
        for (List<CostRecord> options : byType.values()) {
            CostRecord cheapest = options.stream().min(Comparator.comparingLong(CostRecord::getAmountMicros)
                    .thenComparing(record -> record.getProvider() + record.getGpuType())).orElseThrow();
            cheapest.getLabels().put("cheapest", "true");
            options.sort(Comparator.comparingLong(CostRecord::getAmountMicros));
            records.addAll(options);
        }
        return records;
    }

    private CostRecord option(AnalysisType type, PriceKey key, Rate rate, double unitsPerGpuHour, long timeMs,
                              String currency) {
        Map<String, String> labels = new HashMap<>();
        labels.put("pricing_model", key.pricingModel());
        labels.put("unit", unit(type));
        labels.put("units_per_gpu_hour", String.format(Locale.ROOT, "%.4f", unitsPerGpuHour));
        labels.put("cheapest", "false");
        BigDecimal perGpuHour = BigDecimal.valueOf(rate.microsPerGpuHour());
        if (rate.electricityMicrosPerKwh() != null) {
            double[][] energy = ledgerWindow(ENERGY + key.gpuTypeKey());
            double joules = Arrays.stream(energy).mapToDouble(value -> value[0]).sum();
            double seconds = Arrays.stream(energy).mapToDouble(value -> value[1]).sum();
            if (seconds > 0) {
                BigDecimal joulesPerGpuHour = BigDecimal.valueOf(joules * 3600 / seconds);
                perGpuHour = perGpuHour.add(joulesPerGpuHour.multiply(BigDecimal.valueOf(
                        rate.electricityMicrosPerKwh())).divide(JOULES_PER_KWH, MathContext.DECIMAL128));
            } else {
                labels.put("energy", "unmeasured");
            }
        }
        long perUnit = CostRecords.micros(perGpuHour.divide(BigDecimal.valueOf(unitsPerGpuHour),
                MathContext.DECIMAL128));
        return CostRecords.base(CostKind.PROVIDER_OPTION, timeMs, timeMs, currency).setAnalysisType(type)
                .setProvider(key.provider()).setGpuType(key.gpuType()).setAmountMicros(perUnit)
                .setRatio(unitsPerGpuHour).setLabels(labels).build();
    }

    private double[][] add(String key, double[] entry) {
        List<double[]> window = new ArrayList<>(Arrays.asList(ledgerWindow(key)));
        window.add(entry);
        while (window.size() > size) {
            window.remove(0);
        }
        double[][] next = window.toArray(double[][]::new);
        try {
            ledger.put(key, JSON.writeValueAsString(next));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the window " + key + ".", e);
        }
        return next;
    }

    private double[][] ledgerWindow(String key) {
        String value = ledger.get(key);
        try {
            return value == null ? new double[0][] : JSON.readValue(value, double[][].class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot read the window " + key + ": " + e.getMessage(), e);
        }
    }

    /** Every window under {@code prefix}, keyed by the rest of its key. */
    private Map<String, double[][]> windows(String prefix) {
        Map<String, double[][]> windows = new HashMap<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = ledger.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(key -> windows.put(key.substring(prefix.length()), ledgerWindow(key)));
        return windows;
    }
}
