package dev.pricelake.core.recent;

import dev.pricelake.core.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;

/**
 * Which bars belong in PostgreSQL: those dated on or after {@code asOf} minus the retention period
 * (5 years and 1 month by default for day bars, 30 calendar days for minutes). {@code asOf} defaults to today in
 * New York.
 */
public record RetentionWindow(LocalDate asOf, Period keep) {
    public static final Period DEFAULT_KEEP = Period.of(5, 1, 0);
    public static final int DEFAULT_MINUTE_DAYS = 30;
    /** Ten years of minutes: about a million rows a symbol, still a table PostgreSQL serves well. */
    public static final int MAX_MINUTE_DAYS = 3660;
    /** The input field (and, on the command line, the option) that sets the minute window. */
    public static final String MINUTE_DAYS_FIELD = "minute_retention_days";
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    public RetentionWindow {
        if (asOf == null) {
            throw new InvalidInputException("as_of", "is missing");
        }
        if (keep == null || keep.isNegative() || keep.isZero()) {
            throw new InvalidInputException("retention", "must be a positive period, not " + keep);
        }
    }

    /** The default window as of a date, or of today in New York when {@code asOf} is null. */
    public static RetentionWindow asOf(LocalDate asOf) {
        return new RetentionWindow(orToday(asOf), DEFAULT_KEEP);
    }

    /** The minute window: {@code days} calendar days before {@code asOf} (today in New York when null). */
    public static RetentionWindow minutes(LocalDate asOf, int days) {
        return new RetentionWindow(orToday(asOf), Period.ofDays(requireMinuteDays(days)));
    }

    /** The minute window's length as given, refused outside 1..{@value #MAX_MINUTE_DAYS} naming its field. */
    public static int requireMinuteDays(int days) {
        if (days < 1 || days > MAX_MINUTE_DAYS) {
            throw new InvalidInputException(MINUTE_DAYS_FIELD, days + " is outside 1.." + MAX_MINUTE_DAYS
                    + " (calendar days of minutes kept in PostgreSQL)");
        }
        return days;
    }

    private static LocalDate orToday(LocalDate asOf) {
        return asOf != null ? asOf : LocalDate.now(NEW_YORK);
    }

    /** The first date inside the window. */
    public LocalDate cutoff() {
        return asOf.minus(keep);
    }

    /** The first instant inside the window: the cutoff date's start in New York, where sessions are dated. */
    public Instant cutoffInstant() {
        return cutoff().atStartOfDay(NEW_YORK).toInstant();
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(cutoff());
    }

    /** Whether a minute starting at this instant is inside: its New York date is on or after the cutoff. */
    public boolean contains(Instant start) {
        return !start.isBefore(cutoffInstant());
    }
}
