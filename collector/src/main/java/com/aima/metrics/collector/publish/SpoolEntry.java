package com.aima.metrics.collector.publish;

/**
 * A record read from the spool: its sequence number, its payload, and the position just after it, which is what the
 * read position advances to once the record is acknowledged.
 */
record SpoolEntry(long sequence, byte[] payload, SpoolPosition next) {
}
