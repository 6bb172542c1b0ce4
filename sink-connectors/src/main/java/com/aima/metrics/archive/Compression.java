package com.aima.metrics.archive;

/**
 * Compression of archived files. For Avro container files it picks the codec inside the file, so that the file stays
 * a readable Avro file; for JSON Lines and CSV it wraps the whole file in gzip.
 */
public enum Compression {
    NONE,
    /** gzip for jsonl and csv (extension {@code .gz} added); Avro's {@code deflate} codec for avro. */
    GZIP
}
