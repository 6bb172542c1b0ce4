package com.aima.metrics.local;

import com.aima.metrics.schema.CostKind;
import com.aima.metrics.schema.CostRecord;
import com.aima.metrics.schema.MetricEvent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The local run's running cost summary: the JOB records seen since the run started, summed by project and by
 * provider, the number of unpriced jobs, and the latest month budget use per project. Pure: no I/O, no clock.
 * Thread-safe, because the cost monitor adds records and the raw-metrics monitor budget metrics, each from its own
 * thread.
 *
 * <p>Amounts are {@link CostRecord#getAmountMicros()}: integer millionths of the record's currency (micro-euros for
 * EUR). Sums are kept per currency, so that records written under an earlier catalog in another currency are never
 * added to these. A job line shows the record's amount exactly (six decimals); the summary rounds half-even to four,
 * enough for demo jobs that cost fractions of a cent. Budget use is spent / budget of the current UTC month, from
 * BUDGET records (written when an hour closes) and from {@value #BUDGET_METRIC} (published every
 * {@code costs.budget.emit.interval}); the one that arrived last wins.
 */
final class CostSummary {

    static final String JOB_PREFIX = "[cost job     ] ";
    static final String SUMMARY_PREFIX = "[cost summary] ";
    /** The cost engine's budget metric on the raw topic: percent (0 to 100 and beyond), labels project, period. */
    static final String BUDGET_METRIC = "budget_used_percent";
    private static final String MONTH = "month";

    /** project -> currency -> micros. */
    private final Map<String, Map<String, Long>> byProject = new TreeMap<>();
    /** provider -> currency -> micros. */
    private final Map<String, Map<String, Long>> byProvider = new TreeMap<>();
    /** project -> spent / budget of the current month (1.0 = 100 %). */
    private final Map<String, Double> monthRatio = new TreeMap<>();
    private long jobs;
    private long unpricedJobs;
    private long changes;

    /**
     * Counts a record: JOB records into the sums, month BUDGET records with a budget into the budget use; other
     * kinds are ignored.
     */
    synchronized void add(CostRecord record) {
        if (record.getKind() == CostKind.JOB) {
            String currency = record.getCurrency();
            add(byProject, or(record.getProject(), "(no project)"), currency, record.getAmountMicros());
            add(byProvider, or(record.getProvider(), "(no provider)"), currency, record.getAmountMicros());
            jobs++;
            if (!record.getPriced()) {
                unpricedJobs++;
            }
            changes++;
        } else if (record.getKind() == CostKind.BUDGET && record.getRatio() != null && record.getProject() != null
                && MONTH.equals(record.getLabels().get("budget_period"))) {
            budget(record.getProject(), record.getRatio());
        }
    }

    /** Takes the month budget use from a {@value #BUDGET_METRIC} event; ignores every other metric. */
    synchronized void add(MetricEvent metric) {
        String project = metric.getLabels().get("project");
        if (BUDGET_METRIC.equals(metric.getName()) && project != null
                && MONTH.equals(metric.getLabels().get("period")) && Double.isFinite(metric.getValue())) {
            budget(project, metric.getValue() / 100);
        }
    }

    private void budget(String project, double ratio) {
        Double before = monthRatio.put(project, ratio);
        if (before == null || before != ratio) {
            changes++;
        }
    }

    /** Grows whenever a later {@link #line()} would differ; for printing only on change. */
    synchronized long changes() {
        return changes;
    }

    /** JOB records counted so far. */
    synchronized long jobs() {
        return jobs;
    }

    /**
     * The summary, e.g. {@code [cost summary] by project: archive (budget month 0 %), newsroom 0.0123 EUR
     * (budget month 0.00062 %) | by provider: local 0.0123 EUR | jobs: 3, unpriced: 0}. A project with budget use
     * but no JOB record yet shows only its budget use: the currency of its amounts is not known yet.
     */
    synchronized String line() {
        TreeSet<String> projects = new TreeSet<>(byProject.keySet());
        projects.addAll(monthRatio.keySet());
        String perProject = projects.stream().map(project -> {
            String amount = byProject.containsKey(project) ? " " + amounts(byProject.get(project)) : "";
            Double ratio = monthRatio.get(project);
            return project + amount + (ratio == null ? "" : " (budget month " + percent(ratio) + ")");
        }).collect(Collectors.joining(", "));
        String perProvider = byProvider.entrySet().stream()
                .map(entry -> entry.getKey() + " " + amounts(entry.getValue())).collect(Collectors.joining(", "));
        return SUMMARY_PREFIX + "by project: " + (perProject.isEmpty() ? "-" : perProject) + " | by provider: "
                + (perProvider.isEmpty() ? "-" : perProvider) + " | jobs: " + jobs + ", unpriced: " + unpricedJobs;
    }

    /**
     * One JOB record as a line, e.g. {@code [cost job     ] newsroom/j-42 video on local Simulated NVIDIA L4:
     * 0.012300 EUR for 0.0500 GPU-h (COMPLETED)}; an unpriced one ends {@code (COMPLETED, unpriced: no_devices)}.
     * GPU-hours are the record's GPU seconds / 3600, four decimals.
     */
    static String jobLine(CostRecord job) {
        String outcome = or(job.getLabels().get("outcome"), "?");
        String problem = job.getLabels().get("problem");
        String type = job.getAnalysisType() == null ? "?" : job.getAnalysisType().name().toLowerCase(Locale.ROOT);
        return JOB_PREFIX + or(job.getProject(), "?") + "/" + or(job.getJobId(), "?") + " " + type + " on "
                + or(job.getProvider(), "?") + " " + or(job.getGpuType(), "?") + ": "
                + BigDecimal.valueOf(job.getAmountMicros()).movePointLeft(6).toPlainString() + " "
                + job.getCurrency() + " for " + String.format(Locale.ROOT, "%.4f", job.getGpuSeconds() / 3600)
                + " GPU-h (" + outcome + (job.getPriced() ? "" : ", unpriced: " + or(problem, "no price")) + ")";
    }

    /** Micro-units as currency units, four decimals half-even, e.g. 1234567 EUR -> {@code 1.2346 EUR}. */
    static String amount(long micros, String currency) {
        return BigDecimal.valueOf(micros).movePointLeft(6).setScale(4, RoundingMode.HALF_EVEN).toPlainString() + " "
                + currency;
    }

    /**
     * A ratio as percent, half-even: one decimal from 1 % up (1.2345 -> {@code 123.4 %}), two significant digits
     * below, so that the tiny use of a demo still shows (0.0000062 -> {@code 0.00062 %}).
     */
    static String percent(double ratio) {
        BigDecimal percent = new BigDecimal(Double.toString(ratio)).movePointRight(2);
        percent = percent.abs().compareTo(BigDecimal.ONE) >= 0 ? percent.setScale(1, RoundingMode.HALF_EVEN)
                : percent.round(new MathContext(2, RoundingMode.HALF_EVEN));
        return (percent.signum() == 0 ? "0" : percent.stripTrailingZeros().toPlainString()) + " %";
    }

    private static String amounts(Map<String, Long> byCurrency) {
        return byCurrency.entrySet().stream().map(entry -> amount(entry.getValue(), entry.getKey()))
                .collect(Collectors.joining(" + "));
    }

    private static void add(Map<String, Map<String, Long>> sums, String key, String currency, long micros) {
        sums.computeIfAbsent(key, k -> new TreeMap<>()).merge(currency, micros, Long::sum);
    }

    private static String or(CharSequence value, String absent) {
        return value == null ? absent : value.toString();
    }
}
