package com.aima.metrics.cost;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * A rate that replaces a catalog entry's own rate on some weekdays between two local times of the catalog's time zone.
 *
 * @param days       the weekdays (of the local date) on which the schedule applies
 * @param fromMinute start, inclusive, in minutes after local midnight (0..1439)
 * @param toMinute   end, exclusive, in minutes after local midnight (1..1440; 1440 is "24:00", the end of the day)
 */
record PriceSchedule(Set<DayOfWeek> days, int fromMinute, int toMinute, Rate rate) {

    PriceSchedule {
        days = Set.copyOf(days);
    }

    /** Whether the schedule is in force at this local time. */
    boolean appliesAt(LocalDateTime local) {
        if (!days.contains(local.getDayOfWeek())) {
            return false;
        }
        long second = local.toLocalTime().toSecondOfDay();
        return second >= fromMinute * 60L && second < toMinute * 60L;
    }

    /**
     * The instants at which the schedule starts and stops on {@code date}, or none when it does not apply that day.
     * A local time that occurs twice (the hour the clocks go back) gives both instants, since the schedule starts or
     * stops at each.
     */
    List<Instant> boundaries(LocalDate date, ZoneId zone) {
        if (!days.contains(date.getDayOfWeek())) {
            return List.of();
        }
        ZonedDateTime start = ZonedDateTime.of(date.atStartOfDay().plusMinutes(fromMinute), zone);
        ZonedDateTime end = ZonedDateTime.of(date.atStartOfDay().plusMinutes(toMinute), zone);
        return List.of(start.toInstant(), start.withLaterOffsetAtOverlap().toInstant(),
                end.toInstant(), end.withLaterOffsetAtOverlap().toInstant());
    }
}
