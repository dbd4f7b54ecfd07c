package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake over time, as a user runs it: daily runs across a split and a rename, a symbol that fell behind, a
 * source that serves a session that has not closed. The oracle is the simulator's own market (its bars, splits and
 * renames), and a fresh backfill made on the same day.
 */
class LakeOverTimeEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate HORIZON = LocalDate.of(2024, 7, 5);
    private final List<PolygonSimulator> simulators = new ArrayList<>();

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        simulators.forEach(PolygonSimulator::close);
    }

    private PolygonSimulator simulator(LocalDate horizon) throws Exception {
        PolygonSimulator simulator = PolygonSimulator.start(new SyntheticMarket(42, 300, horizon, CALENDAR),
                PolygonSimulator.Options.defaults(), 0);
        simulators.add(simulator);
        return simulator;
    }

    private static LocalDate session(int index) {
        return CALENDAR.session(index);
    }

    private static Cli.Result run(String... args) {
        Cli.Result r = Cli.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static Cli.Result backfill(Path data, PolygonSimulator sim, List<Ticker> tickers, LocalDate start, LocalDate end) {
        return run("backfill", "--tickers", String.join(",", tickers.stream().map(Ticker::value).toList()), "--start",
                start.toString(), "--end", end.toString(), "--as-of", end.plusDays(1).toString(), "--data-dir", data.toString(),
                "--polygon-url", sim.baseUrl().toString(), "--fast-retries", "--json");
    }

    private static JsonNode daily(Path data, PolygonSimulator sim, LocalDate lastSession) {
        Cli.Result r = run("daily", "--as-of", lastSession.plusDays(1).toString(), "--data-dir", data.toString(), "--polygon-url",
                sim.baseUrl().toString(), "--fast-retries", "--json");
        assertThat(r.summary().get("status").asText()).as(r.toString()).isEqualTo("COMPLETE");
        return r.summary();
    }

    private static List<String> sql(Path data, String query) {
        return run("sql", query, "--data-dir", data.toString()).out().strip().lines().toList();
    }

    /** What the market serves for the listing over the range, adjusted as of its last published session: the oracle. */
    private static List<Bar> market(SyntheticMarket market, SyntheticMarket.Listing listing, LocalDate from, LocalDate to) {
        return market.bars(listing, CALENDAR.sessionIndex(CALENDAR.onOrAfter(from)), CALENDAR.sessionIndex(CALENDAR.onOrBefore(to)),
                true);
    }

    private static boolean plain(SyntheticMarket market, SyntheticMarket.Listing l, int from, int to) {
        return l.firstSession() < from && l.lastSession() > to && market.rename(l).isEmpty() && l.haltRate() == 0;
    }

    @Test
    void aDailyRunAcrossASplitLeavesWhatAFreshBackfillOfThatDayLeavesAndCatchesUpASymbolThatFellBehind() throws Exception {
        PolygonSimulator sim = simulator(HORIZON);
        SyntheticMarket market = sim.market();
        int last = CALENDAR.sessionIndex(HORIZON);
        int firstUsable = CALENDAR.sessionIndex(CALENDAR.onOrAfter(LocalDate.of(2018, 1, 2)));
        // The latest split in the market that leaves a few sessions on either side before the horizon.
        SyntheticMarket.Listing splitting = market.listings().stream()
                .filter(l -> plain(market, l, firstUsable, last) && !l.splits().isEmpty() && l.splits().getLast().session() < last - 3)
                .max(Comparator.comparingInt(l -> l.splits().getLast().session())).orElseThrow();
        int split = splitting.splits().getLast().session();
        List<SyntheticMarket.Listing> others = market.listings().stream()
                .filter(l -> plain(market, l, firstUsable, last) && l.splits().isEmpty()).limit(3).toList();
        SyntheticMarket.Listing behind = others.getLast();
        List<Ticker> current = List.of(splitting.ticker(), others.get(0).ticker(), others.get(1).ticker());
        // Six years of history: the first year falls outside PostgreSQL's window, into the archive.
        LocalDate start = session(split - 6 * 252);
        LocalDate before = session(split - 2);
        LocalDate after = session(split + 2);

        Path data = temp.resolve("daily");
        market.publishThrough(before);
        backfill(data, sim, current, start, before);
        backfill(data, sim, List.of(behind.ticker()), start, session(split - 7));

        market.publishThrough(after);
        JsonNode crossing = daily(data, sim, after);
        assertThat(crossing.at("/actions/refetched")).singleElement().satisfies(r -> {
            assertThat(r.get("symbol").asText()).isEqualTo(splitting.ticker().value());
            assertThat(r.get("reasons").get(0).asText()).startsWith("split " + splitting.ticker() + " " + session(split));
        });
        Cli.Result status = run("status", crossing.get("run_id").asText(), "--data-dir", data.toString(), "--json");
        assertThat(status.err()).contains("re-fetched " + splitting.ticker());

        Path fresh = temp.resolve("fresh");
        List<Ticker> all = new ArrayList<>(current);
        all.add(behind.ticker());
        backfill(fresh, sim, all, start, after);

        Map<Ticker, List<Bar>> bronze = Cli.bronzeBars(data);
        assertThat(bronze).isEqualTo(Cli.bronzeBars(fresh)).hasSize(4);
        assertThat(bronze.get(splitting.ticker())).as("the whole history is adjusted for the split, as the market serves it now")
                .isEqualTo(market(market, splitting, start, after));
        assertThat(bronze.get(behind.ticker())).isEqualTo(market(market, behind, start, after));
        Map<String, byte[]> silver = Cli.silver(data);
        Map<String, byte[]> freshSilver = Cli.silver(fresh);
        assertThat(silver.keySet()).isEqualTo(freshSilver.keySet()).isNotEmpty();
        freshSilver.forEach((key, bytes) -> assertThat(silver.get(key)).as(key).isEqualTo(bytes));
        // Every row of every symbol; and the re-fetched symbol's rows in each table, inside and outside the window (the
        // others' older rows stay in raw_ohlcv until the weekly retention moves them, as their runs' window had them).
        String columns = "symbol, date, open, high, low, close, volume, vwap, transactions";
        String rows = "SELECT 'all' AS kept, " + columns + " FROM raw_ohlcv_all UNION ALL SELECT 'recent', " + columns
                + " FROM raw_ohlcv WHERE symbol = '" + splitting.ticker() + "' UNION ALL SELECT 'archived', " + columns
                + " FROM raw_ohlcv_archive WHERE symbol = '" + splitting.ticker() + "' ORDER BY 1, 2, 3";
        List<String> postgres = sql(data, rows);
        assertThat(postgres).isEqualTo(sql(fresh, rows));
        assertThat(postgres).anyMatch(r -> r.startsWith("archived,")).anyMatch(r -> r.startsWith("recent,"))
                .filteredOn(r -> r.startsWith("all,")).hasSize(bronze.values().stream().mapToInt(List::size).sum());
        assertThat(BronzeParquet.readFile(Files.readAllBytes(Cli.bronze(data).resolve("symbol=" + splitting.ticker())
                .resolve("data.parquet")), "footer").metadata()).containsEntry("pricelake.adjustment", "splits-through:" + after);
    }

    @Test
    void aRenamedCompanyKeepsOneHistoryUnderItsNewTickerWithTheOldOneRecorded() throws Exception {
        PolygonSimulator sim = simulator(HORIZON);
        SyntheticMarket market = sim.market();
        int last = CALENDAR.sessionIndex(HORIZON);
        SyntheticMarket.Listing renamed = market.listings().stream()
                .filter(l -> market.rename(l).isPresent() && l.splits().isEmpty() && l.haltRate() == 0 && l.lastSession() > last)
                .filter(l -> market.rename(l).get().session() > l.firstSession() + 200 && market.rename(l).get().session() < last - 3)
                .max(Comparator.comparingInt(l -> market.rename(l).get().session())).orElseThrow();
        SyntheticMarket.Rename rename = market.rename(renamed).orElseThrow();
        int r = rename.session();
        LocalDate start = session(r - 150);
        Path data = temp.resolve("renamed");

        market.publishThrough(session(r - 2));
        backfill(data, sim, List.of(rename.previous()), start, session(r - 2));
        // The first run after the change finds the old ticker silent; the next one looks into why.
        market.publishThrough(session(r + 1));
        daily(data, sim, session(r + 1));
        market.publishThrough(session(r + 2));
        JsonNode moved = daily(data, sim, session(r + 2));
        assertThat(moved.at("/actions/renames_found/0/to").asText()).isEqualTo(renamed.ticker().value());
        assertThat(moved.at("/actions/retired/" + rename.previous()).asText()).isEqualTo(renamed.ticker().value());

        Map<Ticker, List<Bar>> bronze = Cli.bronzeBars(data);
        assertThat(bronze).containsOnlyKeys(renamed.ticker());
        List<Bar> expected = market(market, renamed, start, session(r + 2)).stream().map(b -> new Bar(renamed.ticker(), b.date(),
                b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap(), b.transactions())).toList();
        assertThat(bronze.get(renamed.ticker())).isEqualTo(expected);
        assertThat(BronzeParquet.readFile(Files.readAllBytes(Cli.bronze(data).resolve("symbol=" + renamed.ticker())
                .resolve("data.parquet")), "x").metadata().get("pricelake.traded_as"))
                .isEqualTo(rename.previous() + ":" + start + ".." + session(r).minusDays(1) + "," + renamed.ticker() + ":"
                        + session(r) + ".." + session(r + 2));
        assertThat(sql(data, "SELECT * FROM (SELECT symbol, ticker, valid_from::text, valid_to::text FROM symbols_history"
                + " UNION ALL SELECT symbol, 'rows', count(*)::text, NULL FROM raw_ohlcv_all GROUP BY symbol) u"
                + " ORDER BY ticker = 'rows', valid_from NULLS FIRST"))
                .containsExactly("symbol,ticker,valid_from,valid_to",
                        renamed.ticker() + "," + rename.previous() + ",," + session(r).minusDays(1),
                        renamed.ticker() + "," + renamed.ticker() + "," + session(r) + ",",
                        renamed.ticker() + ",rows," + expected.size() + ",");
    }

    @Test
    void noBarOfASessionThatHasNotClosedIsStoredWhateverTheSourceServes() throws Exception {
        LocalDate today = LocalDate.now(ZoneId.of("America/New_York"));
        // The simulator publishes today's session (or the next one, on a weekend) as if it had closed.
        PolygonSimulator sim = simulator(CALENDAR.onOrAfter(today));
        SyntheticMarket market = sim.market();
        int upcoming = CALENDAR.sessionIndex(CALENDAR.onOrAfter(today));
        List<SyntheticMarket.Listing> listings = market.listings().stream()
                .filter(l -> plain(market, l, upcoming - 60, upcoming)).limit(1).toList();
        assertThat(market(market, listings.getFirst(), session(upcoming), session(upcoming))).as("the source has it").hasSize(1);
        Path data = temp.resolve("today");
        Ticker ticker = listings.getFirst().ticker();
        run("backfill", "--tickers", ticker.value(), "--start", session(upcoming - 30).toString(), "--end",
                session(upcoming).toString(), "--data-dir", data.toString(), "--polygon-url", sim.baseUrl().toString(),
                "--fast-retries", "--json");

        List<Bar> bars = Cli.bronzeBars(data).get(ticker);
        assertThat(bars.getLast().date()).isBefore(today);
        assertThat(bars).isEqualTo(market(market, listings.getFirst(), session(upcoming - 30), today.minusDays(1)));
    }
}
