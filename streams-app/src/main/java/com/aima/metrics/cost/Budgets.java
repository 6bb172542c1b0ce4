package com.aima.metrics.cost;

import com.aima.metrics.SeriesKey;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.schema.Source;
import com.aima.metrics.schema.SourceKind;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Spend per project and budget period, in the ledger store: each charged piece of GPU time adds its exact amount to
 * the UTC day and the UTC calendar month of the hour it was used in. From it come the BUDGET records at every hour
 * close and the series {@value #METRIC}{project, period} that the alert rules {@code budget_warning} and
 * {@code budget_exhausted} watch.
 */
final class Budgets {

    /** Derived metric: spend ÷ budget × 100 for the current UTC day or month. */
    static final String METRIC = "budget_used_percent";
    static final String DAY = "day";
    static final String MONTH = "month";
    private static final String PREFIX = "spend ";
    private static final Source SOURCE = Source.newBuilder().setHost("streams-app").setCollectorId("cost-engine")
            .setKind(SourceKind.COST).build();

    private final KeyValueStore<String, String> ledger;

    Budgets(KeyValueStore<String, String> ledger) {
        this.ledger = ledger;
    }

    /** Adds {@code micros} spent by {@code project} in the hour starting at {@code hourMs}. */
    void add(String project, long hourMs, BigDecimal micros) {
        if (project == null || micros.signum() == 0) {
            return;
        }
        for (String key : List.of(key(project, DAY, period(DAY, hourMs)), key(project, MONTH, period(MONTH, hourMs)))) {
            String before = ledger.get(key);
            ledger.put(key, (before == null ? micros : new BigDecimal(before).add(micros)).toPlainString());
        }
    }

    /** What {@code project} spent in the {@code period} (day or month) holding {@code timeMs}, exact micro-units. */
    BigDecimal spent(String project, String period, long timeMs) {
        String value = ledger.get(key(project, period, period(period, timeMs)));
        return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    }

    /**
     * BUDGET records for the day and month holding {@code hourMs}: one per project with a budget or with spend in
     * the month; a day record where the project has a daily budget or spent that day. Ratio is spend ÷ budget, null
     * without a budget for the period.
     */
    List<CostRecord> records(long hourMs, PriceCatalog catalog) {
        TreeSet<String> projects = new TreeSet<>();
        catalog.budgets().forEach(budget -> projects.add(budget.project()));
        String month = period(MONTH, hourMs);
        try (KeyValueIterator<String, String> it = ledger.prefixScan(PREFIX, new StringSerializer())) {
            while (it.hasNext()) {
                String[] parts = parse(it.next().key);
                if (parts[1].equals(MONTH) && parts[2].equals(month)) {
                    projects.add(parts[0]);
                }
            }
        }
        List<CostRecord> records = new ArrayList<>();
        for (String project : projects) {
            Budget budget = catalog.budget(project).orElse(null);
            records.add(record(project, MONTH, hourMs, budget == null ? null : budget.monthlyMicros(), catalog));
            BigDecimal today = spent(project, DAY, hourMs);
            if (budget != null && budget.dailyMicros() != null || today.signum() > 0) {
                records.add(record(project, DAY, hourMs, budget == null ? null : budget.dailyMicros(), catalog));
            }
        }
        return records;
    }

    private CostRecord record(String project, String period, long timeMs, Long budgetMicros, PriceCatalog catalog) {
        long[] bounds = bounds(period, timeMs);
        BigDecimal spent = spent(project, period, timeMs);
        return CostRecords.base(CostKind.BUDGET, bounds[0], bounds[1], catalog.currency()).setProject(project)
                .setAmountMicros(CostRecords.micros(spent))
                .setRatio(budgetMicros == null ? null : ratio(spent, budgetMicros))
                .setLabels(Map.of("budget_period", period, "budget_micros",
                        budgetMicros == null ? "none" : Long.toString(budgetMicros)))
                .build();
    }

    /** {@value #METRIC} of every budgeted project for the day and month holding {@code timeMs}. */
    List<MetricEvent> metrics(long timeMs, PriceCatalog catalog) {
        List<MetricEvent> events = new ArrayList<>();
        for (Budget budget : catalog.budgets()) {
            events.add(metric(budget.project(), MONTH, timeMs, budget.monthlyMicros()));
            if (budget.dailyMicros() != null) {
                events.add(metric(budget.project(), DAY, timeMs, budget.dailyMicros()));
            }
        }
        return events;
    }

    private MetricEvent metric(String project, String period, long timeMs, long budgetMicros) {
        return MetricEvent.newBuilder().setName(METRIC).setUnit("percent")
                .setValue(100 * ratio(spent(project, period, timeMs), budgetMicros))
                .setEventTime(Instant.ofEpochMilli(timeMs)).setLabels(Map.of("project", project, "period", period))
                .setSource(SOURCE).build();
    }

    /** The series key of a budget metric, the raw topic's record key. */
    static String seriesKey(MetricEvent event) {
        return SeriesKey.of(event.getName(), event.getLabels());
    }

    /** Forgets days older than 40 days and months older than 13 months before {@code timeMs}. */
    void purge(long timeMs) {
        String oldestDay = period(DAY, timeMs - 40L * 24 * Charging.HOUR_MS);
        String oldestMonth = YearMonth.from(LocalDate.ofInstant(Instant.ofEpochMilli(timeMs), ZoneOffset.UTC))
                .minusMonths(13).toString();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, String> it = ledger.prefixScan(PREFIX, new StringSerializer())) {
            while (it.hasNext()) {
                String key = it.next().key;
                String[] parts = parse(key);
                if (parts[2].compareTo(parts[1].equals(DAY) ? oldestDay : oldestMonth) < 0) {
                    old.add(key);
                }
            }
        }
        old.forEach(ledger::delete);
    }

    private static double ratio(BigDecimal spent, long budgetMicros) {
        return spent.divide(BigDecimal.valueOf(budgetMicros), MathContext.DECIMAL64).doubleValue();
    }

    /** {@code [project, period, value]} of a spend key; the project may hold spaces, the others do not. */
    private static String[] parse(String key) {
        String rest = key.substring(PREFIX.length());
        int last = rest.lastIndexOf(' ');
        int middle = rest.lastIndexOf(' ', last - 1);
        return new String[] {rest.substring(0, middle), rest.substring(middle + 1, last), rest.substring(last + 1)};
    }

    private static String key(String project, String period, String value) {
        return PREFIX + project + ' ' + period + ' ' + value;
    }

    /** The UTC day (2026-11-22) or month (2026-11) holding {@code timeMs}. */
    static String period(String period, long timeMs) {
        LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli(timeMs), ZoneOffset.UTC);
        return period.equals(DAY) ? date.toString() : YearMonth.from(date).toString();
    }

    /** [start, end) in ms of the UTC day or month holding {@code timeMs}. */
    static long[] bounds(String period, long timeMs) {
        LocalDate date = LocalDate.ofInstant(Instant.ofEpochMilli(timeMs), ZoneOffset.UTC);
        LocalDate start = period.equals(DAY) ? date : date.withDayOfMonth(1);
        LocalDate end = period.equals(DAY) ? start.plusDays(1) : start.plusMonths(1);
        return new long[] {start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
                end.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()};
    }
}
