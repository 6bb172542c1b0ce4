package com.aima.metrics.collector.publish;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads and checks the records of one segment file through a 64 KiB buffer, so that reading a run of small records
 * costs one system call per buffer, not two per record. Not thread-safe.
 */
final class SegmentReader implements Closeable {

    private static final int BUFFER_BYTES = 64 << 10;

    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).limit(0);
    private long bufferStart;

    SegmentReader(Path path) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    /**
     * Checks the record at {@code offset}.
     *
     * @param end where the segment's data ends; a record must lie wholly before it
     * @return the record's framed length in bytes, or 0 when {@code offset} is {@code end}
     * @throws CorruptRecordException when the record is cut off, has an impossible length or a wrong CRC
     */
    int check(long offset, long end) throws IOException {
        if (offset >= end) {
            return 0;
        }
        if (end - offset < Segment.RECORD_OVERHEAD) {
            throw new CorruptRecordException("record header cut off after " + (end - offset) + " bytes", offset);
        }
        fill(offset, Segment.RECORD_OVERHEAD, end);
        int at = (int) (offset - bufferStart);
        int length = buffer.getInt(at);
        if (length < 0 || length > Segment.MAX_PAYLOAD_BYTES
                || offset + Segment.framedSize(length) > end) {
            throw new CorruptRecordException("impossible record length " + length + " (" + (end - offset)
                    + " bytes left)", offset);
        }
        int framed = (int) Segment.framedSize(length);
        fill(offset, framed, end);
        at = (int) (offset - bufferStart);
        crc.reset();
        crc.update(buffer.array(), at, Integer.BYTES);
        crc.update(buffer.array(), at + Segment.RECORD_OVERHEAD, length);
        if ((int) crc.getValue() != buffer.getInt(at + Integer.BYTES)) {
            throw new CorruptRecordException("CRC mismatch in a record of " + length + " bytes", offset);
        }
        return framed;
    }

    /** The payload of the record at {@code offset}, which {@link #check} has just accepted. */
    byte[] payload(long offset) {
        int at = (int) (offset - bufferStart);
        byte[] payload = new byte[buffer.getInt(at)];
        buffer.get(at + Segment.RECORD_OVERHEAD, payload);
        return payload;
    }

    /** Makes {@code [offset, offset + length)} readable from the buffer. */
    private void fill(long offset, int length, long end) throws IOException {
        if (offset >= bufferStart && offset + length <= bufferStart + buffer.limit()) {
            return;
        }
        if (length > buffer.capacity()) {
            buffer = ByteBuffer.allocate(length);
        } else if (buffer.capacity() > BUFFER_BYTES && length <= BUFFER_BYTES) {
            buffer = ByteBuffer.allocate(BUFFER_BYTES);
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - offset));
        bufferStart = offset;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, offset + buffer.position());
            if (read < 0) {
                break;
            }
        }
        buffer.flip();
        if (buffer.limit() < length) {
            throw new CorruptRecordException("file ends " + buffer.limit() + " bytes after the record start", offset);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
