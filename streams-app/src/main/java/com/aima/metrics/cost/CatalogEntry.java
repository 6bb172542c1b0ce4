package com.aima.metrics.cost;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One price of the catalog: a key's rate over a validity period, with optional schedules that replace the rate at
 * some times of the week.
 *
 * @param label      where the entry is in the file, for error messages: {@code providers.aws.prices[2] (GPU, spot)}
 * @param validFrom  inclusive; null = since always
 * @param validUntil exclusive; null = open-ended
 * @param rate       the rate when no schedule applies
 * @param schedules  first match wins
 */
record CatalogEntry(PriceKey key, String label, Instant validFrom, Instant validUntil, Rate rate,
                    List<PriceSchedule> schedules) {

    CatalogEntry {
        schedules = List.copyOf(schedules);
    }

    boolean validAt(Instant at) {
        return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
    }

    /** Whether some instant lies in the validity periods of both entries. */
    boolean overlaps(CatalogEntry other) {
        return (validFrom == null || other.validUntil == null || validFrom.isBefore(other.validUntil))
                && (other.validFrom == null || validUntil == null || other.validFrom.isBefore(validUntil));
    }

    /** The rate at this local time of the catalog's time zone, assuming the entry is valid then. */
    Rate rateAt(LocalDateTime local) {
        for (PriceSchedule schedule : schedules) {
            if (schedule.appliesAt(local)) {
                return schedule.rate();
            }
        }
        return rate;
    }

    /** The validity in words, for error messages. */
    String validity() {
        return "valid " + (validFrom == null ? "since always" : "from " + validFrom)
                + (validUntil == null ? ", open-ended" : " until " + validUntil);
    }
}
