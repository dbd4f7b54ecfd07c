package dev.pricelake.core.recent;

import dev.pricelake.core.InvalidInputException;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;

/**
 * Which bars belong in PostgreSQL: those dated on or after {@code asOf} minus the retention period
 * (5 years and 1 month by default). {@code asOf} defaults to today in New York.
 */
public record RetentionWindow(LocalDate asOf, Period keep) {
    public static final Period DEFAULT_KEEP = Period.of(5, 1, 0);
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
        return new RetentionWindow(asOf != null ? asOf : LocalDate.now(NEW_YORK), DEFAULT_KEEP);
    }

    /** The first date inside the window. */
    public LocalDate cutoff() {
        return asOf.minus(keep);
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(cutoff());
    }
}
