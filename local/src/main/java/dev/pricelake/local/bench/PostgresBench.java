package dev.pricelake.local.bench;

import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.local.runner.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * PostgreSQL figures on the embedded server: upsert throughput through the JDBC adapter, then retention of
 * a raw_ohlcv of {@code symbols x sessions} rows of which the oldest {@code leaving} share leaves the window.
 */
@Command(name = "postgres", mixinStandardHelpOptions = true,
        description = "Upsert throughput (rows/s) and retention time on the embedded PostgreSQL.")
public final class PostgresBench implements Callable<Integer> {
    @Option(names = "--upsert-bars", defaultValue = "1000000", description = "Default: ${DEFAULT-VALUE}")
    int upsertBars;

    @Option(names = "--symbols", defaultValue = "5350", description = "Default: ${DEFAULT-VALUE}")
    int symbols;

    @Option(names = "--sessions", defaultValue = "4226", description = "Default: ${DEFAULT-VALUE}")
    int sessions;

    @Option(names = "--leaving", defaultValue = "17000000", description = "Rows older than the cutoff. Default: ${DEFAULT-VALUE}")
    long leaving;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("pricelake-pg-bench");
        TradingCalendar calendar = TradingCalendar.nyse();
        int last = calendar.sessionIndex(calendar.onOrBefore(LocalDate.of(2025, 12, 31)));
        int first = last - sessions + 1;
        System.out.printf(Locale.ROOT, "postgres bench: embedded PostgreSQL 17, JVM %s, %d cores, load average %.1f%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (LocalPostgres postgres = LocalPostgres.start(dir, null)) {
            PostgresRecentBars store = new PostgresRecentBars(new JdbcSql(postgres.dataSource()));
            List<Ticker> tickers = BronzeBench.BenchData.tickers(Math.max(1, upsertBars / 1000));
            List<Bar> bars = new ArrayList<>(upsertBars);
            for (Ticker t : tickers) {
                bars.addAll(BronzeBench.BenchData.bars(t, calendar, last - 999, last));
            }
            long t0 = System.nanoTime();
            store.upsert(bars, Instant.parse("2026-01-05T11:00:00Z"));
            double upsert = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "  upsert (new rows, COPY): %,d bars in %6.2f s = %,9.0f rows/s%n", bars.size(), upsert,
                    bars.size() / upsert);
            long t1 = System.nanoTime();
            store.upsert(bars, Instant.parse("2026-01-06T11:00:00Z"));
            double again = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "  upsert (same bars):      %,d bars in %6.2f s = %,9.0f rows/s%n", bars.size(), again,
                    bars.size() / again);

            // The peer: the same upsert as one statement per row in batches (the Data API's way, and this path's before COPY).
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE raw_ohlcv");
            }
            JdbcSql jdbc = new JdbcSql(postgres.dataSource());
            PostgresRecentBars batched = new PostgresRecentBars(new Sql() {
                @Override
                public long update(String sql, List<?> params) {
                    return jdbc.update(sql, params);
                }

                @Override
                public long batch(String sql, List<List<?>> rows) {
                    return jdbc.batch(sql, rows);
                }

                @Override
                public long bulkUpsert(BulkUpsert upsert, List<List<?>> rows) {
                    return jdbc.batch(upsert.insertValues(), rows);
                }

                @Override
                public List<List<Object>> query(String sql, List<?> params) {
                    return jdbc.query(sql, params);
                }

                @Override
                public <T> T inTransaction(java.util.function.Function<Sql, T> work) {
                    return jdbc.inTransaction(work);
                }
            });
            long tb = System.nanoTime();
            batched.upsert(bars, Instant.parse("2026-01-05T11:00:00Z"));
            double peer = (System.nanoTime() - tb) / 1e9;
            System.out.printf(Locale.ROOT, "  peer, batched statements (new rows): %,d bars in %6.2f s = %,9.0f rows/s; COPY takes"
                    + " %.0f%% of its time%n", bars.size(), peer, bars.size() / peer, 100 * upsert / peer);

            long t2 = System.nanoTime();
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE raw_ohlcv");
                StringBuilder dates = new StringBuilder();
                for (int i = first; i <= last; i++) {
                    dates.append(i > first ? "," : "").append("('").append(calendar.session(i)).append("'::date)");
                }
                s.execute("CREATE TEMP TABLE sessions (date date) ");
                s.execute("INSERT INTO sessions VALUES " + dates);
                s.execute("INSERT INTO raw_ohlcv (symbol, date, open, high, low, close, volume, vwap, transactions, updated_at)"
                        + " SELECT 'S' || n, d.date, 10, 11, 9, 10.5, 1000, 10.2, 7, now()"
                        + " FROM generate_series(1, " + symbols + ") n CROSS JOIN sessions d");
                s.execute("ANALYZE raw_ohlcv");
            }
            long rows = store.counts().recent();
            System.out.printf(Locale.ROOT, "  filled raw_ohlcv with %,d rows in %.1f s (not timed below)%n", rows,
                    (System.nanoTime() - t2) / 1e9);
            LocalDate cutoff = calendar.session(first + (int) (leaving / symbols));
            long t3 = System.nanoTime();
            RecentBarsStore.RetentionResult r = store.moveOlderThan(cutoff);
            double retention = (System.nanoTime() - t3) / 1e9;
            RecentBarsStore.Counts after = store.counts();
            System.out.printf(Locale.ROOT, "  retention (cutoff %s): %,d of %,d rows moved in %.2f s = %,.0f rows/s;"
                            + " whole years %s, %,d rows one by one; now %,d recent + %,d archived%n", cutoff, r.rowsMoved(),
                    rows, retention, r.rowsMoved() / retention, r.yearsMovedWhole(), r.rowsMovedOneByOne(), after.recent(),
                    after.archive());
            long t4 = System.nanoTime();
            long second = store.moveOlderThan(cutoff).rowsMoved();
            System.out.printf(Locale.ROOT, "  retention again: %,d rows moved in %.2f s%n", second, (System.nanoTime() - t4) / 1e9);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
