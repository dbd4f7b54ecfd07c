package dev.pricelake.core.actions;

import dev.pricelake.core.Ticker;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A stock split as Polygon lists it: from {@code executionDate} on, {@code splitFrom} old shares are {@code splitTo}
 * new ones (a 4-for-1 split is 1 to 4, a 1-for-10 reverse split is 10 to 1).
 */
public record Split(Ticker ticker, LocalDate executionDate, double splitFrom, double splitTo) {
    public Split {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(executionDate, "execution_date");
        if (!(splitFrom > 0) || !(splitTo > 0) || Double.isInfinite(splitFrom) || Double.isInfinite(splitTo)) {
            throw new IllegalArgumentException("a split of " + ticker + " on " + executionDate + " needs positive split_from"
                    + " and split_to, not " + splitFrom + " and " + splitTo);
        }
    }

    /** What prices before the split are divided by to be comparable with prices after it. */
    public double ratio() {
        return splitTo / splitFrom;
    }

    /** "1-for-4" style: new shares for old. */
    public String describe() {
        return ticker + " " + executionDate + " " + number(splitTo) + "-for-" + number(splitFrom);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
