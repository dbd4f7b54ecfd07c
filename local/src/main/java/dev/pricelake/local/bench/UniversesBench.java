package dev.pricelake.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.reference.EtfClassifier;
import dev.pricelake.core.reference.MarketCapTiers;
import dev.pricelake.core.reference.SicTable;
import dev.pricelake.core.reference.Symbol;
import dev.pricelake.core.reference.Themes;
import dev.pricelake.core.reference.UniverseRebuild;
import dev.pricelake.local.Pricelake;
import dev.pricelake.local.runner.LocalPostgres;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Rebuilding every universe from a symbols table of the simulator's market (its names, SIC codes, caps and ETF
 * names, classified as a refresh would): the rebuild itself with the PostgreSQL write (the lake a local folder), a
 * repeat, append mode, then the {@code universes rebuild} command end to end; PostgreSQL building the tiers,
 * leaders, industries and complete lists by itself (jsonb_agg) is the peer.
 */
@Command(name = "universes", mixinStandardHelpOptions = true,
        description = "Time to rebuild every universe, PostgreSQL write included; target under 5 s for 10,000 symbols.")
public final class UniversesBench implements Callable<Integer> {
    @Option(names = "--symbols", defaultValue = "10000", description = "Default: ${DEFAULT-VALUE}")
    int symbols;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("pricelake-universes-bench");
        System.out.printf(Locale.ROOT, "universes bench: %,d symbols (the simulator's market, seed 42), embedded PostgreSQL 17,"
                + " JVM %s, %d cores%n", symbols, Runtime.version(), Runtime.getRuntime().availableProcessors());
        try {
            List<Symbol> table = table(symbols);
            try (LocalPostgres postgres = LocalPostgres.start(dir, null)) {
                JdbcSql sql = new JdbcSql(postgres.dataSource());
                long t0 = System.nanoTime();
                new PostgresSymbols(sql).upsert(table, Instant.parse("2026-01-05T11:00:00Z"));
                System.out.printf(Locale.ROOT, "  symbols table filled with %,d rows in %.2f s (not timed below)%n", table.size(),
                        (System.nanoTime() - t0) / 1e9);
                UniverseRebuild rebuild = new UniverseRebuild(new PostgresSymbols(sql), new PostgresCacheEntries(sql),
                        new FileObjectStore(dir.resolve("lake")), Clock.systemUTC());
                print("rebuild (replace, first in this JVM)", rebuild.rebuild(Themes.bundled(), MarketCapTiers.DEFAULT, false));
                print("rebuild (replace, again)", rebuild.rebuild(Themes.bundled(), MarketCapTiers.DEFAULT, false));
                print("rebuild (append)", rebuild.rebuild(Themes.bundled(), MarketCapTiers.DEFAULT, true));
                long t1 = System.nanoTime();
                long rows = PostgresPeer.build(sql);
                System.out.printf(Locale.ROOT, "  peer: PostgreSQL builds tiers, leaders, industries and complete lists itself"
                        + " (%,d entries, jsonb_agg, one transaction): %.2f s%n", rows, (System.nanoTime() - t1) / 1e9);
            }
            long t2 = System.nanoTime();
            StringWriter out = new StringWriter();
            int exit = Pricelake.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                    .execute("universes", "rebuild", "--data-dir", dir.toString(), "--json");
            System.out.printf(Locale.ROOT, "  ./pricelake universes rebuild, end to end (start PostgreSQL and S3Proxy, rebuild,"
                    + " write both): %.2f s, exit %d%n", (System.nanoTime() - t2) / 1e9, exit);
            JsonNode summary = new ObjectMapper().readTree(out.toString().strip().lines().reduce((a, b) -> b).orElse("{}"));
            System.out.println("    of which, in seconds: " + summary.path("seconds"));
            return exit;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(String what, UniverseRebuild.Result r) {
        double total = (r.readSymbols().toNanos() + r.build().toNanos() + r.writeDatabase().toNanos() + r.writeLake().toNanos())
                / 1e9;
        System.out.printf(Locale.ROOT, "  %-38s %5.2f s = read symbols %.2f + build %.2f + PostgreSQL write %.2f + lake"
                        + " (files) %.2f; %,d entries%n", what, total, r.readSymbols().toNanos() / 1e9,
                r.build().toNanos() / 1e9, r.writeDatabase().toNanos() / 1e9, r.writeLake().toNanos() / 1e9, r.entries().size());
    }

    /** The symbols a refresh would leave for the simulator's market: its details, classified by the bundled rules. */
    static List<Symbol> table(int count) {
        SyntheticMarket market = new SyntheticMarket(42, count, LocalDate.of(2025, 12, 31), TradingCalendar.nyse());
        SicTable sic = SicTable.bundled();
        EtfClassifier etfs = EtfClassifier.bundled();
        Instant now = Instant.parse("2026-01-05T11:00:00Z");
        List<Symbol> out = new ArrayList<>(count);
        for (SyntheticMarket.Listing l : market.listings()) {
            var company = l.company();
            var industry = sic.classify(company.sicCode());
            var etf = l.type().equals("ETF") ? etfs.classify(l.name()) : null;
            out.add(new Symbol(l.ticker(), l.name(), l.type(), l.exchange(), l.active(),
                    market.calendar().session(l.firstSession()), null, company.cik(), company.compositeFigi(), company.sicCode(),
                    company.sicDescription(), etf != null ? etf.sector() : industry.map(SicTable.Classification::sector).orElse(null),
                    etf != null ? null : industry.map(SicTable.Classification::industry).orElse(null), null, l.marketCap(),
                    l.marketCap(), null, null, etf == null ? null : etf.etfType(), etf == null ? null : etf.issuer(), now, now));
        }
        return out;
    }
}
