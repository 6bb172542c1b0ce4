package com.aima.metrics.cost;

import static com.aima.metrics.cost.CatalogFields.days;
import static com.aima.metrics.cost.CatalogFields.instant;
import static com.aima.metrics.cost.CatalogFields.micros;
import static com.aima.metrics.cost.CatalogFields.minuteOfDay;
import static com.aima.metrics.cost.CatalogFields.onlyFields;
import static com.aima.metrics.cost.CatalogFields.requiredMicros;
import static com.aima.metrics.cost.CatalogFields.requiredText;
import static com.aima.metrics.cost.CatalogFields.text;
import static com.aima.metrics.cost.CatalogFields.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one price entry of a provider's {@code prices} list, with its schedules. Errors start with the field
 * ({@code schedules[1].to: ...}); {@link PriceCatalogParser} adds the source and the entry.
 */
final class CatalogEntryParser {

    static final String NO_ELECTRICITY = "only the local provider pays electricity; a cloud price includes it.";
    private static final List<String> CLOUD_FIELDS = List.of("gpu_type", "pricing_model", "price_per_gpu_hour",
            "valid_from", "valid_until", "schedules");
    private static final List<String> LOCAL_FIELDS = List.of("gpu_type", "pricing_model", "amortised_per_hour",
            "valid_from", "valid_until", "schedules");
    private static final List<String> CLOUD_SCHEDULE_FIELDS = List.of("days", "from", "to", "price_per_gpu_hour");
    private static final List<String> LOCAL_SCHEDULE_FIELDS = List.of("days", "from", "to", "amortised_per_hour",
            "electricity_per_kwh");
    private static final List<String> CLOUD_MODELS = List.of("on_demand", "spot", "reserved");
    // A field of the other kind of entry gets its own explanation rather than "not a field".
    private static final Map<String, String> CLOUD_MISPLACED = Map.of(
            "amortised_per_hour", "only local GPUs are amortised; a cloud price is price_per_gpu_hour.",
            "electricity_per_kwh", NO_ELECTRICITY);
    private static final Map<String, String> LOCAL_MISPLACED = Map.of("price_per_gpu_hour",
            "a local GPU is priced by amortised_per_hour plus the provider's electricity_per_kwh.");

    private CatalogEntryParser() {
    }

    /**
     * @param label       where the entry is, kept in the entry for later messages (overlaps)
     * @param electricity the local provider's price per kWh in millionths; null for cloud providers
     * @param zone        the catalog's time zone, for date-only validity bounds
     */
    static CatalogEntry read(String provider, JsonNode node, String label, Long electricity, ZoneId zone) {
        boolean local = PriceKey.LOCAL.equals(provider);
        onlyFields(node, local ? "a local price" : "a cloud price", local ? LOCAL_FIELDS : CLOUD_FIELDS,
                local ? LOCAL_MISPLACED : CLOUD_MISPLACED);
        String gpuType = requiredText(node, "gpu_type");
        String model = pricingModel(node, local);
        Instant from = instant(node, "valid_from", zone);
        Instant until = instant(node, "valid_until", zone);
        if (from != null && until != null && !from.isBefore(until)) {
            throw new IllegalArgumentException("valid_from: " + text(node, "valid_from")
                    + " must be before valid_until " + text(node, "valid_until") + ".");
        }
        Rate rate = local ? new Rate(requiredMicros(node, "amortised_per_hour"), electricity)
                : new Rate(requiredMicros(node, "price_per_gpu_hour"), null);
        List<PriceSchedule> schedules = new ArrayList<>();
        JsonNode list = node.get("schedules");
        if (list != null && !list.isNull() && !list.isArray()) {
            throw new IllegalArgumentException("schedules: expected a list.");
        }
        for (int i = 0; list != null && i < list.size(); i++) {
            JsonNode schedule = list.get(i);
            schedules.add(within("schedules[" + i + "].", () -> schedule(schedule, local, rate)));
        }
        return new CatalogEntry(new PriceKey(provider, gpuType, model), label, from, until, rate, schedules);
    }

    /** {@code where} with the entry's GPU type and pricing model as written, when it has them. */
    static String label(String where, JsonNode node, boolean local) {
        String gpuType = node.isObject() ? text(node, "gpu_type") : null;
        if (gpuType == null) {
            return where;
        }
        String model = text(node, "pricing_model");
        model = model != null ? model : local ? PriceKey.OWNED : null;
        return where + " (" + gpuType + (model == null ? "" : ", " + model) + ")";
    }

    private static String pricingModel(JsonNode node, boolean local) {
        String model = text(node, "pricing_model");
        if (local) {
            if (model != null && !PriceKey.OWNED.equalsIgnoreCase(model)) {
                throw new IllegalArgumentException("pricing_model: '" + model + "' is not owned; local GPUs are"
                        + " owned (amortised hardware plus measured electricity).");
            }
            return PriceKey.OWNED;
        }
        if (model == null) {
            throw new IllegalArgumentException("pricing_model: missing; one of " + String.join(", ", CLOUD_MODELS)
                    + ".");
        }
        if (!CLOUD_MODELS.contains(model.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("pricing_model: '" + model + "' is not one of "
                    + String.join(", ", CLOUD_MODELS) + ".");
        }
        return model;
    }

    /** A local schedule keeps whichever of the entry's amortisation and electricity it does not set. */
    private static PriceSchedule schedule(JsonNode node, boolean local, Rate base) {
        onlyFields(node, local ? "a local schedule" : "a cloud schedule",
                local ? LOCAL_SCHEDULE_FIELDS : CLOUD_SCHEDULE_FIELDS, local ? LOCAL_MISPLACED : CLOUD_MISPLACED);
        Set<DayOfWeek> days = days(node, "days");
        int from = minuteOfDay(node, "from", 0);
        int to = minuteOfDay(node, "to", 24 * 60);
        if (from >= to) {
            throw new IllegalArgumentException("to: " + (node.has("to") ? text(node, "to") : "24:00")
                    + " must be after from " + (node.has("from") ? text(node, "from") : "00:00") + ".");
        }
        if (!local) {
            return new PriceSchedule(days, from, to, new Rate(requiredMicros(node, "price_per_gpu_hour"), null));
        }
        Long amortised = micros(node, "amortised_per_hour");
        Long electricity = micros(node, "electricity_per_kwh");
        if (amortised == null && electricity == null) {
            throw new IllegalArgumentException("electricity_per_kwh: missing; a local schedule sets"
                    + " electricity_per_kwh, amortised_per_hour or both.");
        }
        return new PriceSchedule(days, from, to, new Rate(amortised != null ? amortised : base.microsPerGpuHour(),
                electricity != null ? electricity : base.electricityMicrosPerKwh()));
    }
}
