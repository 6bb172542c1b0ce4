package com.aima.metrics.collector.publish;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of byte records on local disk that keeps their order across restarts. Records are appended to
 * {@linkplain Segment segment files}; one reader takes them in order from a read cursor, and {@link #commit} moves the
 * persisted read position forward over records that need not be read again (those Kafka acknowledged). Reopening
 * the directory starts reading at the persisted position. When the spool would grow past its byte limit, the oldest
 * whole segment is dropped and the records in it that were never read are counted and logged.
 *
 * <p>Durability: with {@code forceEachAppend}, {@link #append} returns after {@code fsync}, so appended records
 * survive a power loss (about 0.7 ms per batch on the development machine's disk). Without it they survive a crash of
 * the process, and {@link #force()} writes them out. The read position is written on every commit without
 * {@code fsync} and forced on close: after a crash of the machine it may be older than the last commit, so records
 * may be read again, never skipped.
 *
 * <p>Thread-safe: appends may come from any thread; reading, rewinding and committing are meant for one thread.
 */
final class DiskSpool implements Closeable {

    static final String POSITION_FILE = "read-position";
    static final String LOCK_FILE = "lock";
    static final long MIN_SEGMENT_BYTES = 1024;

    private static final Logger log = LoggerFactory.getLogger(DiskSpool.class);

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final boolean forceEachAppend;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    private final PositionFile positionFile;
    private SpoolPosition committed;
    private SpoolPosition cursor;
    private SegmentReader reader;
    private long readerBase = -1;
    private long totalBytes;
    private long appendedRecords;
    private long droppedRecords;
    private boolean unforced;
    private boolean closed;

    private DiskSpool(Path dir, long maxBytes, long segmentBytes, boolean forceEachAppend, FileChannel lockChannel,
            FileLock dirLock, PositionFile positionFile) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.forceEachAppend = forceEachAppend;
        this.lockChannel = lockChannel;
        this.dirLock = dirLock;
        this.positionFile = positionFile;
    }

    /**
     * Opens the spool in {@code dir}, creating it when missing, and recovers what an earlier run left there.
     *
     * @param maxBytes        bytes the segment files may take together; at least twice {@code segmentBytes}
     * @param segmentBytes    size at which a segment is closed and a new one begun; at least 1 KiB
     * @param forceEachAppend whether {@link #append} forces the records to disk before it returns
     * @throws IOException           when the directory or a segment cannot be read or written, or holds a file named
     *                               like a segment that is not one
     * @throws IllegalStateException when another spool (of this or another process) has the directory open
     */
    static DiskSpool open(Path dir, long maxBytes, long segmentBytes, boolean forceEachAppend) throws IOException {
        if (segmentBytes < MIN_SEGMENT_BYTES || maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("A spool needs segments of at least " + MIN_SEGMENT_BYTES
                    + " bytes and a limit of at least two segments; got " + segmentBytes + " and " + maxBytes + ".");
        }
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock dirLock;
        try {
            dirLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            dirLock = null;
        }
        if (dirLock == null) {
            lockChannel.close();
            throw new IllegalStateException("The spool directory " + dir + " is in use by another publisher.");
        }
        DiskSpool spool = null;
        try {
            spool = new DiskSpool(dir, maxBytes, segmentBytes, forceEachAppend, lockChannel, dirLock,
                    new PositionFile(dir.resolve(POSITION_FILE)));
            spool.recover();
            return spool;
        } catch (IOException | RuntimeException e) {
            if (spool != null) {
                spool.closeQuietly();
            } else {
                lockChannel.close();
            }
            throw e;
        }
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(file -> Segment.baseOf(file) >= 0).sorted().toList();
        }
        for (int index = 0; index < files.size(); index++) {
            Segment segment = Segment.recover(files.get(index), index == files.size() - 1);
            segments.put(segment.base(), segment);
            totalBytes += segment.size();
        }
        SpoolPosition stored = positionFile.read();
        if (segments.isEmpty()) {
            Segment first = Segment.create(dir, stored == null ? 0 : stored.sequence(), forceEachAppend);
            segments.put(first.base(), first);
            totalBytes += first.size();
        }
        committed = resolve(stored);
        deleteSegmentsBefore(committed);
        cursor = committed;
        positionFile.write(committed);
        log.info("Opened the spool {}: {} records ({} bytes on disk) to send, from sequence {}.", dir, depthRecords(),
                totalBytes, committed.sequence());
    }

    /** Where reading starts, given the stored position (null when none was stored). */
    private SpoolPosition resolve(SpoolPosition stored) {
        Segment first = segments.firstEntry().getValue();
        if (stored == null) {
            return normalize(SpoolPosition.startOf(first.base()));
        }
        Segment segment = segments.get(stored.segmentBase());
        if (segment == null) {
            // Its segment is gone: dropped, or deleted once read, before the position reached the disk.
            Map.Entry<Long, Segment> next = segments.higherEntry(stored.segmentBase());
            SpoolPosition start = SpoolPosition.startOf(next == null ? first.base() : next.getKey());
            log.info("The spool's read position {} lies in a segment that no longer exists; reading from {}.", stored,
                    start);
            return normalize(start);
        }
        if (stored.offset() < Segment.HEADER_BYTES || stored.offset() > segment.size()
                || stored.sequence() - segment.base() > segment.recordCount()) {
            SpoolPosition end = new SpoolPosition(segment.base(), segment.size(), segment.endSequence());
            log.warn("The spool's read position {} lies beyond the valid records of {}; reading from {}.", stored,
                    segment.path(), end);
            return normalize(end);
        }
        return normalize(stored);
    }

    /** {@code position}, or the start of the next segment when it is the end of a segment that takes no appends. */
    private SpoolPosition normalize(SpoolPosition position) {
        SpoolPosition result = position;
        while (result.offset() >= segments.get(result.segmentBase()).size()) {
            Map.Entry<Long, Segment> next = segments.higherEntry(result.segmentBase());
            if (next == null) {
                break;
            }
            result = SpoolPosition.startOf(next.getKey());
        }
        return result;
    }

    /**
     * Appends {@code payloads} in order, all in one segment, and wakes the reader. When the spool is full, the oldest
     * segments are dropped first to make room.
     *
     * @throws IOException              when the records cannot be written; then none of them is in the spool
     * @throws IllegalArgumentException when a payload is larger than a segment
     * @throws IllegalStateException    when the spool is closed
     */
    void append(List<byte[]> payloads) throws IOException {
        if (payloads.isEmpty()) {
            return;
        }
        long largest = Segment.framedSize(payloads.stream().mapToInt(payload -> payload.length).max().orElse(0));
        if (largest + Segment.HEADER_BYTES > segmentBytes) {
            throw new IllegalArgumentException("A spool record of " + largest + " bytes does not fit in a segment of "
                    + segmentBytes + " bytes.");
        }
        var framed = Segment.frame(payloads);
        lock.lock();
        try {
            requireOpen();
            Segment active = segments.lastEntry().getValue();
            if (active.recordCount() > 0 && active.size() + framed.limit() > segmentBytes) {
                active = roll(active);
            }
            while (totalBytes + framed.limit() > maxBytes && segments.size() > 1) {
                dropOldest();
            }
            active.append(framed, payloads.size(), forceEachAppend);
            totalBytes += framed.limit();
            appendedRecords += payloads.size();
            unforced = !forceEachAppend;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Segment roll(Segment active) throws IOException {
        if (unforced) {
            active.force();
        }
        active.seal();
        Segment next = Segment.create(dir, active.endSequence(), forceEachAppend);
        if (forceEachAppend) {
            forceDirectory();
        }
        segments.put(next.base(), next);
        totalBytes += next.size();
        return next;
    }

    /** Makes a new segment's directory entry durable; where the platform cannot, the file's own fsync must do. */
    private void forceDirectory() {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            log.debug("Cannot fsync the spool directory {}.", dir, e);
        }
    }

    private void dropOldest() throws IOException {
        Segment oldest = segments.pollFirstEntry().getValue();
        SpoolPosition nextStart = SpoolPosition.startOf(segments.firstKey());
        long neverRead = 0;
        if (cursor.segmentBase() == oldest.base()) {
            neverRead = oldest.endSequence() - cursor.sequence();
            cursor = nextStart;
        }
        if (committed.segmentBase() == oldest.base()) {
            committed = nextStart;
            positionFile.write(committed);
        }
        if (readerBase == oldest.base()) {
            closeReader();
        }
        totalBytes -= oldest.size();
        oldest.delete();
        droppedRecords += neverRead;
        log.warn("The spool {} is full ({} bytes allowed): dropped its oldest segment {} with {} records never sent"
                + " ({} dropped since start).", dir, maxBytes, oldest.path().getFileName(), neverRead, droppedRecords);
    }

    /**
     * Up to {@code maxRecords} records from the read cursor on, in order, moving the cursor past them. A corrupt
     * record ends its segment: it and the rest of that segment are logged and skipped.
     *
     * @return the records, or an empty list when there are none (or the spool is closed)
     * @throws IOException when a segment cannot be read; the cursor stays before the record that failed
     */
    List<SpoolEntry> read(int maxRecords) throws IOException {
        lock.lock();
        try {
            List<SpoolEntry> entries = new ArrayList<>(Math.min(maxRecords, 1024));
            while (!closed && entries.size() < maxRecords) {
                Segment segment = segments.get(cursor.segmentBase());
                if (cursor.offset() >= segment.size()) {
                    Map.Entry<Long, Segment> next = segments.higherEntry(segment.base());
                    if (next == null) {
                        break;
                    }
                    cursor = SpoolPosition.startOf(next.getKey());
                    continue;
                }
                SegmentReader segmentReader = readerFor(segment);
                try {
                    int length = segmentReader.check(cursor.offset(), segment.size());
                    SpoolPosition next = new SpoolPosition(segment.base(), cursor.offset() + length,
                            cursor.sequence() + 1);
                    entries.add(new SpoolEntry(cursor.sequence(), segmentReader.payload(cursor.offset()), next));
                    cursor = next;
                } catch (CorruptRecordException e) {
                    long kept = cursor.sequence() - segment.base();
                    log.warn("Spool segment {}: {} at offset {}. Skipping the rest of the segment: {} records.",
                            segment.path(), e.getMessage(), cursor.offset(), segment.recordCount() - kept);
                    totalBytes -= segment.size() - cursor.offset();
                    segment.endAt(cursor.offset(), kept);
                } catch (IOException e) {
                    closeReader();
                    throw e;
                }
            }
            return entries;
        } finally {
            lock.unlock();
        }
    }

    private SegmentReader readerFor(Segment segment) throws IOException {
        if (readerBase != segment.base()) {
            closeReader();
            reader = new SegmentReader(segment.path());
            readerBase = segment.base();
        }
        return reader;
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                log.debug("Cannot close a spool segment reader.", e);
            }
            reader = null;
            readerBase = -1;
        }
    }

    /** Waits up to {@code timeout} for a record past the read cursor; returns whether there is one. */
    boolean awaitRecords(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            if (!closed && !hasUnread()) {
                appended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            return !closed && hasUnread();
        } finally {
            lock.unlock();
        }
    }

    private boolean hasUnread() {
        return cursor.offset() < segments.get(cursor.segmentBase()).size()
                || segments.higherKey(cursor.segmentBase()) != null;
    }

    /** Moves the read cursor back to {@code position}, or to the committed position if that is later. */
    void rewind(SpoolPosition position) {
        lock.lock();
        try {
            cursor = position.isBefore(committed) ? committed : position;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the persisted read position forward to {@code position} (ignored when it is not ahead) and deletes the
     * segments wholly before it.
     */
    void commit(SpoolPosition position) throws IOException {
        lock.lock();
        try {
            if (closed || !committed.isBefore(position)) {
                return;
            }
            committed = normalize(position);
            if (cursor.isBefore(committed)) {
                cursor = committed;
            }
            positionFile.write(committed);
            deleteSegmentsBefore(committed);
        } finally {
            lock.unlock();
        }
    }

    private void deleteSegmentsBefore(SpoolPosition position) throws IOException {
        while (segments.firstKey() < position.segmentBase()) {
            Segment done = segments.pollFirstEntry().getValue();
            if (readerBase == done.base()) {
                closeReader();
            }
            totalBytes -= done.size();
            done.delete();
        }
    }

    /** Forces appended records and the read position to disk; for spools that do not force each append. */
    void force() throws IOException {
        lock.lock();
        try {
            if (!closed && unforced) {
                segments.lastEntry().getValue().force();
                positionFile.force();
                unforced = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts at one instant.
     *
     * @param appended     records appended since this spool was opened
     * @param dropped      records dropped unread since this spool was opened, because the spool was full
     * @param depthRecords records after the committed read position: not yet acknowledged, or never sent
     * @param sizeBytes    bytes of the segment files: at most the limit, plus one batch larger than the free space
     */
    record Snapshot(long appended, long dropped, long depthRecords, long sizeBytes) {
    }

    Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(appendedRecords, droppedRecords, depthRecords(), totalBytes);
        } finally {
            lock.unlock();
        }
    }

    private long depthRecords() {
        long depth = 0;
        for (Segment segment : segments.tailMap(committed.segmentBase(), true).values()) {
            depth += segment.recordCount();
        }
        return depth - (committed.sequence() - committed.segmentBase());
    }

    /** The persisted read position. */
    SpoolPosition committed() {
        lock.lock();
        try {
            return committed;
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The spool " + dir + " is closed.");
        }
    }

    /** Forces records and read position to disk and releases the directory. Idempotent. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            appended.signalAll();
            closeReader();
            try {
                positionFile.write(committed);
                positionFile.force();
                for (Segment segment : segments.values()) {
                    segment.force();
                    segment.seal();
                }
            } finally {
                positionFile.close();
                dirLock.release();
                lockChannel.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        try {
            for (Segment segment : segments.values()) {
                segment.seal();
            }
            positionFile.close();
            dirLock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.debug("Cannot close the spool {} after a failed open.", dir, e);
        }
    }
}
