package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.bronze.MinuteRow;
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

/** The JDBC bulk path's own risks: binary COPY's encoding of instants, and a bulk racing a concurrent insert. */
class JdbcBulkUpsertTest {
    private final DataSource dataSource = SharedDatabase.dataSource();

    @BeforeEach
    void emptyTable() {
        SharedDatabase.empty("ohlcv_minute");
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
            // The bulk upsert sees no row (the other transaction has not committed), so its insert waits on the key; once
            // the other commits it must update that row, not fail with a unique violation (as a MERGE would).
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
                    + " AND query LIKE 'INSERT INTO ohlcv_minute%'", List.of()).getFirst().getFirst();
            if (waiting > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the bulk upsert never waited on the concurrent insert's key");
    }
}
