package com.aima.metrics.collector.publish;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The spool's persisted read position: a file of two 40-byte slots written in turn, each {@code [long generation]
 * [long segment base][long offset][long sequence][int CRC32C of the 32 bytes before][4 bytes unused]}. A write torn by
 * a crash spoils only the slot it went to; {@link #read()} takes the valid slot of the higher generation, so the
 * position read is the last or the one before, never garbage. Not thread-safe.
 */
final class PositionFile implements Closeable {

    private static final int SLOT_BYTES = 40;
    private static final int CHECKED_BYTES = 32;

    private final FileChannel channel;
    private final ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES);
    private final CRC32C crc = new CRC32C();
    private long generation;

    PositionFile(Path path) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** The last position written, or null when none was (or both slots are damaged). */
    SpoolPosition read() throws IOException {
        SpoolPosition best = null;
        long bestGeneration = -1;
        for (int index = 0; index < 2; index++) {
            slot.clear();
            long at = (long) index * SLOT_BYTES;
            int read;
            do {
                read = channel.read(slot, at + slot.position());
            } while (read > 0 && slot.hasRemaining());
            if (slot.hasRemaining()) {
                continue;
            }
            crc.reset();
            crc.update(slot.array(), 0, CHECKED_BYTES);
            if ((int) crc.getValue() != slot.getInt(CHECKED_BYTES)) {
                continue;
            }
            long slotGeneration = slot.getLong(0);
            if (slotGeneration > bestGeneration) {
                bestGeneration = slotGeneration;
                best = new SpoolPosition(slot.getLong(8), slot.getLong(16), slot.getLong(24));
            }
        }
        generation = Math.max(generation, bestGeneration);
        return best;
    }

    /** Writes {@code position} over the older slot; not forced to disk, see {@link #force()}. */
    void write(SpoolPosition position) throws IOException {
        generation++;
        slot.clear();
        slot.putLong(generation).putLong(position.segmentBase()).putLong(position.offset())
                .putLong(position.sequence());
        crc.reset();
        crc.update(slot.array(), 0, CHECKED_BYTES);
        slot.putInt((int) crc.getValue()).putInt(0).flip();
        long at = (generation & 1) * SLOT_BYTES;
        while (slot.hasRemaining()) {
            channel.write(slot, at + slot.position());
        }
    }

    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
