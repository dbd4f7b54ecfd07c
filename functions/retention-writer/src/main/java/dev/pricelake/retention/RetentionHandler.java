package dev.pricelake.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.sql.PostgresMinuteBars;
import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import java.util.Set;

/**
 * The retention job ({@code {"as_of"?, "minute_retention_days"?}}): day rows older than the window move to
 * raw_ohlcv_archive; minutes older than the minute window (30 days by default) are deleted from ohlcv_minute, since
 * minute bronze already keeps every one of them.
 */
public final class RetentionHandler extends JsonHandler {
    private final RecentBarsStore recent;
    private final MinuteBarsStore minutes;

    public RetentionHandler() {
        this(FunctionEnvironment.system());
    }

    private RetentionHandler(FunctionEnvironment env) {
        this(env.recentBars(), new PostgresMinuteBars(env.database()));
    }

    public RetentionHandler(RecentBarsStore recent, MinuteBarsStore minutes) {
        this.recent = recent;
        this.minutes = minutes;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Events.rejectUnknownFields(event, Set.of("as_of", RetentionWindow.MINUTE_DAYS_FIELD), "");
        RetentionWindow window = RetentionWindow.asOf(Events.date(event, "as_of"));
        RetentionWindow minuteWindow = RetentionWindow.minutes(window.asOf(), Events.minuteRetentionDays(event));
        RecentBarsStore.Counts before = recent.counts();
        RecentBarsStore.RetentionResult r = recent.moveOlderThan(window.cutoff());
        RecentBarsStore.Counts after = recent.counts();
        long minutesDeleted = minutes.deleteOlderThan(minuteWindow.cutoffInstant());
        ObjectNode out = Events.object();
        out.put("as_of", window.asOf().toString());
        out.put("cutoff", r.cutoff().toString());
        out.put("rows_moved", r.rowsMoved());
        out.put("rows_moved_one_by_one", r.rowsMovedOneByOne());
        r.yearsMovedWhole().forEach(y -> out.withArray("years_moved_whole").add(y));
        out.put("recent_rows", after.recent());
        out.put("archive_rows", after.archive());
        out.put("rows_conserved", before.recent() + before.archive() == after.recent() + after.archive());
        out.put(RetentionWindow.MINUTE_DAYS_FIELD, minuteWindow.keep().getDays());
        out.put("minute_cutoff", minuteWindow.cutoffInstant().toString());
        out.put("minutes_deleted", minutesDeleted);
        out.put("minute_rows", minutes.count());
        return out;
    }
}
