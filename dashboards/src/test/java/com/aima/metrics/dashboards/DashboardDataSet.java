package com.aima.metrics.dashboards;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A realistic day of the platform as pipeline records, every timestamp relative to {@code now} and inside the
 * retention policy its record lands in: {@link FleetDataSet} (three GPU nodes: GPU, host and queue metrics, one lost
 * GPU, rollups in every tier, alerts) and {@link JobDataSet} (30 jobs of three projects on local and cloud GPUs, job
 * metrics and every kind of cost record).
 */
final class DashboardDataSet {

    private DashboardDataSet() {
    }

    static List<SpecificRecord> build(Instant now) {
        List<SpecificRecord> records = new ArrayList<>(FleetDataSet.build(now));
        records.addAll(JobDataSet.build(now));
        return records;
    }
}
