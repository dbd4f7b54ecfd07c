package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.recent.MinuteBarsStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the ohlcv_minute port must do, on the embedded PostgreSQL with the real migrations. */
abstract class MinuteBarsStoreContract {
    private static final Instant T1 = Instant.parse("2026-01-05T11:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-06T11:00:00Z");
    final DataSource dataSource = SharedDatabase.dataSource();

    abstract MinuteBarsStore store(DataSource dataSource);

    @BeforeEach
    void emptyTable() {
        SharedDatabase.empty("ohlcv_minute");
    }

    /** A session's regular hours of one symbol from 09:30 New York (14:30 UTC in winter), some without vwap or trades. */
    static List<MinuteRow> session(String symbol, String day, int minutes, Instant ingested) {
        List<MinuteRow> out = new ArrayList<>();
        Instant open = Instant.parse(day + "T14:30:00Z");
        for (int i = 0; i < minutes; i++) {
            double price = 100 + i * 0.01;
            out.add(new MinuteRow(new MinuteBar(Ticker.of(symbol), open.plus(Duration.ofMinutes(i)), price, price + 0.5,
                    price - 0.5, price + 0.25, 10.5 + i, i % 2 == 0 ? null : price, i % 3 == 0 ? null : (long) i), ingested));
        }
        return out;
    }

    private List<String> rows() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, ts, open, high, low, close, volume, vwap, transactions, ingested_at"
                     + " FROM ohlcv_minute ORDER BY symbol, ts")) {
            while (r.next()) {
                List<String> row = new ArrayList<>(List.of(r.getString(1), r.getObject(2, OffsetDateTime.class).toInstant().toString()));
                for (int column = 3; column <= 9; column++) {
                    row.add(String.valueOf(r.getObject(column)));
                }
                row.add(r.getObject(10, OffsetDateTime.class).toInstant().toString());
                out.add(String.join(" ", row));
            }
        }
        return out;
    }

    /** The rows as the test writes them from the minutes themselves. */
    private static List<String> expected(List<MinuteRow> rows) {
        return rows.stream().map(m -> String.join(" ", m.bar().symbol().value(), m.bar().start().toString(),
                String.valueOf(m.bar().open()), String.valueOf(m.bar().high()), String.valueOf(m.bar().low()),
                String.valueOf(m.bar().close()), String.valueOf(m.bar().volume()), String.valueOf(m.bar().vwap()),
                String.valueOf(m.bar().transactions()), m.ingestedAt().toString())).toList();
    }

    private long scalar(String query) {
        return (Long) new JdbcSql(dataSource).query(query, List.of()).getFirst().getFirst();
    }

    @Test
    void theSameMinutesAgainChangeNothingAndAChangedMinuteWins() throws Exception {
        MinuteBarsStore store = store(dataSource);
        List<MinuteRow> first = new ArrayList<>(session("ABC", "2024-12-02", 30, T1));
        first.addAll(session("XYZ", "2024-12-02", 5, T1));
        assertThat(store.upsert(first)).isEqualTo(35);
        assertThat(rows()).as("every value, nulls and instants as written").isEqualTo(expected(first));

        List<MinuteRow> again = new ArrayList<>(session("ABC", "2024-12-02", 30, T2));
        MinuteBar moved = again.get(3).bar();
        again.set(3, new MinuteRow(new MinuteBar(moved.symbol(), moved.start(), 1, 2, 0.5, 1.5, 7, null, null), T2));
        store.upsert(again);

        List<MinuteRow> expected = new ArrayList<>(first);
        expected.set(3, again.get(3));
        assertThat(rows()).as("only the changed minute is rewritten, with its new ingested_at").isEqualTo(expected(expected));
        assertThat(store.count()).isEqualTo(35);
        assertThat(store.upsert(List.of())).isZero();
    }

    @Test
    void deletingOlderThanACutoffRemovesExactlyTheEarlierMinutesOnce() throws Exception {
        MinuteBarsStore store = store(dataSource);
        List<MinuteRow> rows = new ArrayList<>(session("ABC", "2024-12-02", 60, T1));
        rows.addAll(session("ABC", "2024-12-03", 60, T1));
        rows.addAll(session("XYZ", "2024-12-03", 60, T1));
        store.upsert(rows);
        Instant cutoff = Instant.parse("2024-12-03T15:00:00Z");
        long leaving = scalar("SELECT count(*) FROM ohlcv_minute WHERE ts < '2024-12-03 15:00:00+00'");
        assertThat(leaving).as("a session and a half hour of each symbol").isEqualTo(60 + 30 + 30);

        assertThat(store.deleteOlderThan(cutoff)).isEqualTo(leaving);
        assertThat(scalar("SELECT count(*) FROM ohlcv_minute WHERE ts < '2024-12-03 15:00:00+00'")).isZero();
        assertThat(store.count()).isEqualTo(rows.size() - leaving);
        assertThat(scalar("SELECT count(*) FROM ohlcv_minute WHERE ts = '2024-12-03 15:00:00+00'"))
                .as("the minute at the cutoff stays, of both symbols").isEqualTo(2);
        assertThat(store.deleteOlderThan(cutoff)).as("a second run deletes nothing").isZero();
        assertThat(store.count()).isEqualTo(rows.size() - leaving);
    }
}
