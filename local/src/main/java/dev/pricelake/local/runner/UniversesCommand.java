package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.reference.CacheEntry;
import dev.pricelake.core.reference.CacheEntryStore;
import dev.pricelake.core.reference.LakeUniverses;
import dev.pricelake.core.reference.MarketCapTiers;
import dev.pricelake.core.reference.Themes;
import dev.pricelake.core.reference.UniverseEntries;
import dev.pricelake.core.reference.UniverseRebuild;
import dev.pricelake.core.reference.UniverseReport;
import dev.pricelake.reference.ReferenceOutput;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "universes", mixinStandardHelpOptions = true,
        description = "The organized universes (cache_entries): market-cap tiers, sector and market leaders, industries,"
                + " themes, ETF universes, the complete lists and a summary.",
        subcommands = {UniversesCommand.Rebuild.class, UniversesCommand.Show.class, UniversesCommand.Report.class})
public final class UniversesCommand {
    /** Lower bounds of the mega, large, mid and small tiers, unless --tier-bounds says otherwise. */
    public static final String DEFAULT_TIER_BOUNDS = "200B,10B,2B,300M";
    private static final ObjectMapper JSON = new ObjectMapper();

    private UniversesCommand() {
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Build every universe from the symbols table into cache_entries and the lake"
                    + " (reference/universes/).",
                    "Replace mode (the default) deletes and rewrites every stock_universe, etf_universe, themes and"
                            + " stock_stats entry in one transaction and keeps app_settings and every other type;"
                            + " --append adds or updates its entries and keeps the rest."})
    static final class Rebuild implements Callable<Integer> {
        @Option(names = "--append", description = "Keep existing entries; add or update this build's.")
        boolean append;

        @Option(names = "--themes", description = "Your own themes file ('Name: TICKER, TICKER, ...' a line) instead of"
                + " the bundled themes.txt.")
        Path themes;

        @Option(names = "--tier-bounds", defaultValue = DEFAULT_TIER_BOUNDS, description = "Lower bounds of the mega, large,"
                + " mid and small tiers (micro is below small). Default: ${DEFAULT-VALUE}")
        String tierBounds;

        @Mixin
        DatabaseOptions database;

        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            PrintWriter screen = output.screen();
            Themes parsed = themes == null ? Themes.bundled()
                    : Themes.parse(SymbolsCommand.read("--themes", themes), "--themes " + themes);
            MarketCapTiers tiers = MarketCapTiers.parse("--tier-bounds", tierBounds);
            try (LocalPipeline lake = LocalPipeline.lakeOnly(database.dataDir); LocalPostgres postgres = database.start()) {
                JdbcSql sql = new JdbcSql(postgres.dataSource());
                UniverseRebuild.Result r = new UniverseRebuild(new PostgresSymbols(sql), new PostgresCacheEntries(sql),
                        lake.lake(), Clock.systemUTC()).rebuild(parsed, tiers, append);
                screen.printf(Locale.ROOT, "universes rebuilt (%s) from %,d symbols: %,d entries in %.2f s"
                                + " (read %.2f s, build %.2f s, PostgreSQL %.2f s, lake %.2f s)%n", r.append() ? "append" : "replace",
                        r.symbols(), r.entries().size(), seconds(r.readSymbols().plus(r.build()).plus(r.writeDatabase())
                                .plus(r.writeLake()).toNanos()), seconds(r.readSymbols().toNanos()), seconds(r.build().toNanos()),
                        seconds(r.writeDatabase().toNanos()), seconds(r.writeLake().toNanos()));
                if (r.symbols() == 0) {
                    screen.println("  the symbols table is empty: run ./pricelake symbols refresh first");
                }
                r.leftOut().forEach((theme, tickers) -> screen.println("  theme " + theme + ": left out "
                        + String.join(", ", tickers)));
                screen.println("  show:  ./pricelake universes show   (or report)");
                screen.println("  lake:  " + database.dataDir.resolve("s3").resolve(LocalPipeline.BUCKET).resolve(LakeUniverses.INDEX));
                output.finish(ReferenceOutput.json(r));
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print the entries (type, name, key, count, updated_at), those of one TYPE or TYPE NAME, or the"
                    + " tickers of one entry (TYPE NAME KEY; with --json, its whole value)."})
    static final class Show implements Callable<Integer> {
        @Parameters(arity = "0..3", paramLabel = "TYPE NAME KEY", description = "stock_universe market_cap mega_cap, ...")
        List<String> path = List.of();

        @Mixin
        DatabaseOptions database;

        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            PrintWriter screen = output.screen();
            try (LocalPostgres postgres = database.start()) {
                CacheEntryStore entries = new PostgresCacheEntries(new JdbcSql(postgres.dataSource()));
                if (path.size() == 3) {
                    CacheEntry.Id id = new CacheEntry.Id(path.get(0), path.get(1), path.get(2));
                    List<Ticker> tickers = UniverseEntries.members(entries, "TYPE NAME KEY", id);
                    screen.printf(Locale.ROOT, "%s: %,d tickers%n", id, tickers.size());
                    tickers.forEach(t -> screen.println(t.value()));
                    output.finish(entries.entry(id).orElseThrow().value());
                } else {
                    List<CacheEntryStore.Listed> listed = entries.list().stream()
                            .filter(l -> path.isEmpty() || l.id().type().equals(path.get(0)))
                            .filter(l -> path.size() < 2 || l.id().name().equals(path.get(1))).toList();
                    if (listed.isEmpty()) {
                        throw new InvalidInputException("TYPE NAME", "no entry is under '" + String.join("/", path)
                                + "'; ./pricelake universes show lists them all");
                    }
                    screen.printf(Locale.ROOT, "%-16s %-28s %-36s %8s  %s%n", "type", "name", "key", "count", "updated_at");
                    ArrayNode list = JSON.createArrayNode();
                    for (CacheEntryStore.Listed l : listed) {
                        screen.printf(Locale.ROOT, "%-16s %-28s %-36s %8s  %s%n", l.id().type(), l.id().name(), l.id().key(),
                                l.count() == null ? "-" : String.format(Locale.ROOT, "%,d", l.count()), l.updatedAt());
                        ObjectNode o = list.addObject();
                        o.put("type", l.id().type());
                        o.put("name", l.id().name());
                        o.put("key", l.id().key());
                        o.put("count", l.count());
                        o.put("updated_at", l.updatedAt().toString());
                    }
                    output.finish(list);
                }
                return 0;
            }
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Counts by type and name, freshness, active symbols in no universe (the complete lists aside),"
                    + " and entries whose members are no longer active."})
    static final class Report implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            PrintWriter screen = output.screen();
            try (LocalPostgres postgres = database.start()) {
                JdbcSql sql = new JdbcSql(postgres.dataSource());
                UniverseReport r = UniverseReport.of(new PostgresCacheEntries(sql), new PostgresSymbols(sql));
                screen.printf(Locale.ROOT, "%-16s %-28s %8s %10s  %-27s %s%n", "type", "name", "entries", "members", "oldest",
                        "newest");
                r.groups().forEach(g -> screen.printf(Locale.ROOT, "%-16s %-28s %,8d %,10d  %-27s %s%n", g.type(), g.name(),
                        g.entries(), g.members(), g.oldest(), g.newest()));
                screen.printf(Locale.ROOT, "%nfreshness: entries updated %s to %s; built from symbols as of %s (last close %s)%n",
                        r.oldest(), r.newest(), r.dataUpdatedAt(), r.lastCloseDate());
                screen.printf(Locale.ROOT, "symbols: %,d (%,d active); %,d active symbols are in no universe but the complete"
                        + " lists%n", r.symbols(), r.activeSymbols(), r.unplacedCount());
                r.unplaced().forEach((type, tickers) -> screen.printf(Locale.ROOT, "  %-6s %,6d  %s%n", type, tickers.size(),
                        examples(tickers)));
                screen.printf(Locale.ROOT, "entries listing symbols no longer active (or unknown): %,d%n", r.staleMembers().size());
                r.staleMembers().forEach((id, tickers) -> screen.printf(Locale.ROOT, "  %s: %,d  %s%n", id, tickers.size(),
                        examples(tickers)));
                output.finish(json(r));
                return 0;
            }
        }

        private static String examples(List<String> tickers) {
            return String.join(", ", tickers.subList(0, Math.min(10, tickers.size()))) + (tickers.size() > 10 ? ", ..." : "");
        }

        private static ObjectNode json(UniverseReport r) {
            ObjectNode node = Events.object();
            ArrayNode groups = node.putArray("groups");
            r.groups().forEach(g -> groups.addObject().put("type", g.type()).put("name", g.name()).put("entries", g.entries())
                    .put("members", g.members()).put("oldest", g.oldest().toString()).put("newest", g.newest().toString()));
            node.put("oldest", r.oldest() == null ? null : r.oldest().toString());
            node.put("newest", r.newest() == null ? null : r.newest().toString());
            node.put("data_updated_at", r.dataUpdatedAt());
            node.put("last_close_date", r.lastCloseDate());
            node.put("symbols", r.symbols());
            node.put("active_symbols", r.activeSymbols());
            ObjectNode unplaced = node.putObject("unplaced");
            r.unplaced().forEach((type, tickers) -> tickers.forEach(t -> unplaced.withArray(type).add(t)));
            ObjectNode stale = node.putObject("stale_members");
            r.staleMembers().forEach((id, tickers) -> tickers.forEach(t -> stale.withArray(id.toString()).add(t)));
            return node;
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
