package dev.pricelake.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.Migrations;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.reference.EtfClassifier;
import dev.pricelake.core.reference.LakeUniverses;
import dev.pricelake.core.reference.MarketCapTiers;
import dev.pricelake.core.reference.SicTable;
import dev.pricelake.core.reference.Symbol;
import dev.pricelake.core.reference.Themes;
import dev.pricelake.core.reference.UniverseRebuild;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of universe checked against the symbols table by SQL written here, run by PostgreSQL itself on the
 * same rows: the rebuild's Java code and these queries share nothing but the table.
 */
class UniversesAgainstSqlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BUILT = Instant.parse("2026-01-06T10:00:00Z");
    /** Members in universe order: market cap, largest first, unknown last, ties by ticker. */
    private static final String ORDER = " ORDER BY market_cap DESC NULLS LAST, ticker COLLATE \"C\"";
    private static final String STOCKS = "SELECT ticker FROM symbols WHERE active AND type = 'CS'";
    private static final String SLUG = "trim(both '_' from regexp_replace(lower(%s), '[^a-z0-9]+', '_', 'g'))";
    private static final String[] FUNDS = {"SPDR S&P 500 ETF Trust", "Vanguard Total Stock Market ETF",
            "Technology Select Sector SPDR Fund", "Energy Select Sector SPDR Fund", "Vanguard Growth ETF",
            "iShares Russell 1000 Value ETF", "Invesco QQQ Trust, Series 1", "iShares Semiconductor ETF",
            "iShares 20+ Year Treasury Bond ETF", "SPDR Gold Shares", "United States Oil Fund, LP",
            "Schwab U.S. Dividend Equity ETF", "iShares MSCI Emerging Markets ETF", "ProShares UltraPro QQQ"};
    private static final String[] SIC_CODES = {"3571", "3674", "7372", "7370", "2834", "2836", "6021", "6022", "6311",
            "1311", "2911", "4911", "6798", "3711", "5961", "5812", "2080", "3721", "4011", "2810", "4813", "9999", null};
    private static EmbeddedPostgres postgres;
    private static JdbcSql sql;
    private InMemoryObjectStore lake;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Migrations.apply(postgres.getPostgresDatabase());
        sql = new JdbcSql(postgres.getPostgresDatabase());
        new PostgresSymbols(sql).upsert(market(3_000, 11), BUILT.minusSeconds(3600));
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyEntries() {
        sql.update("TRUNCATE cache_entries", List.of());
        lake = new InMemoryObjectStore();
    }

    /** A market with every tier, a spread of sectors and ETF kinds, some inactive, some without a market cap. */
    static List<Symbol> market(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SicTable sic = SicTable.bundled();
        EtfClassifier etfs = EtfClassifier.bundled();
        Set<String> used = new HashSet<>(List.of("NVDA", "MSFT", "DEAD"));
        List<Symbol> out = new ArrayList<>();
        out.add(stock("NVDA", 4.2e12, "3674", true, sic));
        out.add(stock("MSFT", 3.9e12, "7372", true, sic));
        out.add(stock("DEAD", 5e9, "7372", false, sic));
        while (out.size() < count) {
            StringBuilder t = new StringBuilder();
            for (int i = random.nextInt(1, 5); i > 0; i--) {
                t.append((char) ('A' + random.nextInt(26)));
            }
            if (!used.add(t.toString())) {
                continue;
            }
            double kind = random.nextDouble();
            boolean active = random.nextDouble() < 0.95;
            // Caps from $20M to $3T, log-uniform, a few unknown; some equal caps to exercise the ticker tie-break.
            Double cap = random.nextDouble() < 0.05 ? null : random.nextDouble() < 0.02 ? 1e9
                    : Math.exp(Math.log(2e7) + random.nextDouble() * Math.log(3e12 / 2e7));
            if (kind < 0.8) {
                out.add(stock(t.toString(), cap, SIC_CODES[random.nextInt(SIC_CODES.length)], active, sic));
            } else if (kind < 0.95) {
                String name = FUNDS[random.nextInt(FUNDS.length)];
                EtfClassifier.Classification c = etfs.classify(name);
                out.add(new Symbol(Ticker.of(t.toString()), name, "ETF", "ARCX", active, null, null, null, null, null, null,
                        c.sector(), null, null, cap, cap, null, null, c.etfType(), c.issuer(), BUILT, BUILT));
            } else {
                out.add(new Symbol(Ticker.of(t.toString()), t + " ADR", "ADRC", "XNYS", active, null, null, null, null, "3571",
                        null, "Technology", "Computer Hardware", null, cap, cap, null, null, null, null, BUILT, BUILT));
            }
        }
        return out;
    }

    private static Symbol stock(String ticker, Double cap, String sicCode, boolean active, SicTable sic) {
        var c = sicCode == null ? java.util.Optional.<SicTable.Classification>empty() : sic.classify(sicCode);
        return new Symbol(Ticker.of(ticker), ticker + " Inc.", "CS", ticker.length() % 2 == 0 ? "XNAS" : "XNYS", active,
                LocalDate.of(2001, 1, 2), null, null, null, sicCode, null, c.map(SicTable.Classification::sector).orElse(null),
                c.map(SicTable.Classification::industry).orElse(null), cap == null ? null : 1_000_000L, cap, cap,
                cap == null ? null : cap / 1_000_000L, cap == null ? null : LocalDate.of(2026, 1, 5), null, null, BUILT, BUILT);
    }

    private UniverseRebuild.Result rebuild(boolean append, Instant at) {
        Themes themes = Themes.parse("AI: NVDA, MSFT, NOPE1, DEAD\nEmpty Theme: NOPE2\n", "test themes");
        return new UniverseRebuild(new PostgresSymbols(sql), new PostgresCacheEntries(sql), lake,
                Clock.fixed(at, ZoneOffset.UTC)).rebuild(themes, MarketCapTiers.DEFAULT, append);
    }

    private static List<String> column(String query, Object... params) {
        return sql.query(query, List.of(params)).stream().map(r -> (String) r.getFirst()).toList();
    }

    private static List<String> members(String type, String name, String key) {
        return column("SELECT t.ticker FROM cache_entries, jsonb_array_elements_text(CASE WHEN jsonb_typeof(value) = 'array'"
                + " THEN value ELSE value -> 'tickers' END) WITH ORDINALITY AS t(ticker, n)"
                + " WHERE type = ? AND name = ? AND key = ? ORDER BY t.n", type, name, key);
    }

    private static long scalar(String query, Object... params) {
        return (Long) sql.query(query, List.of(params)).getFirst().getFirst();
    }

    @Test
    void marketCapTiersHoldTheActiveStocksInsideTheirBounds() {
        rebuild(false, BUILT);
        String[][] tiers = {{"mega_cap", "market_cap >= 200e9"}, {"large_cap", "market_cap >= 10e9 AND market_cap < 200e9"},
                {"mid_cap", "market_cap >= 2e9 AND market_cap < 10e9"}, {"small_cap", "market_cap >= 300e6 AND market_cap < 2e9"},
                {"micro_cap", "market_cap > 0 AND market_cap < 300e6"}};
        for (String[] tier : tiers) {
            List<String> expected = column(STOCKS + " AND " + tier[1] + ORDER);
            assertThat(expected).as(tier[0]).isNotEmpty();
            assertThat(members("stock_universe", "market_cap", tier[0])).as(tier[0]).isEqualTo(expected);
        }
        assertThat(scalar("SELECT count(*) FROM cache_entries WHERE name = 'market_cap' AND (value ->> 'count')::int"
                + " <> jsonb_array_length(value -> 'tickers')")).as("count matches the list").isZero();
        // The metadata beside each ticker is the symbol's own row.
        assertThat(scalar("SELECT count(*) FROM cache_entries c, jsonb_array_elements(c.value -> 'stocks') s"
                + " JOIN symbols y ON y.ticker = s ->> 'ticker' WHERE c.type = 'stock_universe'"
                + " AND ((s ->> 'market_cap')::double precision IS DISTINCT FROM y.market_cap"
                + " OR s ->> 'sector' IS DISTINCT FROM y.sector OR s ->> 'industry' IS DISTINCT FROM y.industry"
                + " OR s ->> 'name' IS DISTINCT FROM y.name OR s ->> 'exchange' IS DISTINCT FROM y.primary_exchange)")).isZero();
    }

    @Test
    void leadersAreTheLargestOfTheirSectorAndOfTheMarket() {
        rebuild(false, BUILT);
        List<List<Object>> sectors = sql.query("SELECT DISTINCT sector, 'top_10_' || " + SLUG.formatted("sector")
                + " FROM symbols WHERE active AND type = 'CS' AND sector IS NOT NULL", List.of());
        assertThat(sectors).hasSizeGreaterThanOrEqualTo(8);
        for (List<Object> sector : sectors) {
            assertThat(members("stock_universe", "sector_leaders", (String) sector.get(1))).as((String) sector.get(0))
                    .isEqualTo(column(STOCKS + " AND sector = ? AND market_cap > 0" + ORDER + " LIMIT 10", sector.get(0)));
        }
        assertThat(column("SELECT key FROM cache_entries WHERE name = 'sector_leaders' ORDER BY key"))
                .containsExactlyInAnyOrderElementsOf(sectors.stream().map(s -> (String) s.get(1)).toList());
        for (String[] leaders : new String[][] {{"top_10_stocks", "10"}, {"top_50", "50"}, {"top_100", "100"},
                {"top_250", "250"}, {"top_500", "500"}}) {
            assertThat(members("stock_universe", "market_leaders", leaders[0])).as(leaders[0])
                    .isEqualTo(column(STOCKS + " AND market_cap > 0" + ORDER + " LIMIT " + leaders[1]))
                    .hasSize(Integer.parseInt(leaders[1]));
        }
        assertThat(members("stock_universe", "market_leaders", "top_10_stocks")).startsWith("NVDA", "MSFT");
    }

    @Test
    void industriesCompleteListsAndEtfUniverses() {
        rebuild(false, BUILT);
        List<List<Object>> industries = sql.query("SELECT DISTINCT industry, " + SLUG.formatted("industry")
                + " FROM symbols WHERE active AND type = 'CS' AND industry IS NOT NULL", List.of());
        for (List<Object> industry : industries) {
            assertThat(members("stock_universe", "industry", (String) industry.get(1))).as((String) industry.get(0))
                    .isEqualTo(column(STOCKS + " AND industry = ?" + ORDER, industry.get(0)));
        }
        assertThat(scalar("SELECT count(*) FROM cache_entries WHERE name = 'industry'")).isEqualTo(industries.size());

        assertThat(members("stock_universe", "complete", "all_stocks")).as("every active stock")
                .isEqualTo(column(STOCKS + ORDER));
        assertThat(column("SELECT jsonb_typeof(value) FROM cache_entries WHERE name = 'complete' AND key LIKE 'all_%'"))
                .containsOnly("array");
        assertThat(members("stock_universe", "complete", "top_1000")).isEqualTo(column(STOCKS + " AND market_cap > 0" + ORDER
                + " LIMIT 1000"));
        assertThat(members("etf_universe", "complete", "all_etfs"))
                .isEqualTo(column("SELECT ticker FROM symbols WHERE active AND type = 'ETF'" + ORDER));
        assertThat(members("etf_universe", "complete", "top_100")).isEqualTo(column(
                "SELECT ticker FROM symbols WHERE active AND type = 'ETF' AND market_cap > 0" + ORDER + " LIMIT 100"));

        String[][] kinds = {{"Broad Market ETFs", "broad_market"}, {"Sector ETFs", "sectors"}, {"Growth ETFs", "growth"},
                {"Value ETFs", "value"}, {"Technology ETFs", "technology"}, {"Bond ETFs", "bonds"},
                {"Commodity ETFs", "commodities"}};
        for (String[] kind : kinds) {
            String condition = kind[1].equals("technology") ? "(etf_type = 'technology' OR sector = 'Technology')"
                    : "etf_type = '" + kind[1] + "'";
            List<String> expected = column("SELECT ticker FROM symbols WHERE active AND type = 'ETF' AND " + condition + ORDER);
            assertThat(expected).as(kind[0]).isNotEmpty();
            assertThat(members("etf_universe", kind[0], "etf_" + kind[1])).as(kind[0]).isEqualTo(expected);
        }
        assertThat(scalar("SELECT count(*) FROM cache_entries c, jsonb_array_elements_text(c.value -> 'tickers') t"
                + " LEFT JOIN symbols s ON s.ticker = t WHERE c.type = 'etf_universe' AND c.name <> 'complete'"
                + " AND (s.type IS DISTINCT FROM 'ETF' OR NOT s.active)")).as("ETF universes hold only active ETFs").isZero();
    }

    @Test
    void themesKeepKnownActiveTickersAndReportTheOthers() {
        UniverseRebuild.Result result = rebuild(false, BUILT);
        assertThat(members("themes", "AI", "list")).containsExactly("NVDA", "MSFT");
        assertThat(members("stock_universe", "themes", "ai")).containsExactly("NVDA", "MSFT");
        assertThat(members("themes", "Empty Theme", "list")).isEmpty();
        assertThat(members("stock_universe", "themes", "empty_theme")).isEmpty();
        assertThat(result.leftOut()).containsEntry("AI", List.of("NOPE1: unknown symbol", "DEAD: no longer active"))
                .containsEntry("Empty Theme", List.of("NOPE2: unknown symbol"));
    }

    @Test
    void theSummaryCountsByTypeTierSectorAndExchange() throws Exception {
        rebuild(false, BUILT);
        JsonNode summary = JSON.readTree(column("SELECT value::text FROM cache_entries WHERE type = 'stock_stats'"
                + " AND name = 'universe' AND key = 'summary'").getFirst());
        assertThat(summary.path("active_stocks").asLong()).isEqualTo(scalar("SELECT count(*) FROM symbols WHERE active"
                + " AND type = 'CS'"));
        assertThat(summary.at("/by_tier/mega_cap").asLong()).isEqualTo(scalar("SELECT count(*) FROM symbols WHERE active"
                + " AND type = 'CS' AND market_cap >= 200e9"));
        assertThat(summary.at("/by_type/ETF").asLong()).isEqualTo(scalar("SELECT count(*) FROM symbols WHERE active AND type = 'ETF'"));
        assertThat(summary.at("/by_sector/Technology").asLong()).isEqualTo(scalar("SELECT count(*) FROM symbols WHERE active"
                + " AND type = 'CS' AND sector = 'Technology'"));
        assertThat(summary.at("/by_exchange/XNAS").asLong()).isEqualTo(scalar("SELECT count(*) FROM symbols WHERE active"
                + " AND primary_exchange = 'XNAS'"));
        assertThat(summary.path("data_updated_at").asText()).isEqualTo(BUILT.minusSeconds(3600).toString());
    }

    @Test
    void replaceKeepsOtherTypesDropsStaleEntriesAndChangesNothingButUpdatedAtWhenRepeated() throws Exception {
        sql.update("INSERT INTO cache_entries (type, name, key, value) VALUES"
                + " ('app_settings', 'ui', 'default', '{\"theme\": \"dark\"}'),"
                + " ('stock_universe', 'industry', 'buggy_whips', '{\"count\": 1, \"tickers\": [\"WHIP\"]}'),"
                + " ('stock_universe', 'custom', 'mine', '[\"IBM\"]')", List.of());
        UniverseRebuild.Result first = rebuild(false, BUILT);

        assertThat(column("SELECT value ->> 'theme' FROM cache_entries WHERE type = 'app_settings'")).containsExactly("dark");
        assertThat(scalar("SELECT count(*) FROM cache_entries WHERE key IN ('buggy_whips', 'mine')")).isZero();
        assertThat(scalar("SELECT count(*) FROM cache_entries WHERE type <> 'app_settings'")).isEqualTo(first.entries().size());
        sql.update("CREATE TABLE before_rebuild AS SELECT * FROM cache_entries", List.of());

        rebuild(false, BUILT.plusSeconds(60));

        assertThat(scalar("SELECT count(*) FROM before_rebuild b FULL JOIN cache_entries c USING (type, name, key)"
                + " WHERE b.value IS DISTINCT FROM c.value")).as("the same values").isZero();
        assertThat(scalar("SELECT count(*) FROM cache_entries WHERE type <> 'app_settings' AND updated_at <> ?",
                BUILT.plusSeconds(60))).isZero();
        sql.update("DROP TABLE before_rebuild", List.of());
    }

    @Test
    void appendKeepsCustomEntriesAndUpdatesItsOwn() {
        rebuild(false, BUILT);
        sql.update("INSERT INTO cache_entries (type, name, key, value) VALUES ('stock_universe', 'custom', 'mine', '[\"IBM\"]')",
                List.of());
        sql.update("UPDATE cache_entries SET value = '{\"count\": 0, \"tickers\": []}' WHERE key = 'mega_cap'", List.of());

        rebuild(true, BUILT.plusSeconds(60));

        assertThat(members("stock_universe", "custom", "mine")).containsExactly("IBM");
        assertThat(members("stock_universe", "market_cap", "mega_cap")).isEqualTo(column(STOCKS + " AND market_cap >= 200e9"
                + ORDER));
    }

    @Test
    void theLakeHoldsTheSameEntriesWithAnIndex() throws Exception {
        UniverseRebuild.Result result = rebuild(false, BUILT);
        JsonNode index = JSON.readTree(lake.get(LakeUniverses.INDEX).orElseThrow());
        assertThat(index.path("entries")).hasSize(result.entries().size());
        for (JsonNode e : index.path("entries")) {
            String file = new String(lake.get(e.path("path").asText()).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(scalar("SELECT count(*) FROM cache_entries WHERE type = ? AND name = ? AND key = ? AND value = ?::jsonb",
                    e.path("type").asText(), e.path("name").asText(), e.path("key").asText(), file))
                    .as(e.path("path").asText()).isEqualTo(1);
        }
        assertThat(lake.list(LakeUniverses.PREFIX)).contains("reference/universes/etf_universe/broad_market_etfs/etf_broad_market.json");
    }
}
