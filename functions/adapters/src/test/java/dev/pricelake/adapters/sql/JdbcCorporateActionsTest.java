package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionStore;
import dev.pricelake.core.actions.CorporateActionStoreContract;
import dev.pricelake.core.actions.Dividend;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.SymbolsHistory;
import dev.pricelake.core.actions.TickerChange;
import dev.pricelake.core.recent.RetentionWindow;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The corporate actions on PostgreSQL through JDBC, and the views built on them. */
class JdbcCorporateActionsTest extends CorporateActionStoreContract {
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private static PostgresCorporateActions store;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Migrations.apply(dataSource);
        store = new PostgresCorporateActions(new JdbcSql(dataSource));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        empty(dataSource);
    }

    static void empty(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE splits, dividends, ticker_changes, symbols_history, raw_ohlcv, raw_ohlcv_archive");
        }
    }

    @Override
    protected CorporateActionStore store() {
        return store;
    }

    /**
     * The total-return factor checked against arithmetic done here: each dividend's factor is 1 - cash / the close
     * before its ex-date, the cash divided by the splits that came after it; a date's factor is the product of the
     * factors of the dividends after it. The history runs across a rename, half of it in the archive.
     */
    @Test
    void totalReturnFactorsCompoundTheDividendsAfterEachDateWithCashAdjustedForLaterSplits() throws Exception {
        TradingCalendar calendar = TradingCalendar.nyse();
        List<LocalDate> sessions = calendar.sessions(DateRange.parse("2019-12-20", "2020-01-10"));
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            double close = 20 + i;
            bars.add(new Bar(Ticker.of("NEW"), sessions.get(i), close, close, close, close, 100, null, null));
        }
        new PostgresRecentBars(new JdbcSql(dataSource)).write(bars, RetentionWindow.asOf(LocalDate.of(2025, 1, 15)),
                Instant.parse("2026-01-05T11:00:00Z"));
        TickerChange rename = new TickerChange(Ticker.of("OLD"), Ticker.of("NEW"), LocalDate.of(2020, 1, 2), null, null);
        store.replaceTickerChanges(List.of(rename), new SymbolsHistory(List.of(rename)).spans());
        LocalDate firstEx = LocalDate.of(2019, 12, 27);
        LocalDate secondEx = LocalDate.of(2020, 1, 8);
        store.replaceDividends(DateRange.parse("2019-12-01", "2020-01-31"), List.of(
                new Dividend(Ticker.of("OLD"), firstEx, null, null, null, 1.0, "USD", 4, "CD"),
                new Dividend(Ticker.of("NEW"), secondEx, null, null, null, 0.5, "USD", 4, "CD")));
        // A 2-for-1 split between them: the first dividend's 1.00 a share is 0.50 in the split-adjusted bars' terms.
        store.replaceSplits(DateRange.parse("2019-12-01", "2020-01-31"), List.of(new Split(Ticker.of("NEW"),
                LocalDate.of(2020, 1, 6), 1, 2)));

        double closeBeforeFirst = bars.get(sessions.indexOf(firstEx) - 1).close();
        double closeBeforeSecond = bars.get(sessions.indexOf(secondEx) - 1).close();
        double first = 1 - (1.0 / 2) / closeBeforeFirst;
        double second = 1 - 0.5 / closeBeforeSecond;
        Map<LocalDate, Double> expected = new LinkedHashMap<>();
        for (LocalDate d : sessions) {
            expected.put(d, (d.isBefore(firstEx) ? first : 1) * (d.isBefore(secondEx) ? second : 1));
        }
        Map<LocalDate, Double> actual = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT date, factor FROM total_return_factors WHERE symbol = 'NEW' ORDER BY date")) {
            while (r.next()) {
                actual.put(r.getDate(1).toLocalDate(), r.getDouble(2));
            }
        }
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((d, f) -> assertThat(actual.get(d)).as(d.toString()).isCloseTo(f, within(1e-12)));
    }
}
