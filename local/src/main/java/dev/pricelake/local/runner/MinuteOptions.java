package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.recent.RetentionWindow;
import picocli.CommandLine.Option;

/** The options of a run of one-minute bars, the same for backfill and daily. */
final class MinuteOptions {
    @Option(names = "--timespan", defaultValue = "day", description = "day (the daily lake) or minute (one-minute bars"
            + " of the selected symbols, into minute bronze only). Default: ${DEFAULT-VALUE}")
    String timespan;

    @Option(names = "--minute-universe", description = "With --timespan minute and --universe: every symbol of the"
            + " universe (about 100,000 minute bars a symbol a year).")
    boolean minuteUniverse;

    @Option(names = "--minute-retention-days", paramLabel = "DAYS", description = "With --timespan minute: the minutes of"
            + " this many calendar days before --as-of go to PostgreSQL's ohlcv_minute (1.." + RetentionWindow.MAX_MINUTE_DAYS
            + "; default " + RetentionWindow.DEFAULT_MINUTE_DAYS + ").")
    Integer minuteRetentionDays;

    void addTo(ObjectNode input) {
        input.put("timespan", timespan);
        if (minuteUniverse) {
            input.put("minute_universe", true);
        }
        if (minuteRetentionDays != null) {
            input.put(RetentionWindow.MINUTE_DAYS_FIELD, minuteRetentionDays);
        }
    }
}
