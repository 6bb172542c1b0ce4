package com.aima.metrics.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/**
 * What one instance answers from its own stores: the rows, which partitions they cover, whether the asked metric is
 * known in any of those partitions, and whether rows were cut at the limit. Instances send it to each other as JSON
 * (scope {@code local}).
 *
 * @param <R> the row type
 */
public record Partial<R>(@JsonProperty("partitions") Set<Integer> partitions,
                         @JsonProperty("known") boolean known,
                         @JsonProperty("truncated") boolean truncated,
                         @JsonProperty("rows") List<R> rows) {

    public Partial {
        partitions = Set.copyOf(partitions);
        rows = List.copyOf(rows);
    }
}
