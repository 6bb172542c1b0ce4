package com.aima.metrics.cost;

import static com.aima.metrics.cost.CatalogFields.micros;
import static com.aima.metrics.cost.CatalogFields.onlyFields;
import static com.aima.metrics.cost.CatalogFields.positiveMicros;
import static com.aima.metrics.cost.CatalogFields.requiredText;
import static com.aima.metrics.cost.CatalogFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a {@link PriceCatalog} from YAML ({@code docs/price-catalog.md}). Unknown fields are errors, so that a typo
 * does not silently leave a price out; every error is a sentence naming the source, the entry and the field.
 */
final class PriceCatalogParser {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Keep amounts as written (6.880, not 6.88) for error messages; the value is the same.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            // A repeated key would otherwise silently replace the first one, e.g. a provider listed twice.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final List<String> ROOT_FIELDS = List.of("currency", "timezone", "providers", "budgets");
    private static final List<String> PROVIDER_FIELDS = List.of("electricity_per_kwh", "prices");
    private static final List<String> BUDGET_FIELDS = List.of("project", "monthly", "daily");

    private final String source;

    /** @param source where the text comes from, for error messages */
    PriceCatalogParser(String source) {
        this.source = source;
    }

    PriceCatalog parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cost catalog " + source + " is not valid YAML: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("cost catalog " + source
                    + ": expected a mapping with providers and optionally currency, timezone and budgets.");
        }
        String currency = at("", () -> {
            onlyFields(root, "the catalog", ROOT_FIELDS, Map.of());
            return currency(root);
        });
        ZoneId zone = at("", () -> zone(root));
        List<CatalogEntry> entries = providers(root.get("providers"), zone);
        List<Budget> budgets = budgets(root.get("budgets"));
        return new PriceCatalog(currency, zone, entries, budgets);
    }

    private static String currency(JsonNode root) {
        String code = text(root, "currency");
        if (code == null) {
            return "EUR";
        }
        try {
            if (code.matches("[A-Z]{3}")) {
                return Currency.getInstance(code).getCurrencyCode();
            }
        } catch (IllegalArgumentException unknown) {
            // reported below, as a code of the wrong shape is
        }
        throw new IllegalArgumentException("currency: '" + code
                + "' is not an ISO-4217 currency code (three upper-case letters, e.g. EUR).");
    }

    private static ZoneId zone(JsonNode root) {
        String id = text(root, "timezone");
        try {
            return id == null ? ZoneOffset.UTC : ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timezone: '" + id
                    + "' is not a time zone (a region such as Europe/Berlin, or UTC).", e);
        }
    }

    private List<CatalogEntry> providers(JsonNode providers, ZoneId zone) {
        if (providers == null || providers.isNull()) {
            throw at("", "providers: missing.");
        }
        if (!providers.isObject()) {
            throw at("", "providers: expected a mapping from provider ids to their prices.");
        }
        List<CatalogEntry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> provider : providers.properties()) {
            String id = provider.getKey().trim().toLowerCase(Locale.ROOT);
            String where = "providers." + id;
            if (!ids.add(id)) {
                throw at(where, "the provider is listed twice (provider ids ignore case).");
            }
            JsonNode node = provider.getValue();
            boolean local = PriceKey.LOCAL.equals(id);
            Long electricity = at(where, () -> {
                onlyFields(node, "a provider", PROVIDER_FIELDS,
                        local ? Map.of() : Map.of("electricity_per_kwh", CatalogEntryParser.NO_ELECTRICITY));
                if (local && micros(node, "electricity_per_kwh") == null) {
                    throw new IllegalArgumentException("electricity_per_kwh: missing; the local provider pays"
                            + " for the energy its GPUs measure.");
                }
                return local ? micros(node, "electricity_per_kwh") : null;
            });
            JsonNode prices = node.get("prices");
            if (prices == null || !prices.isArray()) {
                throw at(where, "prices: " + (prices == null || prices.isNull() ? "missing." : "expected a list."));
            }
            for (int i = 0; i < prices.size(); i++) {
                JsonNode price = prices.get(i);
                String label = CatalogEntryParser.label(where + ".prices[" + i + "]", price, local);
                CatalogEntry entry = at(label, () -> CatalogEntryParser.read(id, price, label, electricity, zone));
                for (CatalogEntry earlier : entries) {
                    if (sameKey(earlier.key(), entry.key()) && earlier.overlaps(entry)) {
                        throw at(entry.label(), "valid_from, valid_until: " + entry.validity() + " overlaps "
                                + earlier.label() + ", " + earlier.validity() + "; a key has one price at a time.");
                    }
                }
                entries.add(entry);
            }
        }
        return entries;
    }

    private List<Budget> budgets(JsonNode budgets) {
        if (budgets == null || budgets.isNull()) {
            return List.of();
        }
        if (!budgets.isArray()) {
            throw at("", "budgets: expected a list.");
        }
        List<Budget> parsed = new ArrayList<>();
        for (int i = 0; i < budgets.size(); i++) {
            JsonNode node = budgets.get(i);
            String project = node.isObject() ? text(node, "project") : null;
            String where = "budgets[" + i + "]" + (project == null ? "" : " (" + project + ")");
            Budget budget = at(where, () -> {
                onlyFields(node, "a budget", BUDGET_FIELDS, Map.of());
                Long monthly = positiveMicros(node, "monthly");
                if (monthly == null) {
                    throw new IllegalArgumentException("monthly: missing.");
                }
                return new Budget(requiredText(node, "project"), monthly, positiveMicros(node, "daily"));
            });
            for (int j = 0; j < parsed.size(); j++) {
                if (parsed.get(j).project().equals(budget.project())) {
                    throw at(where, "project: '" + budget.project() + "' already has a budget, budgets[" + j + "].");
                }
            }
            parsed.add(budget);
        }
        return parsed;
    }

    private static boolean sameKey(PriceKey a, PriceKey b) {
        return a.provider().equals(b.provider()) && a.gpuTypeKey().equals(b.gpuTypeKey())
                && a.pricingModel().equals(b.pricingModel());
    }

    /** Runs {@code reader}, naming the source and {@code where} (empty at the top level) in its error. */
    private <T> T at(String where, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix(where) + e.getMessage(), e);
        }
    }

    private IllegalArgumentException at(String where, String message) {
        return new IllegalArgumentException(prefix(where) + message);
    }

    private String prefix(String where) {
        return "cost catalog " + source + ": " + (where.isEmpty() ? "" : where + ": ");
    }
}
