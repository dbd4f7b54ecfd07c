package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.universe.Universe;
import dev.pricelake.core.universe.UniverseCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "universe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List a universe (every active ticker of some types, delisted ones on request) and show its"
                + " counts by type and primary exchange.",
                "The list is cached in the lake under reference/universe/ for 24 hours; backfills and daily runs use it."})
public final class UniverseCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--types", defaultValue = "cs", description = "cs, etf, cs,etf, ... or all. Default: ${DEFAULT-VALUE}")
    String types;

    @Option(names = "--include-delisted", description = "Delisted tickers too.")
    boolean includeDelisted;

    @Option(names = "--force-refresh", description = "Ask the API even when the cached copy is younger than 24 hours.")
    boolean forceRefresh;

    @Option(names = "--data-dir", defaultValue = ".pricelake", description = "Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Mixin
    PolygonOptions polygon;

    @Option(names = "--json", description = "Print the counts as one JSON object on the last line of stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Universe.Query query = Universe.Query.parse("--types", types, includeDelisted);
        try (LocalPipeline pipeline = LocalPipeline.lakeAndPolygon(polygon.settings(dataDir, null), err)) {
            Universe universe = new UniverseCache(pipeline.polygon(), pipeline.lake(), Clock.systemUTC()).get(query, forceRefresh);
            Map<String, Map<String, Long>> counts = universe.countsByTypeAndExchange();
            long delisted = universe.tickers().stream().filter(t -> !t.active()).count();
            PrintWriter screen = json ? err : out;
            screen.printf(Locale.ROOT, "universe %s: %,d tickers (%,d delisted), %s %s%n", query.describe(),
                    universe.tickers().size(), delisted, universe.fromCache() ? "cached copy from" : "fetched at",
                    universe.fetchedAt());
            screen.printf(Locale.ROOT, "%-8s %-10s %10s%n", "type", "exchange", "tickers");
            counts.forEach((type, byExchange) -> byExchange.forEach((exchange, n) ->
                    screen.printf(Locale.ROOT, "%-8s %-10s %,10d%n", type, exchange, n)));
            if (!universe.unrecognizedSymbols().isEmpty()) {
                screen.printf(Locale.ROOT, "%,d listed symbols are not valid tickers here and were left out%n",
                        universe.unrecognizedSymbols().size());
            }
            screen.println("cache: " + dataDir.resolve("s3").resolve(LocalPipeline.BUCKET).resolve(UniverseCache.key(query))
                    + (universe.fromCache() ? " (use --force-refresh to fetch again)" : ""));
            screen.flush();
            if (json) {
                ObjectNode summary = Events.object();
                summary.put("types", query.names());
                summary.put("include_delisted", query.includeDelisted());
                summary.put("tickers", universe.tickers().size());
                summary.put("delisted", delisted);
                summary.put("from_cache", universe.fromCache());
                summary.put("fetched_at", universe.fetchedAt().toString());
                summary.put("unrecognized_symbols", universe.unrecognizedSymbols().size());
                summary.set("by_type_and_exchange", JSON.valueToTree(counts));
                summary.put("cache_key", UniverseCache.key(query));
                out.println(JSON.writeValueAsString(summary));
                out.flush();
            }
        }
        return 0;
    }
}
