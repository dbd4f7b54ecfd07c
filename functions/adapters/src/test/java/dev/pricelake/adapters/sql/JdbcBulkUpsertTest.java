package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.recent.RecentBarsStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC bulk path's own risks: binary COPY's encoding of instants, a load split between rows copied straight in and
 * rows upserted through the staging table, a load that fails half way, and a bulk racing a concurrent insert.
 */
class JdbcBulkUpsertTest {
    private final DataSource dataSource = SharedDatabase.dataSource();

    @BeforeEach
    void emptyTable() {
        SharedDatabase.empty("ohlcv_minute", "raw_ohlcv");
    }

    private static final Instant BEFORE = Instant.parse("2026-01-05T11:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-06T11:00:00Z");

    private void given(String... rows) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String row : rows) {
                String[] v = row.split(" ");
                s.execute("INSERT INTO raw_ohlcv (symbol, date, open, high, low, close, volume, updated_at) VALUES ('" + v[0]
                        + "', '" + v[1] + "', 1, 2, 0.5, " + v[2] + ", 100, '" + BEFORE + "')");
            }
        }
    }

    private static Bar bar(String symbol, String date, double close) {
        return new Bar(Ticker.of(symbol), java.time.LocalDate.parse(date), 1, 2, 0.5, close, 100, null, null);
    }

    /** symbol date close stamp, where stamp says whether the row was written at BEFORE or NOW. */
    private List<String> table() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, date, close, CASE updated_at WHEN '" + BEFORE + "' THEN 'before'"
                     + " WHEN '" + NOW + "' THEN 'now' END, open, high, low, volume, vwap IS NULL AND transactions IS NULL"
                     + " FROM raw_ohlcv ORDER BY symbol, date")) {
            while (r.next()) {
                assertThat(List.of(r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8), r.getBoolean(9)))
                        .containsExactly(1.0, 2.0, 0.5, 100.0, true);
                out.add(r.getString(1) + " " + r.getString(2) + " " + r.getDouble(3) + " " + r.getString(4));
            }
        }
        return out;
    }

    @Test
    void aLoadOfNewChangedAndUnchangedRowsLeavesExactlyTheExpectedTableAndASecondRunChangesNothing() throws Exception {
        given("OLD 2024-01-02 10", "OLD 2024-01-03 11", "OLD 2024-01-04 12", "GAP 2024-01-02 20", "GAP 2024-01-05 23",
                "SPAN 2023-12-29 30");
        List<Bar> load = List.of(
                bar("OLD", "2024-01-02", 10), bar("OLD", "2024-01-03", 11.5), bar("OLD", "2024-01-05", 13),
                // GAP's span holds no stored row, SPAN's holds none either (its rows are later): both straight in.
                bar("GAP", "2024-01-03", 21), bar("GAP", "2024-01-04", 22),
                bar("SPAN", "2024-01-02", 31), bar("SPAN", "2025-01-02", 32),
                bar("NEW", "2024-12-31", 40), bar("NEW", "2025-01-02", 41));
        PostgresRecentBars store = new PostgresRecentBars(new JdbcSql(dataSource));
        assertThat(store.write(load, RecentBarsStoreContract.ALL_RECENT, NOW)).isEqualTo(new RecentBarsStore.Counts(9, 0));
        List<String> expected = List.of(
                "GAP 2024-01-02 20.0 before", "GAP 2024-01-03 21.0 now", "GAP 2024-01-04 22.0 now", "GAP 2024-01-05 23.0 before",
                "NEW 2024-12-31 40.0 now", "NEW 2025-01-02 41.0 now",
                "OLD 2024-01-02 10.0 before", "OLD 2024-01-03 11.5 now", "OLD 2024-01-04 12.0 before", "OLD 2024-01-05 13.0 now",
                "SPAN 2023-12-29 30.0 before", "SPAN 2024-01-02 31.0 now", "SPAN 2025-01-02 32.0 now");
        assertThat(table()).containsExactlyElementsOf(expected);

        // Every series now overlaps what is stored: all of it goes through the conflict clause and nothing is rewritten.
        assertThat(store.write(load, RecentBarsStoreContract.ALL_RECENT, Instant.parse("2026-01-07T11:00:00Z")))
                .isEqualTo(new RecentBarsStore.Counts(9, 0));
        assertThat(table()).containsExactlyElementsOf(expected);
    }

    @Test
    void rowsOutOfKeyOrderHandedStraightToTheBulkUpsertStillUpdateTheStoredKeys() throws Exception {
        given("SKIPPED 2024-01-03 20", "UNORDERED 2024-01-03 30");
        // The spans are read at the edges of each series' run: SKIPPED sits inside RUN's run and is never looked at, and
        // UNORDERED's edges (01-05, 01-06) miss its stored 01-03. Both look new; their stored keys must still be updated.
        List<List<?>> rows = List.of(row("RUN", "2024-01-02", 1), row("RUN", "2024-01-03", 2), row("SKIPPED", "2024-01-03", 21),
                row("RUN", "2024-01-04", 3), row("RUN", "2024-01-05", 4),
                row("UNORDERED", "2024-01-05", 35), row("UNORDERED", "2024-01-03", 33), row("UNORDERED", "2024-01-06", 36));
        assertThat(new JdbcSql(dataSource).bulkUpsert(OhlcvRows.unchangedStays("raw_ohlcv", "date", "updated_at"), rows))
                .isEqualTo(8);
        assertThat(table()).containsExactly("RUN 2024-01-02 1.0 now", "RUN 2024-01-03 2.0 now", "RUN 2024-01-04 3.0 now",
                "RUN 2024-01-05 4.0 now", "SKIPPED 2024-01-03 21.0 now", "UNORDERED 2024-01-03 33.0 now",
                "UNORDERED 2024-01-05 35.0 now", "UNORDERED 2024-01-06 36.0 now");
    }

    private static List<?> row(String symbol, String date, double close) {
        return List.of(symbol, java.time.LocalDate.parse(date), 1.0, 2.0, 0.5, close, 100.0, Sql.Null.DOUBLE, Sql.Null.BIGINT, NOW);
    }

    @Test
    void aLoadThatFailsHalfWayLeavesTheTableAsItWas() throws Exception {
        given("OLD 2024-01-02 10");
        List<List<?>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            rows.add(List.of("NEW", java.time.LocalDate.of(2010, 1, 1).plusDays(i), 1.0, 2.0, 0.5, 1.5, 100.0, Sql.Null.DOUBLE,
                    Sql.Null.BIGINT, NOW));
        }
        // NEW goes straight in; OLD, without a close, then fails the staged upsert: NEW must go too.
        rows.add(List.of("OLD", java.time.LocalDate.of(2024, 1, 2), 1.0, 2.0, 0.5, Sql.Null.DOUBLE, 100.0, Sql.Null.DOUBLE,
                Sql.Null.BIGINT, NOW));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JdbcSql(dataSource)
                        .bulkUpsert(OhlcvRows.unchangedStays("raw_ohlcv", "date", "updated_at"), rows))
                .isInstanceOf(dev.pricelake.core.StoreException.class).hasMessageContaining("not-null");
        assertThat(table()).containsExactly("OLD 2024-01-02 10.0 before");
    }

    private static MinuteRow minute(String symbol, Instant start, double close, Instant ingested) {
        return new MinuteRow(new MinuteBar(Ticker.of(symbol), start, close, close, close, close, 1, null, null), ingested);
    }

    private List<Object> stored(String symbol, String column) {
        return new JdbcSql(dataSource).query("SELECT " + column + " = ?::timestamptz FROM ohlcv_minute WHERE symbol = ?",
                List.of(columnTextOf(symbol), symbol)).getFirst();
    }

    private static String columnTextOf(String symbol) {
        return switch (symbol) {
            case "A" -> "2026-01-05T11:00:00.0000005Z";
            case "B" -> "2026-01-05T11:00:00.0000015Z";
            case "C" -> "2026-01-05T11:00:00.1234565Z";
            case "D" -> "2026-01-05T11:00:00.1234575Z";
            case "E" -> "2026-01-05T11:00:00.999999501Z";
            default -> "1999-12-31T23:59:59.999999Z";
        };
    }

    @Test
    void instantsWithNanosecondsAreStoredAsPostgresqlReadsTheSameInstantAsText() {
        PostgresMinuteBars store = new PostgresMinuteBars(new JdbcSql(dataSource));
        Instant start = Instant.parse("2024-12-02T14:30:00Z");
        List<String> symbols = List.of("A", "B", "C", "D", "E", "F");
        store.upsert(symbols.stream().map(s -> minute(s, start, 1, Instant.parse(columnTextOf(s)))).toList());
        for (String symbol : symbols) {
            // The oracle is PostgreSQL's own reading of the ISO text, ties to even included.
            assertThat(stored(symbol, "ingested_at")).as(columnTextOf(symbol)).containsExactly(true);
        }
    }

    @Test
    void aRowInsertedConcurrentlyUnderTheSameKeyIsUpdatedNotAFailure() throws Exception {
        Instant start = Instant.parse("2024-12-02T14:30:00Z");
        Instant ingested = Instant.parse("2026-01-05T11:00:00Z");
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("INSERT INTO ohlcv_minute (symbol, ts, open, high, low, close, volume, ingested_at)"
                        + " VALUES ('RACE', '" + start + "', 5, 5, 5, 5, 1, '" + ingested + "')");
            }
            // The bulk upsert sees no row (the other transaction has not committed), so it copies RACE straight in and
            // waits on the key; once the other commits it must update that row, not fail with a unique violation.
            CompletableFuture<Long> upsert = CompletableFuture.supplyAsync(() -> new PostgresMinuteBars(new JdbcSql(dataSource))
                    .upsert(List.of(minute("RACE", start, 7, ingested), minute("CALM", start, 8, ingested))));
            awaitWaitingOnALock();
            other.commit();
            assertThat(upsert.get(60, TimeUnit.SECONDS)).isEqualTo(2);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT symbol, close FROM ohlcv_minute ORDER BY symbol")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1) + " " + r.getDouble(2)).isEqualTo("CALM 8.0");
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1) + " " + r.getDouble(2)).as("the bulk's bar won over the concurrent one").isEqualTo("RACE 7.0");
            assertThat(r.next()).isFalse();
        }
    }

    private void awaitWaitingOnALock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            long waiting = (Long) new JdbcSql(dataSource).query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND (query LIKE 'COPY ohlcv_minute%' OR query LIKE 'INSERT INTO ohlcv_minute%')", List.of()).getFirst().getFirst();
            if (waiting > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the bulk upsert never waited on the concurrent insert's key");
    }
}
