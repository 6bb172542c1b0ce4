package com.aima.metrics.archive;

import java.io.IOException;
import org.apache.avro.generic.GenericRecord;

/**
 * Writes the records of one file, all of one schema, to the stream it was opened on. Output is a pure function of
 * the records appended: the same records give the same bytes. Not thread-safe.
 */
interface RecordEncoder {

    void append(GenericRecord record) throws IOException;

    /** Writes what is still buffered (the last block, the gzip trailer) and closes the stream. */
    void finish() throws IOException;
}
