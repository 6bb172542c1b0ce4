package com.aima.metrics.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.influx.BadPointIsolation.Rejected;
import com.aima.metrics.influx.InfluxWriter.RejectedBatchException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class BadPointIsolationTest {

    /** Behaves like InfluxDB's partial write: stores the good items of a request, refuses it if any is bad. */
    private static final class PartialWriter {
        final Set<Integer> bad;
        final Set<Integer> stored = new HashSet<>();
        int requests;

        PartialWriter(Set<Integer> bad) {
            this.bad = bad;
        }

        void write(List<Integer> items) {
            requests++;
            List<Integer> refused = new ArrayList<>();
            for (Integer item : items) {
                if (bad.contains(item)) {
                    refused.add(item);
                } else {
                    stored.add(item);
                }
            }
            if (!refused.isEmpty()) {
                throw new RejectedBatchException("partial write: field type conflict: input field \"value\" is type"
                        + " integer dropped=" + refused.size(), null);
            }
        }
    }

    private static List<Integer> items(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void aGoodBatchIsOneRequest() {
        PartialWriter writer = new PartialWriter(Set.of());

        assertThat(BadPointIsolation.write(items(5000), writer::write)).isEmpty();
        assertThat(writer.requests).isEqualTo(1);
        assertThat(writer.stored).hasSize(5000);
    }

    @Test
    void theBadPointsAreFoundAndEveryOtherIsWritten() {
        PartialWriter writer = new PartialWriter(Set.of(7, 2500, 4999));

        List<Rejected<Integer>> rejected = BadPointIsolation.write(items(5000), writer::write);

        assertThat(rejected).extracting(Rejected::item).containsExactly(7, 2500, 4999);
        assertThat(rejected).extracting(Rejected::reason).allSatisfy(reason -> assertThat(reason)
                .isEqualTo("partial write: field type conflict: input field \"value\" is type integer dropped=1"));
        assertThat(writer.stored).hasSize(4997).doesNotContain(7, 2500, 4999);
        // 3 bad points in 5000: about 2·3·log2(5000) ≈ 74 requests at most, not 5000.
        assertThat(writer.requests).isLessThanOrEqualTo(2 * 3 * 13 + 1);
    }

    @Test
    void aBatchOfOnlyBadPointsRejectsEach() {
        PartialWriter writer = new PartialWriter(Set.of(0, 1, 2));

        assertThat(BadPointIsolation.write(items(3), writer::write)).extracting(Rejected::item)
                .containsExactly(0, 1, 2);
        assertThat(writer.stored).isEmpty();
    }

    @Test
    void aRetriableFailureEndsTheSearch() {
        List<List<Integer>> calls = new ArrayList<>();
        assertThatThrownBy(() -> BadPointIsolation.write(items(10), batch -> {
            calls.add(batch);
            if (calls.size() == 1) {
                throw new RejectedBatchException("unable to parse", null);
            }
            throw new RetriableException("InfluxDB at http://127.0.0.1:1 cannot be reached");
        })).isInstanceOf(RetriableException.class);
        assertThat(calls).hasSize(2);
    }
}
