package com.aima.metrics.collector.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

    private static final long SEGMENT_BYTES = 1024;
    /** 100-byte payloads: 108 bytes framed, nine to a 1 KiB segment. */
    private static final int PAYLOAD_BYTES = 100;

    @TempDir
    Path dir;

    private final List<DiskSpool> opened = new ArrayList<>();

    @AfterEach
    void closeSpools() throws IOException {
        for (DiskSpool spool : opened) {
            spool.close();
        }
    }

    @Test
    void readsRecordsInAppendOrderAcrossSegments() throws IOException {
        DiskSpool spool = open(64 << 10);
        for (int i = 0; i < 30; i++) {
            spool.append(payloads(i, i + 1));
        }
        spool.append(payloads(30, 100));

        List<SpoolEntry> entries = spool.read(1000);

        assertThat(texts(entries)).containsExactlyElementsOf(texts(0, 100));
        assertThat(entries).extracting(SpoolEntry::sequence).containsExactlyElementsOf(
                IntStream.range(0, 100).mapToObj(Long::valueOf).toList());
        assertThat(segmentFiles()).hasSizeGreaterThan(3);
        assertThat(spool.snapshot().appended()).isEqualTo(100);
        assertThat(spool.snapshot().depthRecords()).isEqualTo(100);
        assertThat(spool.read(10)).isEmpty();
    }

    @Test
    void keepsRecordsAcrossReopen() throws IOException {
        DiskSpool spool = open(64 << 10);
        spool.append(payloads(0, 25));
        spool.append(payloads(25, 50));
        spool.close();

        DiskSpool reopened = open(64 << 10);

        assertThat(reopened.snapshot().depthRecords()).isEqualTo(50);
        assertThat(texts(reopened.read(1000))).containsExactlyElementsOf(texts(0, 50));
        reopened.append(payloads(50, 60));
        assertThat(texts(reopened.read(1000))).containsExactlyElementsOf(texts(50, 60));
    }

    @Test
    void persistsTheReadPositionAndDeletesReadSegments() throws IOException {
        DiskSpool spool = open(64 << 10);
        for (int i = 0; i < 50; i++) {
            spool.append(payloads(i, i + 1));
        }
        List<SpoolEntry> entries = spool.read(50);
        int segmentsBefore = segmentFiles().size();

        spool.commit(entries.get(29).next());
        spool.close();
        DiskSpool reopened = open(64 << 10);

        assertThat(reopened.snapshot().depthRecords()).isEqualTo(20);
        assertThat(segmentFiles()).hasSizeLessThan(segmentsBefore);
        List<SpoolEntry> rest = reopened.read(1000);
        assertThat(texts(rest)).containsExactlyElementsOf(texts(30, 50));
        assertThat(rest.get(0).sequence()).isEqualTo(30);
    }

    @Test
    void readsUncommittedRecordsAgainAfterReopen() throws IOException {
        DiskSpool spool = open(64 << 10);
        spool.append(payloads(0, 20));
        assertThat(spool.read(20)).hasSize(20);
        spool.close();

        assertThat(texts(open(64 << 10).read(1000))).containsExactlyElementsOf(texts(0, 20));
    }

    @Test
    void ignoresCommitsBehindTheReadPositionAndRewindsTheCursor() throws IOException {
        DiskSpool spool = open(64 << 10);
        spool.append(payloads(0, 20));
        List<SpoolEntry> entries = spool.read(20);

        spool.commit(entries.get(9).next());
        spool.commit(entries.get(3).next());
        spool.rewind(entries.get(4).next());

        assertThat(spool.committed()).isEqualTo(entries.get(9).next());
        assertThat(texts(spool.read(1000))).containsExactlyElementsOf(texts(10, 20));
        spool.rewind(entries.get(14).next());
        assertThat(texts(spool.read(1000))).containsExactlyElementsOf(texts(15, 20));
    }

    @Test
    void dropsTheOldestSegmentWhenFullAndCountsTheRecords() throws IOException {
        long maxBytes = 4 * SEGMENT_BYTES;
        DiskSpool spool = open(maxBytes);

        for (int i = 0; i < 200; i++) {
            spool.append(payloads(i, i + 1));
            assertThat(spool.snapshot().sizeBytes()).isLessThanOrEqualTo(maxBytes);
        }

        List<SpoolEntry> kept = spool.read(1000);
        long firstKept = kept.get(0).sequence();
        assertThat(spool.snapshot().dropped()).isEqualTo(firstKept).isPositive();
        assertThat(kept).extracting(SpoolEntry::sequence).containsExactlyElementsOf(
                IntStream.range((int) firstKept, 200).mapToObj(Long::valueOf).toList());
        assertThat(texts(kept)).containsExactlyElementsOf(texts((int) firstKept, 200));
        assertThat(spool.snapshot().depthRecords()).isEqualTo(200 - firstKept);
    }

    @Test
    void countsOnlyRecordsNeverReadAsDropped() throws IOException {
        DiskSpool spool = open(4 * SEGMENT_BYTES);
        spool.append(payloads(0, 5));
        assertThat(spool.read(3)).hasSize(3);

        for (int i = 5; i < 200; i++) {
            spool.append(payloads(i, i + 1));
        }

        long firstKept = spool.read(1000).get(0).sequence();
        assertThat(spool.snapshot().dropped()).isEqualTo(firstKept - 3);
        assertThat(spool.committed().sequence()).isEqualTo(firstKept);
    }

    @Test
    void skipsATornRecordAtTheTailAndAppendsAfterTheLastGoodOne() throws IOException {
        DiskSpool spool = open(64 << 10);
        spool.append(payloads(0, 8));
        spool.close();
        Path segment = dir.resolve(Segment.fileName(0));
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(file.length() - 5);
        }

        DiskSpool reopened = open(64 << 10);
        assertThat(reopened.snapshot().depthRecords()).isEqualTo(7);
        reopened.append(payloads(100, 102));

        assertThat(texts(reopened.read(1000))).containsExactlyElementsOf(
                Stream.concat(texts(0, 7).stream(), texts(100, 102).stream()).toList());
    }

    @Test
    void skipsTheRestOfASegmentFromARecordWithABadCrc() throws IOException {
        DiskSpool spool = open(64 << 10);
        spool.append(payloads(0, 8));
        spool.close();
        Path segment = dir.resolve(Segment.fileName(0));
        long sixthPayload = Segment.HEADER_BYTES + 5 * Segment.framedSize(PAYLOAD_BYTES) + Segment.RECORD_OVERHEAD;
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(sixthPayload + 10);
            file.write('#');
        }

        DiskSpool reopened = open(64 << 10);
        reopened.append(payloads(100, 101));

        assertThat(texts(reopened.read(1000))).containsExactlyElementsOf(
                Stream.concat(texts(0, 5).stream(), texts(100, 101).stream()).toList());
    }

    @Test
    void ignoresGarbageAfterTheLastRecord() throws IOException {
        DiskSpool spool = open(64 << 10);
        spool.append(payloads(0, 3));
        spool.close();
        Files.write(dir.resolve(Segment.fileName(0)), new byte[] {0, 0, 0, 42, 1, 2, 3},
                java.nio.file.StandardOpenOption.APPEND);

        DiskSpool reopened = open(64 << 10);
        reopened.append(payloads(3, 4));

        assertThat(texts(reopened.read(1000))).containsExactlyElementsOf(texts(0, 4));
    }

    @Test
    void anInterruptedAppendLeavesNothingBehindAndTheNextOneWorks() throws IOException {
        DiskSpool spool = open(64 << 10);
        spool.append(payloads(0, 2));

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> spool.append(payloads(2, 4))).isInstanceOf(ClosedByInterruptException.class);
        } finally {
            Thread.interrupted();
        }
        spool.append(payloads(4, 6));

        assertThat(texts(spool.read(1000))).containsExactly("record-0", "record-1", "record-4", "record-5");
        spool.close();
        assertThat(texts(open(64 << 10).read(1000))).containsExactly("record-0", "record-1", "record-4", "record-5");
    }

    @Test
    void keepsTheOlderPositionWhenTheNewerSlotIsTorn() throws IOException {
        Path path = dir.resolve("position");
        try (PositionFile file = new PositionFile(path)) {
            file.write(new SpoolPosition(0, 8, 0));
            file.write(new SpoolPosition(0, 116, 1));
            file.write(new SpoolPosition(0, 224, 2));
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.seek(40 + 12); // the third write went to the second slot
            file.write(0x7f);
        }

        try (PositionFile file = new PositionFile(path)) {
            assertThat(file.read()).isEqualTo(new SpoolPosition(0, 116, 1));
        }
    }

    @Test
    void refusesASecondSpoolOnTheSameDirectory() throws IOException {
        open(64 << 10);

        assertThatThrownBy(() -> DiskSpool.open(dir, 64 << 10, SEGMENT_BYTES, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use");
    }

    @Test
    void refusesRecordsLargerThanASegment() throws IOException {
        DiskSpool spool = open(64 << 10);

        assertThatThrownBy(() -> spool.append(List.of(new byte[(int) SEGMENT_BYTES])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit");
        assertThat(spool.snapshot().depthRecords()).isZero();
    }

    @Test
    void refusesALimitBelowTwoSegments() {
        assertThatThrownBy(() -> DiskSpool.open(dir, SEGMENT_BYTES, SEGMENT_BYTES, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two segments");
    }

    private DiskSpool open(long maxBytes) throws IOException {
        DiskSpool spool = DiskSpool.open(dir, maxBytes, SEGMENT_BYTES, true);
        opened.add(spool);
        return spool;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> Segment.baseOf(file) >= 0).toList();
        }
    }

    private static List<byte[]> payloads(int from, int to) {
        return texts(from, to).stream().map(DiskSpoolTest::padded).toList();
    }

    private static byte[] padded(String text) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, payload, 0, bytes.length);
        return payload;
    }

    private static List<String> texts(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "record-" + i).toList();
    }

    private static List<String> texts(List<SpoolEntry> entries) {
        return entries.stream().map(entry -> new String(entry.payload(), StandardCharsets.UTF_8).trim()).toList();
    }
}
