package com.aima.metrics.archive;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * A closed file waiting for its upload: its key, its bytes ({@code length} bytes of {@code buffer}, never changed
 * again) and the offsets of the records it covers, {@code startOffset} up to but excluding {@code endOffset}.
 */
record CompletedFile(String key, String contentType, byte[] buffer, int length, long startOffset, long endOffset,
                     int records) {

    /** {@code length} bytes from {@code offset}, without copying; the stream supports mark and reset for retries. */
    InputStream slice(int offset, int length) {
        return new ByteArrayInputStream(buffer, offset, length);
    }

    @Override
    public String toString() {
        return key + " (" + records + " records, offsets " + startOffset + ".." + (endOffset - 1) + ", " + length
                + " bytes)";
    }
}
