package com.aima.metrics.cost;

import com.aima.metrics.streams.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The prices of GPU time and the projects' budgets, read from YAML (format: {@code docs/price-catalog.md}). Amounts
 * are in millionths of {@link #currency()}; times of day and date-only validity bounds are in the catalog's time zone.
 * A key is matched by provider and pricing model exactly and by GPU type case-insensitively. Immutable and
 * thread-safe.
 */
public final class PriceCatalog {

    /** The shipped sample catalog on the class path. */
    public static final String SAMPLE_RESOURCE = "cost/sample-catalog.yaml";

    private final String currency;
    private final ZoneId zone;
    /** Per key, its entries in file order; their validity periods do not overlap. */
    private final Map<Match, List<CatalogEntry>> entries;
    private final Set<PriceKey> keys;
    private final Map<String, Budget> budgets;

    PriceCatalog(String currency, ZoneId zone, List<CatalogEntry> entries, List<Budget> budgets) {
        this.currency = Objects.requireNonNull(currency, "currency");
        this.zone = Objects.requireNonNull(zone, "zone");
        Map<Match, List<CatalogEntry>> byKey = new LinkedHashMap<>();
        Set<PriceKey> spelled = new LinkedHashSet<>();
        for (CatalogEntry entry : entries) {
            List<CatalogEntry> same = byKey.computeIfAbsent(Match.of(entry.key()), match -> new ArrayList<>());
            if (same.isEmpty()) {
                // The first spelling of a GPU type stands for the key; later ones differ only in case.
                spelled.add(entry.key());
            }
            same.add(entry);
        }
        Map<Match, List<CatalogEntry>> frozen = new LinkedHashMap<>();
        byKey.forEach((match, list) -> frozen.put(match, List.copyOf(list)));
        this.entries = Map.copyOf(frozen);
        this.keys = Collections.unmodifiableSet(spelled);
        Map<String, Budget> byProject = new LinkedHashMap<>();
        budgets.forEach(budget -> byProject.put(budget.project(), budget));
        this.budgets = Collections.unmodifiableMap(byProject);
    }

    /** The shipped sample catalog, {@value #SAMPLE_RESOURCE}. */
    public static PriceCatalog sample() {
        return parse(Resources.text(SAMPLE_RESOURCE), SAMPLE_RESOURCE);
    }

    /** A catalog without prices or budgets, in EUR: every job is counted as unpriced. */
    public static PriceCatalog empty() {
        return parse("providers: {}\n", "the empty price catalog");
    }

    /** @throws IllegalArgumentException naming the file, the entry and the field that are wrong */
    public static PriceCatalog load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the cost catalog " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /**
     * @param source where the text comes from, for error messages
     * @throws IllegalArgumentException naming the source, the entry and the field that are wrong
     */
    public static PriceCatalog parse(String yaml, String source) {
        return new PriceCatalogParser(source).parse(yaml);
    }

    /** The ISO-4217 code of the currency that all amounts are in, e.g. {@code EUR}. */
    public String currency() {
        return currency;
    }

    /** The rate in force for {@code key} at {@code at}; empty when the catalog has no price for it then. */
    public Optional<Rate> rate(PriceKey key, Instant at) {
        return Optional.ofNullable(rateAt(entries.getOrDefault(Match.of(key), List.of()), at));
    }

    /**
     * Contiguous spans covering [from, to) in order, cut wherever the rate may change (schedule boundaries in the
     * catalog's time zone, validity starts/ends); rate null where no price is in force. Adjacent spans have different
     * rates. Empty list when from >= to.
     */
    public List<PriceSpan> spans(PriceKey key, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            return List.of();
        }
        List<CatalogEntry> candidates = entries.getOrDefault(Match.of(key), List.of());
        List<Instant> cuts = new ArrayList<>(cuts(candidates, from, to));
        List<PriceSpan> spans = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.size(); i++) {
            Rate rate = rateAt(candidates, cuts.get(i));
            PriceSpan last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
            if (last != null && Objects.equals(last.rate(), rate)) {
                spans.set(spans.size() - 1, new PriceSpan(last.start(), cuts.get(i + 1), rate));
            } else {
                spans.add(new PriceSpan(cuts.get(i), cuts.get(i + 1), rate));
            }
        }
        return List.copyOf(spans);
    }

    /** Every key the catalog has a price for, at any time, in file order (e.g. to compare providers). */
    public Set<PriceKey> keys() {
        return keys;
    }

    /** The budget of {@code project}, compared exactly; empty when the project has none. */
    public Optional<Budget> budget(String project) {
        return Optional.ofNullable(budgets.get(project));
    }

    /** All budgets, in file order. */
    public Collection<Budget> budgets() {
        return budgets.values();
    }

    private Rate rateAt(List<CatalogEntry> candidates, Instant at) {
        Objects.requireNonNull(at, "at");
        for (CatalogEntry entry : candidates) {
            if (entry.validAt(at)) {
                return entry.rateAt(LocalDateTime.ofInstant(at, zone));
            }
        }
        return null;
    }

    /** {@code from}, {@code to} and every instant in between at which the rate may change, sorted. */
    private TreeSet<Instant> cuts(List<CatalogEntry> candidates, Instant from, Instant to) {
        TreeSet<Instant> cuts = new TreeSet<>(List.of(from, to));
        // A day early: the end of a schedule on the previous local date ("24:00") may fall after from.
        LocalDate first = LocalDate.ofInstant(from, zone).minusDays(1);
        LocalDate last = LocalDate.ofInstant(to, zone);
        boolean scheduled = false;
        for (CatalogEntry entry : candidates) {
            addInside(cuts, entry.validFrom(), from, to);
            addInside(cuts, entry.validUntil(), from, to);
            for (PriceSchedule schedule : entry.schedules()) {
                scheduled = true;
                for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
                    for (Instant boundary : schedule.boundaries(date, zone)) {
                        addInside(cuts, boundary, from, to);
                    }
                }
            }
        }
        if (scheduled) {
            // When the clocks go back, local time jumps back into or out of a schedule without crossing its bounds.
            for (ZoneOffsetTransition t = zone.getRules().nextTransition(from);
                 t != null && t.getInstant().isBefore(to); t = zone.getRules().nextTransition(t.getInstant())) {
                cuts.add(t.getInstant());
            }
        }
        return cuts;
    }

    private static void addInside(TreeSet<Instant> cuts, Instant cut, Instant from, Instant to) {
        if (cut != null && cut.isAfter(from) && cut.isBefore(to)) {
            cuts.add(cut);
        }
    }

    /** A key as compared: the GPU type in lower case. */
    private record Match(String provider, String gpuType, String pricingModel) {
        static Match of(PriceKey key) {
            Objects.requireNonNull(key, "key");
            return new Match(key.provider(), key.gpuTypeKey(), key.pricingModel());
        }
    }
}
