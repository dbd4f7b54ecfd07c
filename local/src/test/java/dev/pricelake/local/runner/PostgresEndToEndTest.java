package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL through the real commands: the window after a backfill, retention, repeats, the mentions selector. */
class PostgresEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final DateRange RANGE = DateRange.parse("2018-01-01", "2024-12-31");
    private PolygonSimulator simulator;

    @TempDir
    Path data;

    @BeforeEach
    void start() throws Exception {
        simulator = PolygonSimulator.start(new SyntheticMarket(42, 300, LocalDate.of(2025, 6, 30), CALENDAR),
                PolygonSimulator.Options.defaults(), 0);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private List<String> tickers(int count) {
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(RANGE.start()));
        return simulator.market().listings().stream().filter(l -> l.firstSession() <= first && l.active())
                .filter(l -> simulator.market().rename(l).isEmpty()).limit(count).map(l -> l.ticker().value()).toList();
    }

    private Cli.Result backfill(String... selection) {
        List<String> args = new ArrayList<>(List.of("backfill"));
        args.addAll(List.of(selection));
        args.addAll(List.of("--start", RANGE.start().toString(), "--end", RANGE.end().toString(), "--as-of", "2024-06-30",
                "--data-dir", data.toString(), "--polygon-url", simulator.baseUrl().toString(), "--fast-retries", "--json"));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The query's rows as CSV lines, header first. */
    private List<String> sql(String query) {
        Cli.Result r = Cli.run("sql", query, "--data-dir", data.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out().strip().lines().toList();
    }

    private long count(String query) {
        return Long.parseLong(sql(query).get(1));
    }

    /** Bronze rows inside (or outside) the window, as "SYMBOL,DATE,CLOSE" lines, sorted. */
    private TreeSet<String> bronze(RetentionWindow window, boolean inside) {
        TreeSet<String> rows = new TreeSet<>();
        for (Map.Entry<Ticker, List<Bar>> e : Cli.bronzeBars(data).entrySet()) {
            for (Bar b : e.getValue()) {
                if (window.contains(b.date()) == inside) {
                    rows.add(b.symbol() + "," + b.date() + "," + b.close());
                }
            }
        }
        return rows;
    }

    @Test
    void postgresHoldsExactlyTheBronzeRowsInsideTheWindowAndRetentionMovesWhatLeavesIt() {
        Cli.Result run = backfill("--tickers", String.join(",", tickers(6)));
        assertThat(run.exit()).as(run.toString()).isZero();

        RetentionWindow window = RetentionWindow.asOf(LocalDate.of(2024, 6, 30));
        List<String> recent = sql("SELECT symbol, date, close FROM raw_ohlcv ORDER BY symbol, date");
        assertThat(new TreeSet<>(recent.subList(1, recent.size()))).isEqualTo(bronze(window, true)).hasSizeGreaterThan(5000);
        // Bars older than the window go to the archive: PostgreSQL holds the whole history, each key in one table.
        List<String> archived = sql("SELECT symbol, date, close FROM raw_ohlcv_archive ORDER BY symbol, date");
        assertThat(new TreeSet<>(archived.subList(1, archived.size()))).isEqualTo(bronze(window, false)).hasSizeGreaterThan(500);
        long total = count("SELECT count(*) FROM raw_ohlcv");
        long older = count("SELECT count(*) FROM raw_ohlcv_archive");
        String stamp = sql("SELECT max(updated_at) FROM raw_ohlcv").get(1);

        // The same backfill again (a repeated batch, a second run): the same rows, not even updated_at moves.
        assertThat(backfill("--tickers", String.join(",", tickers(6))).exit()).isZero();
        assertThat(count("SELECT count(*) FROM raw_ohlcv")).isEqualTo(total);
        assertThat(sql("SELECT max(updated_at) FROM raw_ohlcv").get(1)).isEqualTo(stamp);

        // A year later, retention moves exactly the rows that left the window.
        LocalDate later = LocalDate.of(2025, 6, 30);
        LocalDate cutoff = RetentionWindow.asOf(later).cutoff();
        long leaving = count("SELECT count(*) FROM raw_ohlcv WHERE date < '" + cutoff + "'");
        assertThat(leaving).isPositive();
        Cli.Result moved = Cli.run("retention", "--as-of", later.toString(), "--data-dir", data.toString(), "--json");
        assertThat(moved.exit()).as(moved.toString()).isZero();
        assertThat(moved.summary().get("rows_moved").asLong()).isEqualTo(leaving);
        assertThat(moved.summary().get("rows_conserved").asBoolean()).isTrue();
        assertThat(count("SELECT count(*) FROM raw_ohlcv WHERE date < '" + cutoff + "'")).isZero();
        assertThat(count("SELECT count(*) FROM raw_ohlcv_archive")).isEqualTo(older + leaving);
        assertThat(count("SELECT (SELECT count(*) FROM raw_ohlcv) + (SELECT count(*) FROM raw_ohlcv_archive)")).isEqualTo(total + older);
        assertThat(count("SELECT count(*) FROM raw_ohlcv JOIN raw_ohlcv_archive USING (symbol, date)")).isZero();

        Cli.Result again = Cli.run("retention", "--as-of", later.toString(), "--data-dir", data.toString(), "--json");
        assertThat(again.summary().get("rows_moved").asLong()).as("a second run moves nothing").isZero();
        assertThat(count("SELECT count(*) FROM raw_ohlcv_archive")).isEqualTo(older + leaving);

        // A backfill of old dates after the retention (its as_of a year earlier) leaves no key in both tables.
        assertThat(backfill("--tickers", String.join(",", tickers(6))).exit()).isZero();
        assertThat(count("SELECT count(*) FROM raw_ohlcv JOIN raw_ohlcv_archive USING (symbol, date)")).isZero();
        assertThat(count("SELECT (SELECT count(*) FROM raw_ohlcv) + (SELECT count(*) FROM raw_ohlcv_archive)")).isEqualTo(total + older);
    }

    @Test
    void topMentionsSelectsTheMostMentionedTickersWithEnoughArticles() throws Exception {
        List<String> t = tickers(5);
        Path csv = data.resolve("mentions.csv");
        Files.createDirectories(data);
        List<String> lines = new ArrayList<>(List.of("article_id,ticker,published_at"));
        int[] articles = {3, 5, 3, 1, 2};
        int id = 0;
        for (int i = 0; i < t.size(); i++) {
            for (int a = 0; a < articles[i]; a++) {
                lines.add("n" + (id++) + "," + t.get(i) + "," + (a % 2 == 0 ? "2025-01-02" : ""));
            }
        }
        Files.write(csv, lines);
        Cli.Result load = Cli.run("mentions", "load", csv.toString(), "--data-dir", data.toString());
        assertThat(load.exit()).as(load.toString()).isZero();

        Cli.Result run = backfill("--top-mentions", "3", "--min-articles", "2");

        assertThat(run.exit()).as(run.toString()).isZero();
        // 5 articles first, then the two with 3 in ticker order; the one with 2 is fourth, the one with 1 is below the bar.
        List<String> expected = new ArrayList<>(List.of(t.get(1)));
        expected.addAll(new TreeSet<>(List.of(t.get(0), t.get(2))));
        assertThat(Cli.bronzeBars(data).keySet()).extracting(Ticker::value).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(run.summary().at("/tickers/succeeded").asInt()).isEqualTo(3);

        Path bad = data.resolve("bad.csv");
        Files.write(bad, List.of("article_id,ticker,published_at", "x1,AAPL,2025-01-02", "x2,aapl!,2025-01-02"));
        Cli.Result rejected = Cli.run("mentions", "load", bad.toString(), "--data-dir", data.toString());
        assertThat(rejected.exit()).isEqualTo(2);
        assertThat(rejected.err()).contains("bad.csv line 3").contains("'aapl!'");
        assertThat(count("SELECT count(*) FROM article_tickers WHERE article_id = 'x1'")).as("nothing of a bad file").isZero();
    }
}
