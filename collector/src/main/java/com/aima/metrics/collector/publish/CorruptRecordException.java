package com.aima.metrics.collector.publish;

import java.io.IOException;

/** A spool record that fails its length or CRC check: a torn write after a crash, or a damaged file. */
final class CorruptRecordException extends IOException {

    private final long offset;

    CorruptRecordException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Where in its segment file the bad record starts, in bytes. */
    long offset() {
        return offset;
    }
}
