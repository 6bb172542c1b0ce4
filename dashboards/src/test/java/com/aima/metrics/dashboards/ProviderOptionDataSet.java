package com.aima.metrics.dashboards;

import com.aima.metrics.dashboards.JobDataSet.Slot;
import com.aima.metrics.schema.AnalysisType;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * PROVIDER_OPTION records at every hour close of the last two days: the cost per unit of work of each priced option
 * of {@link JobDataSet#SLOTS} for each analysis type, the cheapest one marked. Spot capacity is cheaper at night
 * (UTC), which moves the cheapest option, as time-dependent prices do in the cost engine.
 */
final class ProviderOptionDataSet {

    private static final List<AnalysisType> TYPES = List.of(AnalysisType.VIDEO, AnalysisType.AUDIO,
            AnalysisType.IMAGE);
    /** Units of work (media minutes; jobs for images) per GPU-hour, for video, audio and image analysis. */
    private static final Map<String, double[]> UNITS_PER_GPU_HOUR = Map.of(
            "NVIDIA H100 80GB HBM3", new double[] {900, 3000, 60},
            "NVIDIA L4", new double[] {150, 800, 12},
            "NVIDIA GeForce RTX 4090", new double[] {400, 1800, 35});
    private static final double NIGHT_SPOT_FACTOR = 0.6;

    private ProviderOptionDataSet() {
    }

    static List<SpecificRecord> build(Instant now) {
        Map<String, Slot> options = new LinkedHashMap<>();
        for (Slot slot : JobDataSet.SLOTS) {
            options.putIfAbsent(slot.provider() + " " + slot.gpuType() + " " + slot.pricingModel(), slot);
        }
        List<SpecificRecord> records = new ArrayList<>();
        Instant last = now.truncatedTo(ChronoUnit.HOURS);
        for (Instant hour = last.minus(Duration.ofHours(47)); !hour.isAfter(last); hour = hour.plusSeconds(3600)) {
            boolean night = hour.atZone(ZoneOffset.UTC).getHour() < 7;
            for (AnalysisType type : TYPES) {
                List<CostRecord> byType = new ArrayList<>();
                for (Slot slot : options.values()) {
                    byType.add(option(hour, type, slot, night));
                }
                byType.stream().min(Comparator.comparingLong(CostRecord::getAmountMicros)).orElseThrow()
                        .getLabels().put("cheapest", "true");
                records.addAll(byType);
            }
        }
        return records;
    }

    private static CostRecord option(Instant hour, AnalysisType type, Slot slot, boolean night) {
        double units = UNITS_PER_GPU_HOUR.get(slot.gpuType())[TYPES.indexOf(type)];
        double eurPerGpuHour = slot.eurPerHour() * (night && slot.pricingModel().equals("spot") ? NIGHT_SPOT_FACTOR : 1)
                + (slot.local() ? slot.watts() / 1000 * JobDataSet.ELECTRICITY_EUR_PER_KWH : 0);
        Map<String, String> labels = new HashMap<>();
        labels.put("pricing_model", slot.pricingModel());
        labels.put("unit", type == AnalysisType.IMAGE ? "job" : "media_minute");
        labels.put("units_per_gpu_hour", String.format(Locale.ROOT, "%.4f", units));
        labels.put("cheapest", "false");
        return CostRecord.newBuilder().setKind(CostKind.PROVIDER_OPTION).setWindowStart(hour).setWindowEnd(hour)
                .setAnalysisType(type).setProvider(slot.provider()).setGpuType(slot.gpuType())
                .setAmountMicros(Math.round(eurPerGpuHour / units * 1e6)).setRatio(units).setLabels(labels).build();
    }
}
