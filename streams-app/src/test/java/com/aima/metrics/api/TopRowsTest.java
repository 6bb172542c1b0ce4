package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aima.metrics.api.Rows.RawRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopRowsTest {

    private static final int ROWS = 500;

    /** {@code ROWS} distinct raw rows: 50 times of 10 series, shuffled with a fixed seed. */
    private static List<RawRow> shuffledRows(long seed) {
        List<RawRow> rows = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            for (int gpu = 0; gpu < 10; gpu++) {
                rows.add(new RawRow(Rows.time(1_700_000_000_000L + t * 1000L), "gpu_util", t * 10 + gpu, "percent",
                        Map.of("gpu", Integer.toString(gpu), "node", "n1")));
            }
        }
        Collections.shuffle(rows, new Random(seed));
        return rows;
    }

    /** A non-negative number as a key whose text order is its numeric order. */
    private static String padded(int value) {
        return "%010d".formatted(value);
    }

    private static <R> List<R> firstInOrder(List<R> rows, Comparator<R> order, int limit) {
        List<R> sorted = new ArrayList<>(rows);
        sorted.sort(order);
        return sorted.subList(0, Math.min(limit, sorted.size()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 100, ROWS - 1, ROWS, ROWS + 1, 5000, Integer.MAX_VALUE})
    void keepsTheFirstLimitRowsInOrderOfShuffledInput(int limit) {
        for (long seed = 1; seed <= 5; seed++) {
            List<RawRow> rows = shuffledRows(seed);
            TopRows<RawRow> top = new TopRows<>(limit, RawRow::sortKey);
            rows.forEach(top::offer);

            assertThat(top.sorted()).isEqualTo(firstInOrder(rows, Comparator.comparing(RawRow::sortKey), limit));
            assertThat(top.truncated()).isEqualTo(ROWS > limit);
        }
    }

    @Test
    void keepsTheSmallestOfRepeatedValues() {
        Random random = new Random(42);
        List<Integer> values = IntStream.range(0, 1000).mapToObj(i -> random.nextInt(20)).toList();
        TopRows<Integer> top = new TopRows<>(30, TopRowsTest::padded);
        top.offerAll(values);

        assertThat(top.sorted()).isEqualTo(firstInOrder(values, Comparator.<Integer>naturalOrder(), 30));
        assertThat(top.truncated()).isTrue();
    }

    @Test
    void offerAllIsOfferingEach() {
        List<RawRow> rows = shuffledRows(7);
        TopRows<RawRow> one = new TopRows<>(25, RawRow::sortKey);
        rows.forEach(one::offer);
        TopRows<RawRow> all = new TopRows<>(25, RawRow::sortKey);
        all.offerAll(rows.subList(0, 200));
        all.offerAll(rows.subList(200, ROWS));

        assertThat(all.sorted()).isEqualTo(one.sorted());
        assertThat(all.truncated()).isTrue();
    }

    @Test
    void isTruncatedOnlyWhenMoreThanTheLimitWereOffered() {
        TopRows<Integer> top = new TopRows<>(3, TopRowsTest::padded);
        assertThat(top.sorted()).isEmpty();
        assertThat(top.truncated()).isFalse();

        top.offerAll(List.of(3, 1, 2));
        assertThat(top.truncated()).isFalse();
        assertThat(top.sorted()).containsExactly(1, 2, 3);

        top.offer(4);
        assertThat(top.truncated()).isTrue();
        assertThat(top.sorted()).containsExactly(1, 2, 3);

        top.offer(0);
        assertThat(top.sorted()).containsExactly(0, 1, 2);
    }

    @Test
    void sortedDoesNotConsumeTheRows() {
        TopRows<Integer> top = new TopRows<>(2, TopRowsTest::padded);
        top.offerAll(List.of(5, 4, 6));
        assertThat(top.sorted()).containsExactly(4, 5);
        assertThat(top.sorted()).containsExactly(4, 5);
    }
}
