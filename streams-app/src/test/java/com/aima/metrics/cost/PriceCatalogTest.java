package com.aima.metrics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCatalogTest {

    private static final PriceKey H100_SPOT = new PriceKey("aws", "NVIDIA H100 80GB HBM3", "spot");
    private static final PriceKey L4 = new PriceKey("gcp", "NVIDIA L4", "on_demand");
    private static final PriceKey RTX = PriceKey.of("local", "NVIDIA GeForce RTX 4090", null);

    // --- lookups -------------------------------------------------------------------------------------------------

    @Test
    void looksUpRatesByKeyWithTheGpuTypeInAnyCase() {
        PriceCatalog catalog = parse(aws("""
                - gpu_type: NVIDIA H100 80GB HBM3
                  pricing_model: on_demand
                  price_per_gpu_hour: 6.88
                - gpu_type: NVIDIA H100 80GB HBM3
                  pricing_model: spot
                  price_per_gpu_hour: 2.5
                - gpu_type: Tesla T4
                  pricing_model: reserved
                  price_per_gpu_hour: 1234.123456
                - gpu_type: NVIDIA L4
                  pricing_model: SPOT
                  price_per_gpu_hour: 0.000001
                """));
        Instant now = Instant.parse("2026-05-01T10:00:00Z");

        assertThat(catalog.currency()).isEqualTo("EUR");
        assertThat(catalog.rate(new PriceKey("aws", "nvidia h100 80gb hbm3", "on_demand"), now))
                .contains(new Rate(6_880_000, null));
        assertThat(catalog.rate(new PriceKey("AWS", "NVIDIA H100 80GB HBM3", "Spot"), now))
                .contains(new Rate(2_500_000, null));
        assertThat(catalog.rate(new PriceKey("aws", "TESLA T4", "reserved"), now))
                .contains(new Rate(1_234_123_456, null));
        assertThat(catalog.rate(new PriceKey("aws", "NVIDIA L4", "spot"), now)).contains(new Rate(1, null));
        assertThat(catalog.rate(new PriceKey("aws", "NVIDIA H100 80GB HBM3", "reserved"), now)).isEmpty();
        assertThat(catalog.rate(new PriceKey("gcp", "NVIDIA H100 80GB HBM3", "spot"), now)).isEmpty();
        assertThat(catalog.keys()).containsExactly(new PriceKey("aws", "NVIDIA H100 80GB HBM3", "on_demand"),
                H100_SPOT, new PriceKey("aws", "Tesla T4", "reserved"), new PriceKey("aws", "NVIDIA L4", "spot"));
    }

    @Test
    void validityBoundsAreDatesInTheCatalogZoneOrInstants() {
        PriceCatalog catalog = parse("""
                timezone: Europe/Berlin
                providers:
                  gcp:
                    prices:
                      - gpu_type: NVIDIA L4
                        pricing_model: on_demand
                        price_per_gpu_hour: 0.70
                        valid_from: 2026-01-01     # 2025-12-31T23:00Z, CET
                        valid_until: 2026-07-01    # 2026-06-30T22:00Z, CEST
                      - gpu_type: nvidia l4
                        pricing_model: on_demand
                        price_per_gpu_hour: 0.65
                        valid_from: 2026-07-01
                        valid_until: 2026-08-01T12:00:00Z
                """);
        Rate old = new Rate(700_000, null);
        Rate current = new Rate(650_000, null);

        assertThat(catalog.rate(L4, Instant.parse("2025-12-31T22:59:59Z"))).isEmpty();
        assertThat(catalog.rate(L4, Instant.parse("2025-12-31T23:00:00Z"))).contains(old);
        assertThat(catalog.rate(L4, Instant.parse("2026-06-30T21:59:59Z"))).contains(old);
        assertThat(catalog.rate(L4, Instant.parse("2026-06-30T22:00:00Z"))).contains(current);
        assertThat(catalog.rate(L4, Instant.parse("2026-08-01T11:59:59Z"))).contains(current);
        assertThat(catalog.rate(L4, Instant.parse("2026-08-01T12:00:00Z"))).isEmpty();
        assertThat(catalog.keys()).containsExactly(L4);
        assertThat(catalog.spans(L4, Instant.parse("2026-06-30T00:00:00Z"), Instant.parse("2026-08-02T00:00:00Z")))
                .containsExactly(
                        span("2026-06-30T00:00:00Z", "2026-06-30T22:00:00Z", old),
                        span("2026-06-30T22:00:00Z", "2026-08-01T12:00:00Z", current),
                        span("2026-08-01T12:00:00Z", "2026-08-02T00:00:00Z", null));
    }

    @Test
    void spansHaveNullRatesWhereNoPriceIsInForce() {
        PriceCatalog catalog = parse("""
                providers:
                  gcp:
                    prices:
                      - gpu_type: NVIDIA L4
                        pricing_model: on_demand
                        price_per_gpu_hour: 0.70
                        valid_until: 2026-03-01
                      - gpu_type: NVIDIA L4
                        pricing_model: on_demand
                        price_per_gpu_hour: 0.70
                        valid_from: 2026-04-01
                """);
        Rate rate = new Rate(700_000, null);
        Instant from = Instant.parse("2026-02-28T12:00:00Z");
        Instant to = Instant.parse("2026-04-01T06:00:00Z");

        assertThat(catalog.spans(L4, from, to)).containsExactly(
                span("2026-02-28T12:00:00Z", "2026-03-01T00:00:00Z", rate),
                span("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", null),
                span("2026-04-01T00:00:00Z", "2026-04-01T06:00:00Z", rate));
        assertThat(catalog.spans(new PriceKey("gcp", "Tesla T4", "spot"), from, to))
                .containsExactly(new PriceSpan(from, to, null));
        assertThat(catalog.spans(L4, to, to)).isEmpty();
        assertThat(catalog.spans(L4, to, from)).isEmpty();
    }

    // --- schedules -----------------------------------------------------------------------------------------------

    @Test
    void weekendScheduleUntil2400CutsAtLocalMidnights() {
        PriceCatalog catalog = parse(berlinAws("""
                - gpu_type: NVIDIA H100 80GB HBM3
                  pricing_model: spot
                  price_per_gpu_hour: 2.90
                  schedules:
                    - days: [SAT, Sunday]
                      from: "00:00"
                      to: "24:00"
                      price_per_gpu_hour: 2.40
                """));
        Rate weekday = new Rate(2_900_000, null);
        Rate weekend = new Rate(2_400_000, null);

        // Friday 13 to Monday 16 March 2026, CET (UTC+1): the weekend is 2026-03-13T23:00Z to 2026-03-15T23:00Z.
        assertThat(catalog.spans(H100_SPOT, Instant.parse("2026-03-13T12:00:00Z"),
                Instant.parse("2026-03-16T12:00:00Z"))).containsExactly(
                span("2026-03-13T12:00:00Z", "2026-03-13T23:00:00Z", weekday),
                span("2026-03-13T23:00:00Z", "2026-03-15T23:00:00Z", weekend),
                span("2026-03-15T23:00:00Z", "2026-03-16T12:00:00Z", weekday));
        assertThat(catalog.rate(H100_SPOT, Instant.parse("2026-03-15T22:59:59Z"))).contains(weekend);
        assertThat(catalog.rate(H100_SPOT, Instant.parse("2026-03-15T23:00:00Z"))).contains(weekday);
    }

    @Test
    void theFirstMatchingScheduleWins() {
        PriceCatalog catalog = parse(berlinAws("""
                - gpu_type: NVIDIA H100 80GB HBM3
                  pricing_model: spot
                  price_per_gpu_hour: 3
                  schedules:
                    - days: [mon, tue, wed, thu, fri]
                      from: "08:00"
                      to: "18:00"
                      price_per_gpu_hour: 4
                    - from: "12:00"
                      to: "14:00"
                      price_per_gpu_hour: 1
                """));

        // Tuesday 10 March 2026, CET: 12:30 local is in both schedules, the first one wins.
        assertThat(catalog.rate(H100_SPOT, Instant.parse("2026-03-10T11:30:00Z"))).contains(new Rate(4_000_000, null));
        // Saturday: only the second applies.
        assertThat(catalog.rate(H100_SPOT, Instant.parse("2026-03-14T11:30:00Z"))).contains(new Rate(1_000_000, null));
        assertThat(catalog.rate(H100_SPOT, Instant.parse("2026-03-14T13:00:00Z"))).contains(new Rate(3_000_000, null));
    }

    @Test
    void schedulesFollowTheSpringDaylightSavingTimeChange() {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00Z), so the night of 01:00 to 04:00 lasts two hours.
        PriceCatalog catalog = assertDayAndNight("01:00", "04:00", "2026-03-28T12:00:00Z", "2026-03-29T00:00:00Z",
                "2026-03-29T02:00:00Z", "2026-03-29T23:00:00Z", "2026-03-30T02:00:00Z", "2026-03-30T12:00:00Z");
        assertThat(catalog.rate(H100_SPOT, Instant.parse("2026-03-29T01:30:00Z"))).contains(NIGHT_RATE);
    }

    @Test
    void schedulesFollowTheAutumnDaylightSavingTimeChange() {
        // 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00Z), so 02:30 to 03:00 local happens twice.
        assertDayAndNight("02:30", "03:00", "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z",
                "2026-10-25T01:30:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z");
    }

    @Test
    void localRatesAddTheElectricityPriceWithANightTariff() {
        PriceCatalog catalog = parse("""
                timezone: Europe/Berlin
                providers:
                  local:
                    electricity_per_kwh: 0.30
                    prices:
                      - gpu_type: NVIDIA GeForce RTX 4090
                        amortised_per_hour: 0.21
                        schedules:
                          - from: "22:00"
                            to: "24:00"
                            electricity_per_kwh: 0.22
                          - days: [saturday]
                            amortised_per_hour: 0.15
                """);

        assertThat(RTX.pricingModel()).isEqualTo(PriceKey.OWNED);
        // Tuesday 10 March 2026, CET.
        assertThat(catalog.rate(RTX, Instant.parse("2026-03-10T12:00:00Z"))).contains(new Rate(210_000, 300_000L));
        assertThat(catalog.rate(RTX, Instant.parse("2026-03-10T21:30:00Z"))).contains(new Rate(210_000, 220_000L));
        assertThat(catalog.rate(RTX, Instant.parse("2026-03-14T12:00:00Z"))).contains(new Rate(150_000, 300_000L));
        assertThat(catalog.spans(RTX, Instant.parse("2026-03-10T20:00:00Z"), Instant.parse("2026-03-11T01:00:00Z")))
                .containsExactly(
                        span("2026-03-10T20:00:00Z", "2026-03-10T21:00:00Z", new Rate(210_000, 300_000L)),
                        span("2026-03-10T21:00:00Z", "2026-03-10T23:00:00Z", new Rate(210_000, 220_000L)),
                        span("2026-03-10T23:00:00Z", "2026-03-11T01:00:00Z", new Rate(210_000, 300_000L)));
    }

    // --- the sample and budgets ----------------------------------------------------------------------------------

    @Test
    void theSampleLoadsAndPricesTheSimulatedGpus() {
        PriceCatalog sample = PriceCatalog.sample();
        Instant tuesdayNoon = Instant.parse("2026-03-10T11:00:00Z");

        assertThat(sample.currency()).isEqualTo("EUR");
        // SimulatedGpuSource.MODEL of the collector.
        assertThat(sample.rate(PriceKey.of("local", "Simulated NVIDIA L4", null), tuesdayNoon))
                .contains(new Rate(110_000, 300_000L));
        assertThat(sample.rate(RTX, Instant.parse("2026-03-10T22:00:00Z"))).contains(new Rate(210_000, 220_000L));
        assertThat(sample.rate(H100_SPOT, tuesdayNoon)).contains(new Rate(2_900_000, null));
        assertThat(sample.rate(H100_SPOT, Instant.parse("2026-03-14T11:00:00Z"))).contains(new Rate(2_400_000, null));
        assertThat(sample.keys()).extracting(PriceKey::provider).contains("aws", "gcp", "azure", "runpod", "local");
        assertThat(sample.budgets()).containsExactly(new Budget("newsroom", 2_000_000_000L, 100_000_000L),
                new Budget("archive", 500_000_000L, null));
    }

    @Test
    void budgetsByProject() {
        PriceCatalog catalog = parse(aws("") + """
                budgets:
                  - project: newsroom
                    monthly: 2000
                    daily: 99.5
                  - project: archive
                    monthly: 0.5
                """);

        assertThat(catalog.budget("newsroom")).contains(new Budget("newsroom", 2_000_000_000L, 99_500_000L));
        assertThat(catalog.budget("archive")).contains(new Budget("archive", 500_000L, null));
        assertThat(catalog.budget("sports")).isEmpty();
        assertThat(catalog.budgets()).extracting(Budget::project).containsExactly("newsroom", "archive");
        assertThat(catalog.keys()).isEmpty();
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.yaml");
        Files.writeString(file, aws(CLOUD.formatted("-1")));

        assertThatThrownBy(() -> PriceCatalog.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost catalog " + file + ": providers.aws.prices[0] (NVIDIA L4, spot): "
                        + "price_per_gpu_hour: -1 must not be negative.");
        assertThatThrownBy(() -> PriceCatalog.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("Cannot read the cost catalog " + dir.resolve("missing.yaml"));
        Files.writeString(file, aws(CLOUD.formatted("0.75")));
        assertThat(PriceCatalog.load(file).rate(new PriceKey("aws", "NVIDIA L4", "spot"), Instant.EPOCH))
                .contains(new Rate(750_000, null));
    }

    // --- validation ----------------------------------------------------------------------------------------------

    @Test
    void rejectsNegativePricesNamingTheEntry() {
        assertThatThrownBy(() -> parse(aws("""
                - gpu_type: NVIDIA H100 80GB HBM3
                  pricing_model: on_demand
                  price_per_gpu_hour: 6.88
                - gpu_type: NVIDIA L4
                  pricing_model: spot
                  price_per_gpu_hour: 0.3
                - gpu_type: NVIDIA H100 80GB HBM3
                  pricing_model: spot
                  price_per_gpu_hour: -1
                """))).isInstanceOf(IllegalArgumentException.class).hasMessage("cost catalog prices.yaml: "
                + "providers.aws.prices[2] (NVIDIA H100 80GB HBM3, spot): price_per_gpu_hour: -1 must not be negative.");
    }

    @Test
    void rejectsMoreThanSixDecimals() {
        assertFails(aws(CLOUD.formatted("0.1234567")),
                "providers.aws.prices[0] (NVIDIA L4, spot): price_per_gpu_hour: 0.1234567 has more than 6 decimals");
    }

    @Test
    void rejectsMissingFields() {
        assertFails(aws("- pricing_model: spot\n  price_per_gpu_hour: 1\n"),
                "providers.aws.prices[0]: gpu_type: missing.");
        assertFails(aws("- gpu_type: NVIDIA L4\n  pricing_model: spot\n"),
                "providers.aws.prices[0] (NVIDIA L4, spot): price_per_gpu_hour: missing.");
        assertFails("currency: EUR\n", "cost catalog prices.yaml: providers: missing.");
        assertFails("providers:\n  aws: {}\n", "providers.aws: prices: missing.");
        assertFails(aws("") + "budgets:\n  - project: newsroom\n", "budgets[0] (newsroom): monthly: missing.");
        assertFails(aws("") + "budgets:\n  - monthly: 10\n", "budgets[0]: project: missing.");
    }

    @Test
    void rejectsUnknownFields() {
        assertFails(aws(CLOUD.formatted("1") + "  price: 2\n"),
                "providers.aws.prices[0] (NVIDIA L4, spot): price: not a field of a cloud price");
        assertFails("currencies: EUR\n" + aws(""), "cost catalog prices.yaml: currencies: not a field of the catalog");
        assertFails("providers:\n  aws:\n    price: []\n", "providers.aws: price: not a field of a provider");
        assertFails(aws("") + "budgets:\n  - project: a\n    monthly: 1\n    weekly: 1\n",
                "budgets[0] (a): weekly: not a field of a budget");
        assertFails(berlinAws(NIGHT.formatted("01:00", "02:00") + "      price_per_gpu_hour_: 1\n"),
                "(NVIDIA H100 80GB HBM3, spot): schedules[0].price_per_gpu_hour_: not a field of a cloud schedule");
    }

    @Test
    void rejectsAnInvalidCurrency() {
        assertFails("currency: eur\n" + aws(""), "currency: 'eur' is not an ISO-4217 currency code");
        assertFails("currency: ABC\n" + aws(""), "currency: 'ABC' is not an ISO-4217 currency code");
    }

    @Test
    void rejectsAnUnknownTimeZone() {
        assertFails("timezone: Europe/Bärlin\n" + aws(""),
                "cost catalog prices.yaml: timezone: 'Europe/Bärlin' is not a time zone");
    }

    @Test
    void rejectsABadCloudPricingModel() {
        assertFails(aws("- gpu_type: NVIDIA L4\n  pricing_model: on-demand\n  price_per_gpu_hour: 1\n"),
                "providers.aws.prices[0] (NVIDIA L4, on-demand): pricing_model: 'on-demand' is not one of "
                        + "on_demand, spot, reserved.");
        assertFails(aws("- gpu_type: NVIDIA L4\n  price_per_gpu_hour: 1\n"),
                "providers.aws.prices[0] (NVIDIA L4): pricing_model: missing");
    }

    @Test
    void rejectsALocalPricingModelOtherThanOwned() {
        assertFails(local("  pricing_model: spot\n  amortised_per_hour: 0.2\n"),
                "providers.local.prices[0] (NVIDIA GeForce RTX 4090, spot): pricing_model: 'spot' is not owned");
    }

    @Test
    void rejectsPricesOfTheOtherKind() {
        assertFails(local("  price_per_gpu_hour: 0.2\n"),
                "providers.local.prices[0] (NVIDIA GeForce RTX 4090, owned): price_per_gpu_hour: a local GPU is "
                        + "priced by amortised_per_hour");
        assertFails(aws(CLOUD.formatted("1") + "  amortised_per_hour: 2\n"),
                "providers.aws.prices[0] (NVIDIA L4, spot): amortised_per_hour: only local GPUs are amortised");
        assertFails("providers:\n  aws:\n    electricity_per_kwh: 0.3\n    prices: []\n",
                "providers.aws: electricity_per_kwh: only the local provider pays electricity");
    }

    @Test
    void rejectsALocalProviderWithoutElectricity() {
        assertFails("providers:\n  local:\n    prices: []\n", "cost catalog prices.yaml: providers.local: "
                + "electricity_per_kwh: missing");
    }

    @Test
    void rejectsBadDaysAndTimes() {
        String entry = "- gpu_type: NVIDIA L4\n  pricing_model: spot\n  price_per_gpu_hour: 1\n  schedules:\n";
        String where = "providers.aws.prices[0] (NVIDIA L4, spot): schedules[0].";
        assertFails(aws(entry + "    - days: [weekend]\n      price_per_gpu_hour: 1\n"),
                where + "days: 'weekend' is not a weekday");
        assertFails(aws(entry + "    - days: []\n      price_per_gpu_hour: 1\n"), where + "days: expected a list");
        assertFails(aws(entry + "    - from: \"8:00\"\n      price_per_gpu_hour: 1\n"),
                where + "from: '8:00' is not a time HH:mm");
        assertFails(aws(entry + "    - to: \"24:30\"\n      price_per_gpu_hour: 1\n"),
                where + "to: '24:30' is not a time HH:mm");
        assertFails(aws(entry + "    - from: \"18:00\"\n      to: \"08:00\"\n      price_per_gpu_hour: 1\n"),
                where + "to: 08:00 must be after from 18:00.");
        assertFails(aws(entry + "    - from: \"08:00\"\n      to: \"08:00\"\n      price_per_gpu_hour: 1\n"),
                where + "to: 08:00 must be after from 08:00.");
        assertFails(aws(entry + "    - from: \"08:00\"\n"), where + "price_per_gpu_hour: missing.");
    }

    @Test
    void rejectsAnEmptyOrBadValidity() {
        assertFails(aws(CLOUD.formatted("1") + "  valid_from: 2027-01-01\n  valid_until: 2026-01-01\n"),
                "(NVIDIA L4, spot): valid_from: 2027-01-01 must be before valid_until 2026-01-01.");
        assertFails(aws(CLOUD.formatted("1") + "  valid_from: 2026-01-01T00:00:00Z\n  valid_until: 2026-01-01\n"),
                "(NVIDIA L4, spot): valid_from: 2026-01-01T00:00:00Z must be before valid_until 2026-01-01.");
        assertFails(aws(CLOUD.formatted("1") + "  valid_from: 2026-13-01\n"),
                "(NVIDIA L4, spot): valid_from: '2026-13-01' is neither a date");
    }

    @Test
    void rejectsOverlappingEntriesOfOneKey() {
        String first = CLOUD.formatted("1") + "  valid_until: 2026-07-01\n";
        assertFails(aws(first + """
                - gpu_type: nvidia l4
                  pricing_model: spot
                  price_per_gpu_hour: 2
                  valid_from: 2026-06-30
                """), "providers.aws.prices[1] (nvidia l4, spot): valid_from, valid_until: valid from "
                + "2026-06-30T00:00:00Z, open-ended overlaps providers.aws.prices[0] (NVIDIA L4, spot), valid since "
                + "always until 2026-07-01T00:00:00Z; a key has one price at a time.");
        assertFails(aws(CLOUD.formatted("1") + CLOUD.formatted("2")),
                "providers.aws.prices[1] (NVIDIA L4, spot): valid_from, valid_until: valid since always, open-ended "
                        + "overlaps providers.aws.prices[0] (NVIDIA L4, spot)");
        // Adjacent periods and other pricing models do not overlap.
        PriceCatalog catalog = parse(aws(first + CLOUD.formatted("2") + "  valid_from: 2026-07-01\n"
                + "- gpu_type: NVIDIA L4\n  pricing_model: on_demand\n  price_per_gpu_hour: 3\n"));
        assertThat(catalog.keys()).hasSize(2);
    }

    @Test
    void rejectsDuplicateAndNonPositiveBudgets() {
        assertFails(aws("") + "budgets:\n  - project: newsroom\n    monthly: 10\n  - project: newsroom\n"
                + "    monthly: 20\n", "budgets[1] (newsroom): project: 'newsroom' already has a budget, budgets[0].");
        assertFails(aws("") + "budgets:\n  - project: newsroom\n    monthly: 0\n",
                "budgets[0] (newsroom): monthly: 0 must be greater than zero.");
        assertFails(aws("") + "budgets:\n  - project: newsroom\n    monthly: 10\n    daily: -5\n",
                "budgets[0] (newsroom): daily: -5 must be greater than zero.");
    }

    @Test
    void rejectsInvalidYamlAndRepeatedKeys() {
        assertFails("providers: [", "cost catalog prices.yaml is not valid YAML");
        assertFails("providers:\n  aws:\n    prices: []\n  aws:\n    prices: []\n", "Duplicate field 'aws'");
        assertFails("providers:\n  aws:\n    prices: []\n  AWS:\n    prices: []\n",
                "providers.aws: the provider is listed twice");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** A cloud entry with its price left to format. */
    private static final String CLOUD = """
            - gpu_type: NVIDIA L4
              pricing_model: spot
              price_per_gpu_hour: %s
            """;
    /** A spot H100 at 2 with a night price of 1 from %s to %s local time. */
    private static final String NIGHT = """
            - gpu_type: NVIDIA H100 80GB HBM3
              pricing_model: spot
              price_per_gpu_hour: 2
              schedules:
                - from: "%s"
                  to: "%s"
                  price_per_gpu_hour: 1
            """;

    private static final Rate DAY_RATE = new Rate(2_000_000, null);
    private static final Rate NIGHT_RATE = new Rate(1_000_000, null);

    /**
     * Asserts that the {@link #NIGHT} price from {@code nightFrom} to {@code nightTo}, Berlin time, cuts the time from
     * the first to the last boundary into spans at every boundary: day, night, day, and so on. Returns the catalog.
     */
    private static PriceCatalog assertDayAndNight(String nightFrom, String nightTo, String... boundaries) {
        PriceCatalog catalog = parse(berlinAws(NIGHT.formatted(nightFrom, nightTo)));
        List<PriceSpan> expected = new ArrayList<>();
        for (int i = 0; i + 1 < boundaries.length; i++) {
            expected.add(span(boundaries[i], boundaries[i + 1], i % 2 == 0 ? DAY_RATE : NIGHT_RATE));
        }
        assertThat(catalog.spans(H100_SPOT, Instant.parse(boundaries[0]),
                Instant.parse(boundaries[boundaries.length - 1]))).containsExactlyElementsOf(expected);
        return catalog;
    }

    private static PriceCatalog parse(String yaml) {
        return PriceCatalog.parse(yaml, "prices.yaml");
    }

    private static void assertFails(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cost catalog prices.yaml").hasMessageContaining(message);
    }

    private static String aws(String entries) {
        return "providers:\n  aws:\n    prices:\n" + (entries.isEmpty() ? "      []\n" : entries.indent(6));
    }

    private static String berlinAws(String entries) {
        return "timezone: Europe/Berlin\n" + aws(entries);
    }

    private static String local(String fields) {
        return "providers:\n  local:\n    electricity_per_kwh: 0.3\n    prices:\n"
                + ("- gpu_type: NVIDIA GeForce RTX 4090\n" + fields).indent(6);
    }

    private static PriceSpan span(String start, String end, Rate rate) {
        return new PriceSpan(Instant.parse(start), Instant.parse(end), rate);
    }
}
