package dev.pricelake.core.fetch;

import dev.pricelake.core.InvalidInputException;
import java.util.Locale;

/** The length of a run's bars: a session (the daily lake) or one minute (minute bronze, selected symbols). */
public enum Timespan {
    DAY, MINUTE;

    /** The name in events and inputs: "day" or "minute". */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Timespan parse(String field, String text) {
        return switch (text) {
            case "day" -> DAY;
            case "minute" -> MINUTE;
            default -> throw new InvalidInputException(field, "'" + text + "' is neither day nor minute");
        };
    }
}
