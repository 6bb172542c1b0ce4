package com.aima.metrics.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The rotation rules and the committable offset of one partition's archive. */
class PartitionArchiveTest {

    private static final TopicPartition PARTITION = new TopicPartition("aima.test", 1);
    private static final long T0 = TestRecords.TIME_MS; // 23:00:00 UTC
    private static final long NOW_MS = 5_000;

    private final List<CompletedFile> uploaded = new ArrayList<>();

    @Test
    void aFileClosesAtFlushSizeRecords() {
        PartitionArchive archive = archive(new RotationPolicy(2, Integer.MAX_VALUE, 0, 0));
        for (long offset = 0; offset < 5; offset++) {
            archive.append(TestRecords.allTypes("r" + offset), offset, T0, NOW_MS);
        }

        assertThat(uploadAll(archive)).extracting(CompletedFile::startOffset, CompletedFile::endOffset)
                .containsExactly(tuple(0, 2), tuple(2, 4));
        assertThat(archive.committableOffset()).hasValue(4);
    }

    @Test
    void aFileClosesOnceItsEncodedSizeReachesTheLimit() throws IOException {
        int oneRecord = FormatsTest.encode(ArchiveFormat.JSONL, Compression.NONE, "f",
                List.of(TestRecords.allTypes("r"))).length;
        PartitionArchive archive = archive(new RotationPolicy(1_000, 2 * oneRecord + 1, 0, 0));
        for (long offset = 0; offset < 7; offset++) {
            archive.append(TestRecords.allTypes("r"), offset, T0, NOW_MS);
        }

        assertThat(uploadAll(archive)).extracting(CompletedFile::records).containsExactly(3, 3);
        assertThat(uploaded).allSatisfy(file -> assertThat(file.length()).isEqualTo(3 * oneRecord));
    }

    @Test
    void aFileSpansLessRecordTimeThanTheInterval() {
        PartitionArchive archive = archive(new RotationPolicy(1_000, Integer.MAX_VALUE, 1_000, 0));
        archive.append(TestRecords.allTypes("a"), 0, T0 + 500, NOW_MS);
        archive.append(TestRecords.allTypes("b"), 1, T0 + 1_499, NOW_MS);
        archive.append(TestRecords.allTypes("c"), 2, T0, NOW_MS); // earlier: widens the span to 1499 ms
        archive.append(TestRecords.allTypes("d"), 3, T0 + 100, NOW_MS);
        archive.append(TestRecords.allTypes("e"), 4, T0 + 999, NOW_MS);
        archive.append(TestRecords.allTypes("f"), 5, T0 + 1_000, NOW_MS); // a span of 1000 ms: a new file

        assertThat(uploadAll(archive)).extracting(CompletedFile::startOffset, CompletedFile::endOffset)
                .containsExactly(tuple(0, 2), tuple(2, 5));
        assertThat(archive.committableOffset()).hasValue(5);
    }

    @Test
    void anHourOrDayChangeStartsANewFileUnderTheNewHour() {
        PartitionArchive archive = archive(new RotationPolicy(1_000, Integer.MAX_VALUE, 0, 0));
        long midnight = T0 + 3_600_000; // 2026-03-02T00:00:00Z
        archive.append(TestRecords.allTypes("a"), 10, midnight - 1, NOW_MS);
        archive.append(TestRecords.allTypes("b"), 11, midnight, NOW_MS);
        archive.append(TestRecords.allTypes("late"), 12, midnight - 2, NOW_MS);
        archive.append(TestRecords.allTypes("c"), 13, null, NOW_MS);
        archive.closeIfDue(Long.MAX_VALUE); // no schedule: nothing is due

        assertThat(uploadAll(archive)).extracting(CompletedFile::key).containsExactly(
                "aima/aima.test/dt=2026-03-01/hour=23/aima.test+1+00000000000000000010.jsonl",
                "aima/aima.test/dt=2026-03-02/hour=00/aima.test+1+00000000000000000011.jsonl",
                "aima/aima.test/dt=2026-03-01/hour=23/aima.test+1+00000000000000000012.jsonl");
        assertThat(archive.committableOffset()).as("the record without time waits in its open file").hasValue(13);
    }

    @Test
    void aNewWriterSchemaStartsANewFile() {
        PartitionArchive archive = archive(new RotationPolicy(1_000, Integer.MAX_VALUE, 0, 0));
        archive.append(TestRecords.allTypes("a"), 0, T0, NOW_MS);
        archive.append(TestRecords.v2("b"), 1, T0, NOW_MS);
        archive.append(TestRecords.v2("c"), 2, T0, NOW_MS);
        archive.append(TestRecords.allTypes("d"), 3, T0, NOW_MS);

        assertThat(uploadAll(archive)).extracting(CompletedFile::records).containsExactly(1, 2);
    }

    @Test
    void theScheduleClosesAFileOpenLongEnoughByTheWallClock() {
        PartitionArchive archive = archive(new RotationPolicy(1_000, Integer.MAX_VALUE, 0, 60_000));
        assertThat(archive.dueInMs(NOW_MS)).isEqualTo(Long.MAX_VALUE);
        archive.append(TestRecords.allTypes("a"), 0, T0, NOW_MS);

        assertThat(archive.dueInMs(NOW_MS + 10_000)).isEqualTo(50_000);
        archive.closeIfDue(NOW_MS + 59_999);
        assertThat(archive.nextUpload()).isNull();
        archive.closeIfDue(NOW_MS + 60_000);
        assertThat(uploadAll(archive)).hasSize(1);
        assertThat(archive.dueInMs(NOW_MS + 60_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theCommittableOffsetIsTheFirstRecordNotYetInS3() {
        PartitionArchive archive = archive(new RotationPolicy(2, Integer.MAX_VALUE, 0, 0));
        assertThat(archive.committableOffset()).as("nothing taken yet").isEmpty();

        archive.skip(0); // dead-lettered
        assertThat(archive.committableOffset()).hasValue(1);
        archive.append(TestRecords.allTypes("a"), 1, T0, NOW_MS);
        archive.skip(2);
        archive.append(TestRecords.allTypes("b"), 3, T0, NOW_MS); // closes [1, 4)
        archive.append(TestRecords.allTypes("c"), 4, T0, NOW_MS);
        assertThat(archive.committableOffset()).as("the closed file is not uploaded yet").hasValue(1);

        assertThat(archive.nextUpload().startOffset()).isEqualTo(1);
        archive.uploaded();
        assertThat(archive.committableOffset()).as("the open file's first record").hasValue(4);
        archive.append(TestRecords.allTypes("d"), 5, T0, NOW_MS);
        archive.nextUpload();
        archive.uploaded();
        assertThat(archive.committableOffset()).hasValue(6);
    }

    @Test
    void recordsHandedAgainAreRecognised() {
        PartitionArchive archive = archive(new RotationPolicy(10, Integer.MAX_VALUE, 0, 0));
        assertThat(archive.isTaken(0)).isFalse();
        archive.append(TestRecords.allTypes("a"), 5, T0, NOW_MS);

        assertThat(archive.isTaken(4)).isTrue();
        assertThat(archive.isTaken(5)).isTrue();
        assertThat(archive.isTaken(6)).isFalse();
    }

    private static PartitionArchive archive(RotationPolicy policy) {
        return new PartitionArchive(PARTITION, "aima", ArchiveFormat.JSONL, Compression.NONE, policy);
    }

    private List<CompletedFile> uploadAll(PartitionArchive archive) {
        for (CompletedFile file = archive.nextUpload(); file != null; file = archive.nextUpload()) {
            uploaded.add(file);
            archive.uploaded();
        }
        return uploaded;
    }

    private static org.assertj.core.groups.Tuple tuple(long start, long end) {
        return org.assertj.core.groups.Tuple.tuple(start, end);
    }
}
