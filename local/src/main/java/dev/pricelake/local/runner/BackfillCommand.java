package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Backfill daily bars through the backfill state machine on local stand-ins.",
                "Exit code: 0 COMPLETE, 3 PARTIAL (resume it), 1 FAILED, 2 bad input."})
public final class BackfillCommand implements Callable<Integer> {
    static final class Which {
        @Option(names = "--tickers", split = ",", description = "Symbols, comma-separated.")
        List<String> tickers;

        @Option(names = "--universe", description = "Every active ticker of these types: cs, etf, cs,etf or all.")
        String universe;

        @Option(names = "--universe-entry", paramLabel = "TYPE/NAME/KEY", description = "The tickers of an organized"
                + " universe, such as stock_universe/market_cap/mega_cap (./pricelake universes show lists them).")
        String universeEntry;

        @ArgGroup(exclusive = false)
        Mentions mentions;
    }

    static final class Mentions {
        @Option(names = "--top-mentions", required = true, description = "The N tickers most mentioned in article_tickers.")
        int topMentions;

        @Option(names = "--min-articles", defaultValue = "1", description = "Each with at least M articles.")
        int minArticles;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--start", required = true, description = "First date, YYYY-MM-DD.")
    String start;

    @Option(names = "--end", required = true, description = "Last date, YYYY-MM-DD.")
    String end;

    @Mixin
    BatchingOptions batching;

    @Option(names = "--unadjusted", description = "Prices as traded, not adjusted for splits.")
    boolean unadjusted;

    @Option(names = "--include-delisted", description = "With --universe: delisted tickers too (no survivorship bias).")
    boolean includeDelisted;

    @Option(names = "--fetch", defaultValue = "auto", description = "auto (the plan with fewer calls), range (one call"
            + " per ticker) or grouped (one call per session). Default: ${DEFAULT-VALUE}")
    String fetch;

    @Mixin
    MinuteOptions minutes;

    @Option(names = "--run-id", description = "Name the run: the first start creates it, the same start again resumes"
            + " it (fetching nothing already done), the same name with other options is refused.")
    String runId;

    @Mixin
    SourceOption source;

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectNode input = Events.object();
        if (runId != null) {
            input.put("run_id", runId);
        }
        input.put("mode", "backfill");
        input.put("start", start);
        input.put("end", end);
        ObjectNode selection = input.putObject("selection");
        if (which.tickers != null) {
            ArrayNode list = selection.putArray("tickers");
            which.tickers.forEach(t -> list.add(t.strip()));
        } else if (which.universe != null) {
            selection.put("universe", which.universe);
            selection.put("include_delisted", includeDelisted);
        } else if (which.universeEntry != null) {
            selection.put("universe_entry", which.universeEntry);
        } else {
            selection.put("top_mentions", which.mentions.topMentions);
            selection.put("min_articles", which.mentions.minArticles);
        }
        input.put("adjusted", !unadjusted);
        input.put("fetch", fetch);
        minutes.addTo(input);
        source.addTo(input, fetch, options.stack.polygon);
        batching.addTo(input);
        options.addTo(input);
        return RunReport.execute(options, input, null, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
