package com.aima.metrics.rollup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * How a tier cuts time into windows: fixed-size windows aligned to the Unix epoch, or calendar months and years in
 * UTC (28 to 31 days, leap years included). All times are milliseconds since the epoch; windows are [start, end).
 */
public sealed interface WindowScheme {

    /** Milliseconds in a UTC day; UTC has no daylight saving, so every day has exactly this many. */
    long DAY_MS = Duration.ofDays(1).toMillis();

    /** Start of the window holding {@code timestampMs}. */
    long startOf(long timestampMs);

    /** Exclusive end of the window starting at {@code startMs}. */
    long endOf(long startMs);

    /** Whether every window of this scheme lies inside one window of {@code coarser}. */
    boolean nestsIn(WindowScheme coarser);

    /**
     * Parses {@code calendar-month}, {@code calendar-year}, or an ISO-8601 duration ({@code PT1H}, {@code P1D}) for
     * fixed windows.
     *
     * @throws IllegalArgumentException naming the value if it is none of those or not positive
     */
    static WindowScheme parse(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("calendar-month")) {
            return Calendar.MONTH;
        }
        if (v.equalsIgnoreCase("calendar-year")) {
            return Calendar.YEAR;
        }
        Duration size;
        try {
            size = Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is neither calendar-month, calendar-year nor an"
                    + " ISO-8601 duration such as PT1H or P1D.");
        }
        if (size.isNegative() || size.isZero() || size.toMillis() == 0) {
            throw new IllegalArgumentException("Window size '" + value + "' must be at least one millisecond.");
        }
        return new Fixed(size.toMillis());
    }

    /** Fixed-size windows aligned to the epoch. */
    record Fixed(long sizeMs) implements WindowScheme {

        @Override
        public long startOf(long timestampMs) {
            return Math.floorDiv(timestampMs, sizeMs) * sizeMs;
        }

        @Override
        public long endOf(long startMs) {
            return startMs + sizeMs;
        }

        @Override
        public boolean nestsIn(WindowScheme coarser) {
            if (coarser instanceof Fixed fixed) {
                return fixed.sizeMs % sizeMs == 0;
            }
            return DAY_MS % sizeMs == 0; // months and years are made of whole UTC days
        }

        @Override
        public String toString() {
            return Duration.ofMillis(sizeMs).toString();
        }
    }

    /** Calendar months or years in UTC. */
    enum Calendar implements WindowScheme {
        MONTH(ChronoUnit.MONTHS),
        YEAR(ChronoUnit.YEARS);

        private final ChronoUnit unit;

        Calendar(ChronoUnit unit) {
            this.unit = unit;
        }

        @Override
        public long startOf(long timestampMs) {
            ZonedDateTime time = Instant.ofEpochMilli(timestampMs).atZone(ZoneOffset.UTC);
            ZonedDateTime start = time.toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC);
            if (this == YEAR) {
                start = start.withMonth(1);
            }
            return start.toInstant().toEpochMilli();
        }

        @Override
        public long endOf(long startMs) {
            return Instant.ofEpochMilli(startMs).atZone(ZoneOffset.UTC).plus(1, unit).toInstant().toEpochMilli();
        }

        @Override
        public boolean nestsIn(WindowScheme coarser) {
            return this == MONTH && coarser == YEAR;
        }

        @Override
        public String toString() {
            return this == MONTH ? "calendar-month" : "calendar-year";
        }
    }
}
