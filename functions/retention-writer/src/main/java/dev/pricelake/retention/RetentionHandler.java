package dev.pricelake.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import java.util.Set;

/** The retention job ({@code {"as_of"?}}): rows older than the window move to raw_ohlcv_archive. */
public final class RetentionHandler extends JsonHandler {
    private final RecentBarsStore recent;

    public RetentionHandler() {
        this(FunctionEnvironment.system().recentBars());
    }

    public RetentionHandler(RecentBarsStore recent) {
        this.recent = recent;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Events.rejectUnknownFields(event, Set.of("as_of"), "");
        RetentionWindow window = RetentionWindow.asOf(Events.date(event, "as_of"));
        RecentBarsStore.Counts before = recent.counts();
        RecentBarsStore.RetentionResult r = recent.moveOlderThan(window.cutoff());
        RecentBarsStore.Counts after = recent.counts();
        ObjectNode out = Events.object();
        out.put("as_of", window.asOf().toString());
        out.put("cutoff", r.cutoff().toString());
        out.put("rows_moved", r.rowsMoved());
        out.put("rows_moved_one_by_one", r.rowsMovedOneByOne());
        r.yearsMovedWhole().forEach(y -> out.withArray("years_moved_whole").add(y));
        out.put("recent_rows", after.recent());
        out.put("archive_rows", after.archive());
        out.put("rows_conserved", before.recent() + before.archive() == after.recent() + after.archive());
        return out;
    }
}
