package dev.pricelake.reference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.reference.SymbolRefresh;
import dev.pricelake.core.reference.UniverseRebuild;
import java.time.Duration;

/** The handler's answer (and the local commands' --json): small counts, never the symbols or the entries themselves. */
public final class ReferenceOutput {
    private ReferenceOutput() {
    }

    public static ObjectNode json(SymbolRefresh.Result r) {
        ObjectNode node = Events.object();
        node.put("run_id", r.runId() == null ? null : r.runId().value());
        node.put("status", r.status().name());
        node.put("resumed", r.resumed());
        node.put("listed", r.listed());
        node.put("symbols", r.symbols());
        node.put("details_needed", r.detailsNeeded());
        node.put("details_fetched", r.detailsFetched());
        node.put("details_not_found", r.detailsNotFound());
        node.put("details_failed", r.detailsFailed());
        node.put("remaining", r.remaining());
        node.put("stopped_by", r.stoppedBy());
        node.put("lake_closes", r.lakeCloses());
        node.put("rows_changed", r.rowsChanged());
        return node;
    }

    public static ObjectNode json(UniverseRebuild.Result r) {
        ObjectNode node = Events.object();
        node.put("mode", r.append() ? "append" : "replace");
        node.put("symbols", r.symbols());
        node.put("entries", r.entries().size());
        ObjectNode leftOut = node.putObject("theme_tickers_left_out");
        r.leftOut().forEach((theme, tickers) -> tickers.forEach(t -> leftOut.withArray(theme).add(t)));
        ObjectNode seconds = node.putObject("seconds");
        seconds.put("read_symbols", seconds(r.readSymbols()));
        seconds.put("build", seconds(r.build()));
        seconds.put("write_database", seconds(r.writeDatabase()));
        seconds.put("write_lake", seconds(r.writeLake()));
        return node;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
