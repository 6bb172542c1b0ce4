package com.aima.metrics.cost;

import java.util.List;

/**
 * One device held by one job over [startMs, endMs): a run of the job (from a STARTED event to the next STARTED or its
 * final event) on one of its assigned devices. Derived from the job's events ({@link JobHistory#allocations}).
 *
 * @param endMs the next STARTED, the final event, or, while the job runs, the most a run is charged for
 * @param pids  the job's process ids on the device's node, for splitting a shared device by measured use; may be
 *              empty
 * @param key   what the device is priced by; null when the job named no provider or GPU type (unpriced)
 */
public record Allocation(String jobId, String device, long startMs, long endMs, List<String> pids, PriceKey key) {

    public Allocation {
        pids = List.copyOf(pids);
    }
}
