package dev.pricelake.core.fetch;

import dev.pricelake.core.InvalidInputException;
import java.util.Locale;

/** How a batch gets its bars: one aggregates-range call per ticker, or one grouped-daily call per session. */
public enum FetchMethod {
    RANGE, GROUPED;

    /** The name in events and inputs: "range" or "grouped". */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FetchMethod parse(String field, String text) {
        return switch (text) {
            case "range" -> RANGE;
            case "grouped" -> GROUPED;
            default -> throw new InvalidInputException(field, "'" + text + "' is neither range nor grouped");
        };
    }
}
