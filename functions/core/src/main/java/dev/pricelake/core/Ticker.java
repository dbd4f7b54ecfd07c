package dev.pricelake.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A US stock symbol as Polygon spells it: upper-case letters and digits, {@code .} or {@code -} between
 * parts (BRK.A), and a lower-case class marker followed by its series (KIMpL, ABCw).
 */
public record Ticker(String value) implements Comparable<Ticker> {
    private static final Pattern SYMBOL =
            Pattern.compile("[A-Z0-9]+(?:[.\\-][A-Z0-9]+)*(?:[a-z][A-Z0-9]*)?");
    static final int MAX_LENGTH = 12;

    public Ticker {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("ticker", "is empty");
        }
        if (value.length() > MAX_LENGTH || !SYMBOL.matcher(value).matches()) {
            String hint = SYMBOL.matcher(value.toUpperCase(Locale.ROOT)).matches()
                            && value.length() <= MAX_LENGTH
                    ? " (did you mean " + value.toUpperCase(Locale.ROOT) + "?)"
                    : "";
            throw new InvalidInputException("ticker",
                    "'" + value + "' is not a Polygon stock symbol: 1 to " + MAX_LENGTH
                            + " upper-case letters or digits, '.' or '-' between parts, an optional"
                            + " lower-case class suffix such as KIMpL" + hint);
        }
    }

    public static Ticker of(String value) {
        return new Ticker(value);
    }

    // Written out rather than left to the record's generated ones, which go through method handles that Lambda's
    // C1-only JIT does not inline: tickers are hashed and compared for every bar of a whole-market session.
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Ticker t && value.equals(t.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(Ticker other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
