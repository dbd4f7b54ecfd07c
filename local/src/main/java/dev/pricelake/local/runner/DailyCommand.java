package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "daily", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The scheduled run, on demand: catch each symbol of the lake up from its own last session to the"
                + " last one before --as-of (default: today in New York), re-fetch histories a split or a rename made"
                + " stale, and fetch the history of new members of --universe.",
                "Run id daily-YYYYMMDD: a second run for the same day does nothing (--force runs it again, as"
                        + " daily-YYYYMMDD-2, ...); a day with nothing to fetch records no run.",
                "--timespan minute catches minute bronze up the same way (each of its symbols from its own last"
                        + " minute session, plus --tickers or a universe), as daily-minute-YYYYMMDD.",
                "Exit code: 0 COMPLETE, 3 PARTIAL (resume it), 1 FAILED, 2 bad input."})
public final class DailyCommand implements Callable<Integer> {
    @Option(names = "--universe", description = "Also track this universe (cs, etf, cs,etf, all); new members get their"
            + " history. Default: only the symbols already in the lake.")
    String universe;

    @Option(names = "--include-delisted", description = "With --universe: delisted tickers too.")
    boolean includeDelisted;

    @Option(names = "--universe-entry", paramLabel = "TYPE/NAME/KEY", description = "Also track the tickers of this"
            + " organized universe (stock_universe/market_cap/mega_cap, ...); new ones get their history.")
    String universeEntry;

    @Option(names = "--tickers", split = ",", description = "With --timespan minute: also track these symbols"
            + " (comma-separated); new ones get their history.")
    List<String> tickers;

    @Option(names = "--history-start", description = "Where a new member's history starts. Default: 5 years before"
            + " --as-of; with --timespan minute the first day of --minute-retention-days.")
    String historyStart;

    @Mixin
    MinuteOptions minutes;

    @Option(names = "--fetch", defaultValue = "auto", description = "auto (fewer calls), range or grouped."
            + " Default: ${DEFAULT-VALUE}")
    String fetch;

    @Option(names = "--force", description = "Run the day again even if its run exists.")
    boolean force;

    @Mixin
    BatchingOptions batching;

    @Mixin
    SourceOption source;

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectNode input = Events.object();
        input.put("mode", "daily");
        if (universe != null) {
            input.put("universe", universe);
            input.put("include_delisted", includeDelisted);
        }
        if (universeEntry != null) {
            input.put("universe_entry", universeEntry);
        }
        if (tickers != null) {
            ArrayNode list = input.putArray("tickers");
            tickers.forEach(t -> list.add(t.strip()));
        }
        if (historyStart != null) {
            input.put("history_start", historyStart);
        }
        input.put("fetch", fetch);
        minutes.addTo(input);
        source.addTo(input, fetch, options.stack.polygon);
        if (force) {
            input.put("force", true);
        }
        batching.addTo(input);
        options.addTo(input);
        return RunReport.execute(options, input, null, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
