package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SimulatorCommand;
import dev.pricelake.local.simulator.SyntheticMarket;
import dev.pricelake.local.standins.StandIns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: Debian's chromium driven by playwright-core (local/console/browser-test.mjs)
 * against a serve over a simulated market whose symbols were refreshed and universes built first, as a user would
 * have them. The simulator's market and the lake's files, read here with our reader and DuckDB, are the referee for
 * what the pages drew. Screenshots: local/target/console-screenshots/.
 */
class ConsoleBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    /** What the test picks as the form's "Years of data". */
    private static final int MONTHS = 3;

    @TempDir
    Path temp;

    @Test
    void aLoadJobFromTheFormCompletesAndTheRunsRunSymbolAndUniversesPagesShowTheLake() throws Exception {
        Path data = temp.resolve("data");
        Path shots = StandIns.home("local/target/console-screenshots");
        Files.createDirectories(shots);
        SyntheticMarket market = new SyntheticMarket(42, 150, SimulatorCommand.lastPublished(null), CALENDAR);
        LocalDate start = LocalDate.now(ZoneId.of("America/New_York")).minusMonths(MONTHS);
        // A stock paying dividends through the job's months comes first, so its page has them to mark.
        SyntheticMarket.Listing payer = market.listings().stream().filter(l -> l.type().equals("CS") && l.active()
                && market.rename(l).isEmpty() && market.dividendPlan(l).isPresent()
                && CALENDAR.session(l.firstSession()).isBefore(start.minusYears(1))).findFirst().orElseThrow();
        List<String> symbols = List.of(payer.ticker().value(), payer.ticker().value().equals("AAPL") ? "MSFT" : "AAPL");
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(start));
        List<String> exDates = market.dividends(first, market.publishedThroughIndex()).stream()
                .filter(d -> d.listing().equals(payer)).map(d -> CALENDAR.session(d.exSession()).toString()).toList();
        long activeStocks = market.listings().stream().filter(l -> l.active() && l.type().equals("CS")).count();
        long activeEtfs = market.listings().stream().filter(l -> l.active() && l.type().equals("ETF")).count();

        JsonNode seen;
        try (PolygonSimulator simulator = PolygonSimulator.start(market, PolygonSimulator.Options.defaults(), 0)) {
            // The symbols and universes a user has before serve starts; then every ETF delisted, which a rebuild shows.
            for (List<String> command : List.of(List.of("symbols", "refresh", "--polygon-url", simulator.baseUrl().toString()),
                    List.of("universes", "rebuild"), List.of("sql", "--write", "UPDATE symbols SET active = false WHERE type = 'ETF'"))) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--data-dir", data.toString()));
                Cli.Result result = Cli.run(args.toArray(String[]::new));
                assertThat(result.exit()).as(result.toString()).isZero();
            }
            seen = browse(data, simulator, shots, symbols);
        }

        assertThat(seen.has("page_errors")).as(seen.toString()).isFalse();
        assertThat(seen.get("job_status").asText()).as(seen.toString()).isEqualTo("SUCCEEDED");
        assertThat(seen.get("job_log").asText()).contains("TaskStateExited FinishRun").endsWith("ExecutionSucceeded");

        Map<Ticker, List<Bar>> bronze = Cli.bronzeBars(data);
        assertThat(bronze.keySet()).extracting(Ticker::value).containsExactlyInAnyOrderElementsOf(symbols);
        long bars = bronze.values().stream().mapToLong(List::size).sum();
        // The symbols refresh's run, then the load job's, newest first.
        assertThat(seen.get("runs")).extracting(r -> r.get("run_id").asText().replaceAll("-.*", "")).containsExactly("backfill",
                "symbols");
        JsonNode run = seen.get("runs").get(0);
        assertThat(run.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(run.get("tickers").asText()).isEqualTo("2");
        assertThat(run.get("bars").asText().replace(",", "")).isEqualTo(Long.toString(bars));
        assertThat(seen.get("run_page_tickers")).extracting(t -> t.get("ticker").asText() + " " + t.get("status").asText())
                .containsExactlyInAnyOrder(symbols.get(0) + " SUCCEEDED", symbols.get(1) + " SUCCEEDED");

        // One candle per bronze bar, drawn (a canvas with more than a background), then one per 5-session silver bar.
        String shown = symbols.getFirst();
        assertThat(seen.get("daily_candles").asInt()).isEqualTo(bronze.get(Ticker.of(shown)).size()).isGreaterThan(40);
        assertThat(seen.get("chart_canvases").asInt()).isPositive();
        assertThat(seen.get("chart_drawn").asBoolean()).isTrue();
        assertThat(seen.get("five_session_candles").asInt()).isEqualTo(silverRows(data, 5, shown)).isPositive();
        // The symbol's metadata, its dividends as the market paid them (a table, and a marker on each ex-date's bar),
        // and its bronze file's provenance.
        assertThat(seen.get("reference_tables").toString()).contains("symbols", "splits", "dividends", "symbols_history");
        assertThat(seen.get("symbol_name").asText()).isEqualTo(payer.name());
        assertThat(exDates).as("the market pays %s in the job's months", shown).isNotEmpty();
        assertThat(texts(seen.get("dividend_dates"))).containsAll(exDates);
        assertThat(texts(seen.get("dividend_markers"))).containsExactlyElementsOf(exDates);
        assertThat(seen.get("bronze_metadata").asText()).contains("pricelake.adjustment").contains("pricelake.covered");
        assertThat(seen.get("coverage_text").asText()).startsWith("2 symbols");

        // Universes: the entries built before serve, then the rebuild after the ETFs were delisted.
        assertThat(seen.at("/entries_before/stock_universe complete all_stocks").asLong()).isEqualTo(activeStocks);
        assertThat(seen.at("/entries_before/etf_universe complete all_etfs").asLong()).isEqualTo(activeEtfs).isPositive();
        assertThat(seen.get("confirmation").asText()).contains("replace");
        assertThat(seen.get("rebuilt").asText()).contains("Rebuilt (replace)");
        assertThat(seen.at("/entries_after/stock_universe complete all_stocks").asLong()).isEqualTo(activeStocks);
        seen.get("entries_after").fields().forEachRemaining(e -> assertThat(e.getKey().startsWith("etf_universe")
                && e.getValue().asLong() > 0).as("no ETF left in " + e.getKey()).isFalse());
        for (String shot : List.of("load-jobs", "runs", "run", "symbol-daily", "symbol-5-session", "lake", "universes-before",
                "universes")) {
            assertThat(StandIns.home("local/target/console-screenshots/" + shot + ".png")).isNotEmptyFile();
        }
    }

    /** Starts serve on the data dir and drives the console in chromium; answers what the pages showed. */
    private JsonNode browse(Path data, PolygonSimulator simulator, Path shots, List<String> symbols) throws Exception {
        try (ServeProcess serve = ServeProcess.start(data, simulator.baseUrl(), temp.resolve("logs"), "--no-schedule")) {
            Path node = StandIns.home("local/sfn-runner/node_modules/.bin/node");
            Path script = StandIns.home("local/console/browser-test.mjs");
            Path out = temp.resolve("browser.out");
            Path err = temp.resolve("browser.err");
            Process browser = new ProcessBuilder(node.toString(), script.toString(), serve.endpoints().get("console").asText(),
                    shots.toString(), String.join(",", symbols), Integer.toString(MONTHS)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertThat(browser.waitFor(8, TimeUnit.MINUTES)).as("the browser test ends").isTrue();
            assertThat(browser.exitValue()).as(Files.readString(err) + "\nserve:\n" + serve.stderr()).isZero();
            return JSON.readTree(Files.readString(out).strip());
        }
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The k-session bars of a symbol in silver, counted by DuckDB. */
    private static long silverRows(Path data, int k, String symbol) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + data.resolve("s3/pricelake/silver/silver_"
                     + k + "d").toAbsolutePath() + "/*/*/*.parquet') WHERE symbol = '" + symbol + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
