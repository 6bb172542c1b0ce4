package com.aima.metrics.influx;

import com.aima.metrics.influx.InfluxWriter.RejectedBatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a batch and, when InfluxDB refuses it ({@link RejectedBatchException}: it names the field or line at fault
 * but not which of the batch's points), finds the points it refuses by bisection: each half is written again, and a
 * refused half split again, down to single points. With k bad points among n this costs about 2·k·log2(n) requests
 * instead of n. Writing a good point again is harmless: a point is identified by series and time. Any other exception
 * of the write ends the search and is thrown as is.
 */
final class BadPointIsolation {

    /** An item InfluxDB refuses, with its answer for that item alone. */
    record Rejected<T>(T item, String reason) {
    }

    private BadPointIsolation() {
    }

    /**
     * Writes {@code items} with {@code write} and returns those InfluxDB refuses; every other item is written.
     *
     * @param write writes a list of items in one request; throws {@link RejectedBatchException} when InfluxDB refuses
     *              any of them
     */
    static <T> List<Rejected<T>> write(List<T> items, Consumer<List<T>> write) {
        List<Rejected<T>> rejected = new ArrayList<>();
        bisect(items, write, rejected);
        return rejected;
    }

    private static <T> void bisect(List<T> items, Consumer<List<T>> write, List<Rejected<T>> rejected) {
        if (items.isEmpty()) {
            return;
        }
        try {
            write.accept(items);
        } catch (RejectedBatchException e) {
            if (items.size() == 1) {
                rejected.add(new Rejected<>(items.get(0), e.getMessage()));
                return;
            }
            int middle = items.size() / 2;
            bisect(items.subList(0, middle), write, rejected);
            bisect(items.subList(middle, items.size()), write, rejected);
        }
    }
}
