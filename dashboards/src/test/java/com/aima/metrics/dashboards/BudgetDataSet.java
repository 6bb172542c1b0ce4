package com.aima.metrics.dashboards;

import static com.aima.metrics.dashboards.Records.metric;

import com.aima.metrics.dashboards.JobDataSet.Job;
import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.avro.specific.SpecificRecord;

/**
 * The projects' budgets as the cost engine reports them: BUDGET records per project and UTC day and month, and
 * {@code budget_used_percent} every minute with its hourly rollups. Spending comes from {@link JobDataSet}'s jobs
 * (charged at their start, where the engine charges hour by hour) on top of what each project had spent this month
 * before them.
 */
final class BudgetDataSet {

    private static final List<String> PROJECTS = JobDataSet.PROJECTS;
    private static final double[] MONTHLY_BUDGET_EUR = {300, 500, 200};
    private static final double[] DAILY_BUDGET_EUR = {25, 40, 15};
    /** What each project had spent this month before the data set's jobs: archive is past 80 % of its budget. */
    private static final double[] SPENT_BEFORE_EUR = {240, 150, 60};

    private final Instant now;
    private final List<Job> jobs;
    private final List<SpecificRecord> records = new ArrayList<>();

    private BudgetDataSet(Instant now, List<Job> jobs) {
        this.now = now;
        this.jobs = jobs;
    }

    static List<SpecificRecord> build(Instant now) {
        BudgetDataSet data = new BudgetDataSet(now, JobDataSet.jobs(now));
        data.budgets();
        return data.records;
    }

    /** BUDGET records per project and UTC day and month, and budget_used_percent every minute (raw and rollups). */
    private void budgets() {
        for (int p = 0; p < PROJECTS.size(); p++) {
            int project = p;
            String name = PROJECTS.get(p);
            Map<Instant, Double> spentByDay = new TreeMap<>();
            Map<Instant, Double> spentByMonth = new TreeMap<>();
            spentByMonth.put(monthStart(now), SPENT_BEFORE_EUR[p]);
            for (Job job : jobs) {
                if (job.project() == p) {
                    spentByDay.merge(dayStart(job.start()), job.amountMicros() / 1e6, Double::sum);
                    spentByMonth.merge(monthStart(job.start()), job.amountMicros() / 1e6, Double::sum);
                }
            }
            spentByDay.forEach((day, spent) -> records.add(budget(name, "day", day, day.plus(Duration.ofDays(1)),
                    spent, DAILY_BUDGET_EUR[project])));
            spentByMonth.forEach((month, spent) -> records.add(budget(name, "month", month,
                    month.atZone(ZoneOffset.UTC).plusMonths(1).toInstant(), spent, MONTHLY_BUDGET_EUR[project])));
            for (String period : List.of("day", "month")) {
                Map<String, String> labels = Map.of("project", name, "period", period);
                double budget = period.equals("day") ? DAILY_BUDGET_EUR[p] : MONTHLY_BUDGET_EUR[p];
                ToDoubleFunction<Instant> used = t -> 100 * spent(project, period, t) / budget;
                for (Instant t = now.minus(Duration.ofHours(6)); !t.isAfter(now); t = t.plus(FleetDataSet.SAMPLE)) {
                    records.add(metric("budget_used_percent", "percent", labels, t, used.applyAsDouble(t),
                            SourceKind.COST));
                }
                records.addAll(Records.hourly(now, "budget_used_percent", "percent", labels, used,
                        Duration.ofHours(48)));
            }
        }
    }

    private CostRecord budget(String project, String period, Instant start, Instant end, double spentEur,
                              double budgetEur) {
        long budgetMicros = Math.round(budgetEur * 1e6);
        return CostRecord.newBuilder().setKind(CostKind.BUDGET).setWindowStart(start).setWindowEnd(end)
                .setProject(project).setAmountMicros(Math.round(spentEur * 1e6)).setRatio(spentEur / budgetEur)
                .setLabels(Map.of("budget_period", period, "budget_micros", Long.toString(budgetMicros))).build();
    }

    /** What a project had spent in the day or month holding {@code t}, by then (jobs charged at their start). */
    private double spent(int project, String period, Instant t) {
        Instant from = period.equals("day") ? dayStart(t) : monthStart(t);
        double spent = period.equals("month") && from.equals(monthStart(now)) ? SPENT_BEFORE_EUR[project] : 0;
        for (Job job : jobs) {
            if (job.project() == project && !job.start().isBefore(from) && !job.start().isAfter(t)) {
                spent += job.amountMicros() / 1e6;
            }
        }
        return spent;
    }

    private static Instant dayStart(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS);
    }

    private static Instant monthStart(Instant t) {
        return t.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
    }
}
