package com.aima.metrics.dashboards;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A realistic two days of the platform as pipeline records, every timestamp relative to {@code now} and inside the
 * retention policy its record lands in: {@link FleetDataSet} (three GPU nodes: GPU, host and queue metrics, one lost
 * GPU, rollups in every tier, alerts), {@link JobDataSet} (30 jobs of three projects on local and cloud GPUs, their
 * metrics and cost records), {@link BudgetDataSet} (the projects' budgets) and {@link ProviderOptionDataSet} (the
 * priced options per analysis type).
 */
final class DashboardDataSet {

    private DashboardDataSet() {
    }

    static List<SpecificRecord> build(Instant now) {
        List<SpecificRecord> records = new ArrayList<>(FleetDataSet.build(now));
        records.addAll(JobDataSet.build(now));
        records.addAll(BudgetDataSet.build(now));
        records.addAll(ProviderOptionDataSet.build(now));
        return records;
    }
}
