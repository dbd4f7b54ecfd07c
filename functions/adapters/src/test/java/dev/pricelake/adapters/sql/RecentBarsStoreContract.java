package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the PostgreSQL port must do, on a fresh embedded PostgreSQL with the real migrations. */
abstract class RecentBarsStoreContract {
    private static final Instant T1 = Instant.parse("2026-01-05T11:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-06T11:00:00Z");
    /** A window every test bar is inside: the writes go to raw_ohlcv alone. */
    static final RetentionWindow ALL_RECENT = new RetentionWindow(LocalDate.of(2030, 1, 2), Period.ofYears(100));
    private EmbeddedPostgres postgres;
    DataSource dataSource;

    abstract PostgresRecentBars store(DataSource dataSource);

    @BeforeEach
    void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        assertThat(Migrations.apply(dataSource)).isEqualTo(DataApiMigrations.bundled().size());
        assertThat(Migrations.apply(dataSource)).as("a second run applies nothing").isZero();
    }

    @AfterEach
    void stopPostgres() throws Exception {
        postgres.close();
    }

    static List<Bar> bars(String symbol, String from, String to) {
        List<Bar> out = new ArrayList<>();
        double price = 10;
        for (LocalDate d : TradingCalendar.nyse().sessions(DateRange.parse(from, to))) {
            price += 0.25;
            out.add(new Bar(Ticker.of(symbol), d, price, price + 1, price - 1, price + 0.5, 1000.5,
                    d.getDayOfMonth() % 2 == 0 ? null : price, d.getDayOfMonth() % 3 == 0 ? null : 42L));
        }
        return out;
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aWriteIsIdempotentAndAChangedBarWins() throws Exception {
        PostgresRecentBars store = store(dataSource);
        List<Bar> week = bars("ABC", "2024-03-04", "2024-03-08");
        store.write(week, ALL_RECENT, T1);
        store.write(week, ALL_RECENT, T2);
        assertThat(store.counts()).isEqualTo(new RecentBarsStore.Counts(5, 0));
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv WHERE updated_at = '" + T1 + "'"))
                .as("an unchanged bar keeps its first updated_at").isEqualTo(5);
        Bar first = week.getFirst();
        store.write(List.of(new Bar(first.symbol(), first.date(), 1, 2, 0.5, 1.5, 7, null, null)), ALL_RECENT, T2);
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv WHERE close = 1.5 AND vwap IS NULL AND transactions IS NULL"
                + " AND updated_at = '" + T2 + "'")).isEqualTo(1);
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv WHERE vwap IS NULL")).isPositive();
    }

    @Test
    void barsReadBackAsTheyWereWrittenFromTheGivenDate() {
        PostgresRecentBars store = store(dataSource);
        List<Bar> written = bars("ABC", "2023-12-20", "2024-01-10");
        store.write(written, ALL_RECENT, T1);
        store.write(bars("XYZ", "2024-01-02", "2024-01-05"), ALL_RECENT, T1);
        LocalDate from = LocalDate.of(2024, 1, 2);
        assertThat(store.bars(Ticker.of("ABC"), from))
                .isEqualTo(written.stream().filter(b -> !b.date().isBefore(from)).toList());
        assertThat(store.bars(Ticker.of("NONE"), from)).isEmpty();
    }

    @Test
    void retentionMovesWholeYearsAsPartitionsAndTheBoundaryRowByRow() throws Exception {
        PostgresRecentBars store = store(dataSource);
        store.write(bars("ABC", "2018-01-02", "2024-12-31"), ALL_RECENT, T1);
        store.write(bars("XYZ", "2020-06-01", "2024-12-31"), ALL_RECENT, T1);
        long total = store.counts().recent();
        LocalDate cutoff = LocalDate.of(2021, 3, 15);
        long older = scalar("SELECT count(*) FROM raw_ohlcv WHERE date < '" + cutoff + "'");

        RecentBarsStore.RetentionResult first = store.moveOlderThan(cutoff);

        assertThat(first.rowsMoved()).isEqualTo(older);
        assertThat(first.yearsMovedWhole()).containsExactly(2018, 2019, 2020);
        assertThat(first.rowsMovedOneByOne()).isEqualTo(scalar("SELECT count(*) FROM raw_ohlcv_archive WHERE date >= '2021-01-01'"));
        assertThat(store.counts()).isEqualTo(new RecentBarsStore.Counts(total - older, older));
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv WHERE date < '" + cutoff + "'")).isZero();
        assertThat(scalar("SELECT count(*) FROM pg_inherits WHERE inhrelid = 'raw_ohlcv_archive_2019'::regclass"
                + " AND inhparent = 'raw_ohlcv_archive'::regclass")).as("2019 moved as a partition").isEqualTo(1);
        assertThat(store.moveOlderThan(cutoff).rowsMoved()).as("a second run moves nothing").isZero();

        RecentBarsStore.RetentionResult later = store.moveOlderThan(LocalDate.of(2022, 7, 1));
        assertThat(later.yearsMovedWhole()).containsExactly(2021);
        assertThat(store.counts().recent() + store.counts().archive()).as("rows are conserved").isEqualTo(total);
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv r JOIN raw_ohlcv_archive a USING (symbol, date)"))
                .as("no key in both tables").isZero();
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv WHERE date < '2022-07-01'")).isZero();

        // A run with an older as_of may write a year that was moved out: its partition comes back.
        store.write(bars("OLD", "2019-06-03", "2019-06-07"), ALL_RECENT, T2);
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv WHERE symbol = 'OLD'")).isEqualTo(5);
    }

    @Test
    void aWriteRemovesFromTheOtherTableOnlyEachSymbolsRowsInsideItsSpan() throws Exception {
        PostgresRecentBars store = store(dataSource);
        RetentionWindow window = new RetentionWindow(LocalDate.of(2024, 12, 31), Period.ofYears(3));
        // What an earlier run with another as_of left: BRK.A's 2024 rows archived, KIMpL's 2020 rows (before the window) recent.
        store.write(bars("BRK.A", "2024-03-01", "2024-03-29"), new RetentionWindow(LocalDate.of(2030, 1, 2), Period.ofYears(1)), T1);
        store.write(bars("KIMpL", "2020-03-02", "2020-03-31"), new RetentionWindow(LocalDate.of(2020, 12, 31), Period.ofYears(1)), T1);
        assertThat(store.counts()).isEqualTo(new RecentBarsStore.Counts(22, 20));

        // A week of each again, with a symbol neither table holds.
        List<Bar> again = new ArrayList<>(bars("BRK.A", "2024-03-11", "2024-03-15"));
        again.addAll(bars("NEW", "2024-03-11", "2024-03-15"));
        again.addAll(bars("KIMpL", "2020-03-09", "2020-03-13"));
        assertThat(store.write(again, window, T2)).isEqualTo(new RecentBarsStore.Counts(10, 5));

        assertThat(scalar("SELECT count(*) FROM raw_ohlcv r JOIN raw_ohlcv_archive a USING (symbol, date)"))
                .as("no key in both tables").isZero();
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv_archive WHERE symbol = 'BRK.A'")).as("the rest of its March").isEqualTo(15);
        assertThat(scalar("SELECT count(*) FROM raw_ohlcv WHERE symbol = 'KIMpL'")).as("the rest of its March").isEqualTo(17);
        assertThat(store.counts()).isEqualTo(new RecentBarsStore.Counts(5 + 5 + 17, 15 + 5));
    }

    @Test
    void aWriteOfMoreSymbolsThanOneProbeTakesRemovesEachOnesRowsFromTheOtherTable() throws Exception {
        PostgresRecentBars store = store(dataSource);
        List<Bar> day = new ArrayList<>();
        for (int i = 0; i <= PostgresRecentBars.SPANS_PER_PROBE; i++) {
            day.addAll(bars(String.format("S%05d", i), "2024-03-04", "2024-03-04"));
        }
        store.write(day, new RetentionWindow(LocalDate.of(2030, 1, 2), Period.ofYears(1)), T1);
        assertThat(store.counts()).isEqualTo(new RecentBarsStore.Counts(0, day.size()));

        assertThat(store.write(day, new RetentionWindow(LocalDate.of(2024, 12, 31), Period.ofYears(1)), T2))
                .isEqualTo(new RecentBarsStore.Counts(day.size(), 0));
        assertThat(store.counts()).as("the last symbol, alone in the second probe, left the archive too")
                .isEqualTo(new RecentBarsStore.Counts(day.size(), 0));
    }

    @Test
    void topMentionsBreaksTiesByTickerAndHonoursTheThreshold() throws Exception {
        PostgresRecentBars store = store(dataSource);
        List<List<?>> rows = new ArrayList<>();
        String[][] mentions = {{"MSFT", "4"}, {"AAPL", "4"}, {"NVDA", "3"}, {"AMZN", "1"}, {"TSLA", "3"}};
        int article = 0;
        for (String[] m : mentions) {
            for (int i = 0; i < Integer.parseInt(m[1]); i++) {
                rows.add(List.of("a" + (article++), m[0], Instant.parse("2025-01-0" + (1 + i % 9) + "T12:00:00Z")));
            }
        }
        rows.add(List.of("a0", "MSFT", Sql.Null.TIMESTAMP));
        store.loadMentions(rows);
        store.loadMentions(rows);
        assertThat(scalar("SELECT count(*) FROM article_tickers"))
                .as("(a0, MSFT) is listed twice, and loading again adds nothing").isEqualTo(rows.size() - 1);
        assertThat(store.topMentioned(3, 1)).extracting(Ticker::value).containsExactly("AAPL", "MSFT", "NVDA");
        assertThat(store.topMentioned(10, 3)).extracting(Ticker::value).containsExactly("AAPL", "MSFT", "NVDA", "TSLA");
        assertThat(store.topMentioned(10, 5)).isEmpty();
    }
}
