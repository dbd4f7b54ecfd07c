package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference data as a user meets it, through the real commands against the simulator: a backfill, a symbols
 * refresh stopped by the rate limit and resumed, the universes rebuilt, a backfill selecting one of them, a
 * mistyped entry refused. The oracles are the simulator's own market, DuckDB reading the lake, and SQL.
 */
class ReferenceEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate LAST = LocalDate.of(2025, 6, 30);
    private final List<PolygonSimulator> simulators = new ArrayList<>();

    @TempDir
    Path data;

    @AfterEach
    void stop() {
        simulators.forEach(PolygonSimulator::close);
    }

    private PolygonSimulator simulator(int rateLimitPerMinute) throws Exception {
        PolygonSimulator s = PolygonSimulator.start(new SyntheticMarket(42, 150, LAST, CALENDAR),
                new PolygonSimulator.Options(rateLimitPerMinute, 0, 0, null, 0), 0);
        simulators.add(s);
        return s;
    }

    private Cli.Result run(PolygonSimulator polygon, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", data.toString()));
        if (polygon != null) {
            all.addAll(List.of("--polygon-url", polygon.baseUrl().toString()));
        }
        all.add("--json");
        return Cli.run(all.toArray(String[]::new));
    }

    /** Runs the checks on the local PostgreSQL, started for them and stopped after. */
    private void withDatabase(Consumer<JdbcSql> checks) {
        try (LocalPostgres postgres = LocalPostgres.start(data, null)) {
            checks.accept(new JdbcSql(postgres.dataSource()));
        }
    }

    private static Map<String, List<Object>> rows(JdbcSql sql, String query) {
        Map<String, List<Object>> out = new HashMap<>();
        sql.query(query, List.of()).forEach(r -> out.put((String) r.getFirst(), r.subList(1, r.size())));
        return out;
    }

    @Test
    void refreshResumesAfterTheRateLimitAndTheUniversesFollowTheSymbols() throws Exception {
        PolygonSimulator lifted = simulator(0);
        SyntheticMarket market = lifted.market();
        List<String> inLake = List.of("AAPL", "MSFT", "SPY", "QQQ", "JPM", "XOM");
        Cli.Result backfill = run(lifted, "backfill", "--tickers", String.join(",", inLake), "--start", "2025-05-01",
                "--end", "2025-05-30", "--fast-retries");
        assertThat(backfill.exit()).as(backfill.toString()).isZero();

        // 40 requests a minute: the two listing pages, 38 details, then 429.
        PolygonSimulator limited = simulator(40);
        Cli.Result partial = run(limited, "symbols", "refresh");
        assertThat(partial.exit()).as(partial.toString()).isEqualTo(RunReport.EXIT_PARTIAL);
        JsonNode first = partial.summary();
        assertThat(first.get("details_fetched").asInt()).isEqualTo(38);
        assertThat(first.get("stopped_by").asText()).contains("exceeded the maximum requests per minute");
        assertThat(partial.err()).contains("symbols need ticker details").contains("at the free plan's 5 requests a minute");
        int remaining = first.get("remaining").asInt();
        long listed = market.listings().stream().filter(l -> l.active()).count();
        assertThat(remaining).isEqualTo(listed - 38);

        Cli.Result resumed = run(lifted, "symbols", "refresh");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        JsonNode second = resumed.summary();
        assertThat(second.get("resumed").asBoolean()).isTrue();
        assertThat(second.get("run_id").asText()).isEqualTo(first.get("run_id").asText());
        assertThat(second.get("remaining").asInt()).isZero();
        assertThat(lifted.requestCounts()).as("only the details left, the listing from the lake's cache")
                .containsEntry("details", (long) remaining).doesNotContainKey("tickers");

        Map<String, Double> lastClose = lastClosesByDuckDb();
        assertThat(lastClose).containsOnlyKeys(inLake);
        withDatabase(sql -> {
            // Text sorts by code point whatever locale the machine's environment names, as in DuckDB and Java (where that
            // locale is C or C.UTF-8 the C library sorts so too; the provider's check holds everywhere).
            List<String> mixed = List.of("brk.b", "BRKA", "BRK.A", "BRK-B", "A", "Ä");
            assertThat(sql.query("SELECT s FROM unnest(ARRAY['" + String.join("','", mixed) + "']) s ORDER BY s", List.of())
                    .stream().map(List::getFirst).toList()).isEqualTo(mixed.stream().sorted().toList());
            assertThat(sql.query("SELECT datlocprovider, datlocale FROM pg_database WHERE datname = current_database()", List.of()))
                    .as("the builtin provider, not the C library's locale").containsExactly(List.of("b", "C.UTF-8"));
            Map<String, List<Object>> symbols = rows(sql, "SELECT ticker, name, type, sic_code, sector, etf_type, market_cap,"
                    + " source_market_cap, shares_outstanding, last_close, cik, list_date FROM symbols");
            assertThat(symbols).hasSize((int) listed);
            for (SyntheticMarket.Listing l : market.listings()) {
                if (!l.active()) {
                    continue;
                }
                List<Object> s = symbols.get(l.ticker().value());
                String t = l.ticker().value();
                assertThat(s.subList(0, 3)).as(t).containsExactly(l.name(), l.type(), l.company().sicCode());
                String kind = l.company().etfKind();
                if (kind == null) {
                    assertThat(s.get(3)).as(t + " sector").isEqualTo(l.sector());
                } else if (kind.equals("technology")) {
                    assertThat(s.get(3)).as(t + " sector").isEqualTo("Technology");
                } else {
                    assertThat(s.get(3) != null).as(t + " sector").isEqualTo(kind.equals("sectors"));
                }
                assertThat(s.get(4)).as(t + " ETF kind").isEqualTo(l.company().etfKind());
                assertThat(s.get(9)).as(t).isEqualTo(l.company().cik());
                assertThat(s.get(10)).as(t).isEqualTo(CALENDAR.session(l.firstSession()).toString());
                double shares = ((Number) s.get(7)).doubleValue();
                if (lastClose.containsKey(t)) {
                    assertThat((Double) s.get(5)).as(t + ": shares x the lake's last close").isEqualTo(shares * lastClose.get(t));
                    assertThat((Double) s.get(8)).isEqualTo(lastClose.get(t));
                } else {
                    assertThat((Double) s.get(5)).as(t + ": the source's cap").isEqualTo((Double) s.get(6));
                }
                assertThat((Double) s.get(6)).as(t).isCloseTo(l.marketCap(), org.assertj.core.data.Percentage.withPercentage(0.01));
            }
        });
        assertThat(duckDb("SELECT count(*), count(DISTINCT ticker), count(sector) FROM read_parquet('"
                + data.resolve("s3/pricelake/reference/symbols/data.parquet") + "')")).isEqualTo(List.of(listed, listed,
                market.listings().stream().filter(l -> l.active() && (l.sector() != null || l.company().etfKind() != null
                        && List.of("sectors", "technology").contains(l.company().etfKind()))).count()));

        Cli.Result rebuilt = run(null, "universes", "rebuild");
        assertThat(rebuilt.exit()).as(rebuilt.toString()).isZero();
        assertThat(rebuilt.summary().at("/theme_tickers_left_out/AI").toString()).contains("PLTR: unknown symbol");
        Cli.Result shown = run(null, "universes", "show");
        assertThat(shown.exit()).as(shown.toString()).isZero();
        Map<String, Integer> counts = new HashMap<>();
        shown.summary().forEach(e -> counts.put(e.get("type").asText() + "/" + e.get("name").asText() + "/"
                + e.get("key").asText(), e.path("count").asInt()));
        for (String tier : List.of("mega_cap", "large_cap", "mid_cap", "small_cap", "micro_cap")) {
            assertThat(counts.get("stock_universe/market_cap/" + tier)).as(tier).isPositive();
        }
        for (String kind : List.of("Broad Market ETFs/etf_broad_market", "Sector ETFs/etf_sectors", "Growth ETFs/etf_growth",
                "Value ETFs/etf_value", "Technology ETFs/etf_technology", "Bond ETFs/etf_bonds", "Commodity ETFs/etf_commodities")) {
            assertThat(counts.get("etf_universe/" + kind)).as(kind).isPositive();
        }
        Cli.Result mega = run(null, "universes", "show", "stock_universe", "market_cap", "mega_cap");
        List<String> megaTickers = new ArrayList<>();
        mega.summary().path("tickers").forEach(t -> megaTickers.add(t.asText()));
        assertThat(megaTickers).contains("NVDA", "MSFT", "AAPL").doesNotContain("SPY");
        Cli.Result report = run(null, "universes", "report");
        assertThat(report.exit()).as(report.toString()).isZero();
        assertThat(report.summary().path("stale_members").size()).isZero();

        // A backfill of one universe: its tickers, no others; WriteRecent moves their closes and caps forward.
        Cli.Result byEntry = run(lifted, "backfill", "--universe-entry", "stock_universe/market_cap/mega_cap",
                "--start", "2025-06-02", "--end", "2025-06-30", "--fast-retries");
        assertThat(byEntry.exit()).as(byEntry.toString()).isZero();
        assertThat(byEntry.summary().at("/tickers/succeeded").asInt()).isEqualTo(megaTickers.size());
        Map<String, Double> closesAfter = lastClosesByDuckDb();
        withDatabase(sql -> {
            Map<String, List<Object>> caps = rows(sql, "SELECT ticker, last_close_date::text, last_close, market_cap,"
                    + " shares_outstanding FROM symbols WHERE ticker IN ('" + String.join("','", megaTickers) + "')");
            caps.forEach((t, r) -> {
                assertThat(r.get(0)).as(t).isEqualTo(LAST.toString());
                assertThat((Double) r.get(1)).as(t).isEqualTo(closesAfter.get(t));
                assertThat((Double) r.get(2)).as(t).isEqualTo(((Number) r.get(3)).doubleValue() * closesAfter.get(t));
            });
        });

        long lakeFiles = Cli.lakeFiles(data).size();
        Cli.Result typo = run(lifted, "backfill", "--universe-entry", "stock_universe/market_cap/giga_cap",
                "--start", "2025-06-02", "--end", "2025-06-30", "--fast-retries");
        assertThat(typo.exit()).as(typo.toString()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(typo.err()).contains("error: --universe-entry 'stock_universe/market_cap/giga_cap' is not a universe entry;"
                + " the entries are: ").contains("stock_universe/market_cap/{large_cap, mega_cap, micro_cap, mid_cap, small_cap}");
        assertThat(Cli.lakeFiles(data)).as("nothing written").hasSize((int) lakeFiles);

        Cli.Result again = run(lifted, "symbols", "refresh");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.summary().get("details_needed").asInt()).as("a repeated refresh costs no details call").isZero();
        assertThat(again.summary().get("rows_changed").asInt()).as("the runs kept every close current").isZero();
        assertThat(lifted.requestCounts().get("details")).isEqualTo(remaining);
    }

    /** The last close of every bronze file, by DuckDB. */
    private Map<String, Double> lastClosesByDuckDb() throws Exception {
        Map<String, Double> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, arg_max(close, date) FROM read_parquet('" + Cli.bronze(data)
                     + "/*/data.parquet') GROUP BY symbol")) {
            while (r.next()) {
                out.put(r.getString(1), r.getDouble(2));
            }
        }
        return out;
    }

    private static List<Object> duckDb(String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(query)) {
            r.next();
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                row.add(r.getLong(i));
            }
            return row;
        }
    }
}
