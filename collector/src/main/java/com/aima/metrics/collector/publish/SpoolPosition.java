package com.aima.metrics.collector.publish;

/**
 * A place in the spool: the record with sequence number {@code sequence}, which starts {@code offset} bytes into the
 * segment whose first record has sequence number {@code segmentBase}. Sequence numbers grow by one per record over the
 * whole life of a spool directory; positions compare by sequence.
 */
record SpoolPosition(long segmentBase, long offset, long sequence) {

    /** The first record of the segment starting at {@code segmentBase}. */
    static SpoolPosition startOf(long segmentBase) {
        return new SpoolPosition(segmentBase, Segment.HEADER_BYTES, segmentBase);
    }

    boolean isBefore(SpoolPosition other) {
        return sequence < other.sequence;
    }
}
