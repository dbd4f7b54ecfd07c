package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.recent.RetentionWindow;
import picocli.CommandLine.Option;

/** The retention windows a command that looks at PostgreSQL works in: retention moves them, verify checks them. */
final class WindowOptions {
    @Option(names = "--as-of", description = "The retention windows end at this date (default: today in New York).")
    String asOf;

    @Option(names = "--minute-retention-days", paramLabel = "DAYS", description = "The minutes of this many calendar"
            + " days before --as-of belong in ohlcv_minute (1.." + RetentionWindow.MAX_MINUTE_DAYS + "; default "
            + RetentionWindow.DEFAULT_MINUTE_DAYS + ", as backfill --timespan minute keeps them).")
    Integer minuteRetentionDays;

    /** Puts the windows into the event and refuses a bad one, before any service starts. */
    void addTo(ObjectNode event) {
        if (asOf != null) {
            event.put("as_of", asOf);
        }
        if (minuteRetentionDays != null) {
            event.put(RetentionWindow.MINUTE_DAYS_FIELD, minuteRetentionDays);
        }
        Events.date(event, "as_of");
        Events.minuteRetentionDays(event);
    }
}
