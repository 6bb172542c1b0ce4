package com.aima.metrics.collector.publish;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spool file, named after the sequence number of its first record ({@code 00000000000000000042.spool}): an 8-byte
 * header (magic {@code AIMS}, format version), then records framed as {@code [int payload length][int CRC32C of the
 * length and the payload][payload]}, big-endian. Only the last segment of a spool takes appends. Not thread-safe:
 * {@link DiskSpool} guards it.
 */
final class Segment {

    static final String SUFFIX = ".spool";
    static final int HEADER_BYTES = 8;
    /** Length and CRC in front of every payload. */
    static final int RECORD_OVERHEAD = 8;
    /** Larger lengths are taken for corruption, not read. */
    static final int MAX_PAYLOAD_BYTES = 16 << 20;

    private static final Logger log = LoggerFactory.getLogger(Segment.class);
    private static final int MAGIC = 0x41494D53;
    private static final int VERSION = 1;

    private final Path path;
    private final long base;
    private long size;
    private long recordCount;
    private FileChannel appender;

    private Segment(Path path, long base, long size, long recordCount, FileChannel appender) {
        this.path = path;
        this.base = base;
        this.size = size;
        this.recordCount = recordCount;
        this.appender = appender;
    }

    static String fileName(long base) {
        return String.format("%020d%s", base, SUFFIX);
    }

    /** The base sequence of a segment file, or -1 when {@code file} is not named like one. */
    static long baseOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() != 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Creates a new, empty segment that takes appends. */
    static Segment create(Path dir, long base, boolean force) throws IOException {
        Path path = dir.resolve(fileName(base));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            writeHeader(channel);
            if (force) {
                channel.force(true);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Segment(path, base, HEADER_BYTES, 0, channel);
    }

    /**
     * Opens an existing segment and counts its records, checking each one's length and CRC. The first bad record
     * (a torn write after a crash, or damage) ends the segment: it and everything after it are logged and skipped, and
     * cut off the file when the segment is to take appends again ({@code active}).
     *
     * @throws IOException when the file cannot be read or its header is not a spool header
     */
    static Segment recover(Path path, boolean active) throws IOException {
        long base = baseOf(path);
        FileChannel channel = active
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            long fileSize = channel.size();
            if (fileSize < HEADER_BYTES) {
                // A crash while the segment was being created: it holds no record.
                log.warn("Spool segment {} has a torn header ({} bytes); it holds no records.", path, fileSize);
                if (active) {
                    channel.truncate(0);
                    writeHeader(channel);
                }
                return new Segment(path, base, HEADER_BYTES, 0, active ? channel : closed(channel));
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            channel.read(header, 0);
            header.flip();
            int magic = header.getInt();
            int version = header.getInt();
            if (magic != MAGIC || version != VERSION) {
                throw new IOException("The file " + path + " is not an AIMA spool segment of format version " + VERSION
                        + " (magic 0x" + Integer.toHexString(magic) + ", version " + version + ").");
            }
            long offset = HEADER_BYTES;
            long count = 0;
            try (SegmentReader reader = new SegmentReader(path)) {
                int length;
                while ((length = reader.check(offset, fileSize)) > 0) {
                    offset += length;
                    count++;
                }
            } catch (CorruptRecordException e) {
                log.warn("Spool segment {}: {}. Skipping the rest of the segment: {} bytes from offset {}, after record"
                                + " {} (sequence {}).", path, e.getMessage(), fileSize - offset, offset, count,
                        base + count);
                if (active) {
                    channel.truncate(offset);
                }
            }
            return new Segment(path, base, offset, count, active ? channel : closed(channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileChannel closed(FileChannel channel) throws IOException {
        channel.close();
        return null;
    }

    private static void writeHeader(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).flip();
        long position = 0;
        while (header.hasRemaining()) {
            position += channel.write(header, position);
        }
    }

    /** The framed size of a payload of {@code payloadBytes}. */
    static long framedSize(int payloadBytes) {
        return RECORD_OVERHEAD + (long) payloadBytes;
    }

    /** The payloads, framed with length and CRC, one after the other. */
    static ByteBuffer frame(List<byte[]> payloads) {
        long total = 0;
        for (byte[] payload : payloads) {
            total += framedSize(payload.length);
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("A batch of " + total + " bytes is too large for one append.");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) total);
        CRC32C crc = new CRC32C();
        for (byte[] payload : payloads) {
            int start = buffer.position();
            buffer.putInt(payload.length).putInt(0).put(payload);
            crc.reset();
            crc.update(buffer.array(), start, Integer.BYTES);
            crc.update(payload);
            buffer.putInt(start + Integer.BYTES, (int) crc.getValue());
        }
        return buffer.flip();
    }

    /**
     * Writes already framed records at the end of this segment, all or none: when the write fails part-way the file
     * is cut back to where it was.
     */
    void append(ByteBuffer framed, int records, boolean force) throws IOException {
        if (appender == null || !appender.isOpen()) {
            // Closed by an interrupted write of an earlier batch (ClosedByInterruptException): reopen.
            appender = FileChannel.open(path, StandardOpenOption.WRITE);
        }
        try {
            long position = size;
            while (framed.hasRemaining()) {
                position += appender.write(framed, position);
            }
            if (force) {
                appender.force(false);
            }
        } catch (IOException e) {
            undoPartialWrite();
            throw e;
        }
        size += framed.limit();
        recordCount += records;
    }

    private void undoPartialWrite() {
        // An interrupt closed the appender (ClosedByInterruptException); set it aside, or it closes this channel too.
        boolean interrupted = Thread.interrupted();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            log.warn("Cannot cut the spool segment {} back to {} bytes after a failed write; the next append"
                    + " overwrites the torn bytes, and a reopen skips what remains of them.", path, size, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void force() throws IOException {
        if (appender != null && appender.isOpen()) {
            appender.force(false);
        }
    }

    /** Ends appends to this segment. */
    void seal() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }

    /** Marks a record found corrupt while reading as the end of this segment. */
    void endAt(long offset, long records) {
        size = offset;
        recordCount = records;
    }

    void delete() throws IOException {
        seal();
        Files.deleteIfExists(path);
    }

    Path path() {
        return path;
    }

    long base() {
        return base;
    }

    /** Bytes of valid data, header included. */
    long size() {
        return size;
    }

    long recordCount() {
        return recordCount;
    }

    /** The sequence number the next record appended here gets. */
    long endSequence() {
        return base + recordCount;
    }
}
