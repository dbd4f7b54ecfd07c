package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.reference.EtfClassifier;
import dev.pricelake.core.reference.MarketCapTiers;
import dev.pricelake.core.reference.SicTable;
import dev.pricelake.core.reference.SymbolsParquet;
import dev.pricelake.core.reference.Themes;
import dev.pricelake.core.universe.Universe;
import dev.pricelake.reference.ReferenceHandler;
import dev.pricelake.reference.ReferenceSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "symbols", mixinStandardHelpOptions = true, description = "The symbols table (reference data).",
        subcommands = SymbolsCommand.Refresh.class)
public final class SymbolsCommand {
    private SymbolsCommand() {
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Update the symbols table from the listing (cached 24 hours in the lake) and from ticker details,"
                    + " fetched only for symbols that are new, whose details are older than --max-age-days, or that the"
                    + " listing no longer shows active; reclassify every symbol (SIC table, ETF rules) and recompute market"
                    + " caps from the lake's last closes (no API call); write the table to the lake as Parquet.",
                    "A refresh stopped by the rate limit or interrupted is resumed by the next one.",
                    "Exit code: 0 complete, 3 details left to fetch (run it again), 1 failed, 2 bad input."})
    static final class Refresh implements Callable<Integer> {
        @Option(names = "--types", defaultValue = "cs,etf", description = "Listed types: cs, etf, cs,etf, ... or all."
                + " Default: ${DEFAULT-VALUE}")
        String types;

        @Option(names = "--include-delisted", description = "Delisted tickers too.")
        boolean includeDelisted;

        @Option(names = "--max-age-days", defaultValue = "30", description = "Fetch details again when older than this."
                + " Default: ${DEFAULT-VALUE}")
        String maxAgeDays;

        @Option(names = "--sic-table", description = "Your own SIC-to-sector table (the columns of the bundled"
                + " sic-sectors.csv) instead of the bundled one.")
        Path sicTable;

        @Option(names = "--etf-rules", description = "Your own ETF rules (the columns of the bundled etf-rules.csv).")
        Path etfRules;

        @Mixin
        DatabaseOptions database;

        @Mixin
        PolygonOptions polygon;

        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = output.spec.commandLine().getErr();
            PrintWriter screen = output.screen();
            Universe.Query query = Universe.Query.parse("--types", types, includeDelisted);
            SicTable sic = sicTable == null ? SicTable.bundled() : SicTable.parse(read("--sic-table", sicTable),
                    "--sic-table " + sicTable);
            EtfClassifier rules = etfRules == null ? EtfClassifier.bundled() : EtfClassifier.parse(read("--etf-rules", etfRules),
                    "--etf-rules " + etfRules);
            ReferenceSettings settings = new ReferenceSettings(() -> sic, () -> rules, Themes::bundled, MarketCapTiers.DEFAULT,
                    ReferenceSettings.days("--max-age-days", maxAgeDays));
            ObjectNode event = Events.object();
            event.put("rebuild", false);
            event.put("types", query.names());
            event.put("include_delisted", includeDelisted);
            try (LocalPipeline pipeline = LocalPipeline.start(polygon.settings(database.dataDir, database.databaseUrl), err)) {
                ReferenceHandler handler = new ReferenceHandler(pipeline.polygon(), new PostgresSymbols(pipeline.sql()),
                        new PostgresCacheEntries(pipeline.sql()), pipeline.progress(), pipeline.lake(), settings,
                        Clock.systemUTC(), line -> {
                            err.println(line);
                            err.flush();
                        });
                JsonNode r = handler.invoke(event).get("refresh");
                screen.printf(Locale.ROOT, "symbols refresh (%s): %,d listed, %,d symbols in the table%n", query.describe(),
                        r.get("listed").asInt(), r.get("symbols").asInt());
                screen.printf(Locale.ROOT, "  details: %,d needed, %,d fetched, %,d unknown to the source, %,d failed%s%n",
                        r.get("details_needed").asInt(), r.get("details_fetched").asInt(), r.get("details_not_found").asInt(),
                        r.get("details_failed").asInt(), r.hasNonNull("run_id") ? " (run " + r.get("run_id").asText() + ", "
                                + r.get("status").asText() + ")" : "");
                screen.printf(Locale.ROOT, "  market caps: %,d symbols at the lake's last close (shares x close), the others at"
                        + " the source's own; %,d rows changed%n", r.get("lake_closes").asInt(), r.get("rows_changed").asInt());
                if (r.hasNonNull("stopped_by")) {
                    screen.println("  stopped: " + r.get("stopped_by").asText());
                }
                if (r.get("remaining").asInt() > 0) {
                    screen.printf(Locale.ROOT, "  %,d symbols still need details: run ./pricelake symbols refresh again to"
                            + " resume (./pricelake status %s shows them)%n", r.get("remaining").asInt(), r.get("run_id").asText());
                }
                screen.println("  lake:  " + database.dataDir.resolve("s3").resolve(LocalPipeline.BUCKET).resolve(SymbolsParquet.KEY));
                screen.println("  query: ./pricelake sql \"SELECT ticker, name, type, sector, market_cap FROM symbols"
                        + " ORDER BY market_cap DESC NULLS LAST LIMIT 20\"");
                output.finish(r);
                return switch (r.get("status").asText()) {
                    case "COMPLETE" -> RunReport.EXIT_COMPLETE;
                    case "PARTIAL" -> RunReport.EXIT_PARTIAL;
                    default -> RunReport.EXIT_FAILED;
                };
            }
        }
    }

    /** A file a user named with an option; a missing one is refused naming the option, before anything starts. */
    static String read(String option, Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException(option, "cannot read '" + file + "' (" + e.getMessage() + ")");
        }
    }
}
