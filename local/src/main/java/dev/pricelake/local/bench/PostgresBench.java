package dev.pricelake.local.bench;

import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
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
 * PostgreSQL figures on the embedded server: the throughput of WriteRecent's write through the JDBC adapter, then retention of
 * a raw_ohlcv of {@code symbols x sessions} rows of which the oldest {@code leaving} share leaves the window.
 */
@Command(name = "postgres", mixinStandardHelpOptions = true,
        description = "WriteRecent's write throughput (rows/s) and retention time on the embedded PostgreSQL.")
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
            // WriteRecent's call: every bar inside the window goes to raw_ohlcv, and the archive loses those dates.
            RetentionWindow window = RetentionWindow.asOf(LocalDate.of(2026, 1, 5));
            List<Ticker> tickers = BronzeBench.BenchData.tickers(Math.max(1, upsertBars / 1000));
            List<Bar> bars = new ArrayList<>(upsertBars);
            for (Ticker t : tickers) {
                bars.addAll(BronzeBench.BenchData.bars(t, calendar, last - 999, last));
            }
            // The million bars were just made: promoting them out of the young generation is this fixture's cost, and the
            // collector's threads took both cores from PostgreSQL inside the timed load. The peer starts collected too.
            System.gc();
            Cpu cpu = new Cpu(dir.resolve("postgres"));
            long t0 = System.nanoTime();
            store.write(bars, window, Instant.parse("2026-01-05T11:00:00Z"));
            double copy = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "  write (new rows, COPY): %,d bars in %6.2f s = %,9.0f rows/s; %s%n", bars.size(), copy,
                    bars.size() / copy, cpu.since(bars.size()));
            cpu = new Cpu(dir.resolve("postgres"));
            long t1 = System.nanoTime();
            store.write(bars, window, Instant.parse("2026-01-06T11:00:00Z"));
            double again = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "  write (same bars):      %,d bars in %6.2f s = %,9.0f rows/s; %s%n", bars.size(), again,
                    bars.size() / again, cpu.since(bars.size()));

            // The peer: the same upsert as one statement per row in batches (the Data API's way, and this path's before COPY).
            try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE raw_ohlcv");
            }
            PostgresRecentBars batched = new PostgresRecentBars(new Batched(new JdbcSql(postgres.dataSource())));
            System.gc();
            cpu = new Cpu(dir.resolve("postgres"));
            long tb = System.nanoTime();
            batched.write(bars, window, Instant.parse("2026-01-05T11:00:00Z"));
            double peer = (System.nanoTime() - tb) / 1e9;
            System.out.printf(Locale.ROOT, "  peer, batched statements (new rows): %,d bars in %6.2f s = %,9.0f rows/s; COPY takes"
                    + " %.0f%% of its time; %s%n", bars.size(), peer, bars.size() / peer, 100 * copy / peer, cpu.since(bars.size()));

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

    /** The peer's {@link Sql}: a bulk upsert as batched statements, inside the transaction the write opens too. */
    private record Batched(Sql inner) implements Sql {
        @Override
        public long update(String sql, List<?> params) {
            return inner.update(sql, params);
        }

        @Override
        public long batch(String sql, List<List<?>> rows) {
            return inner.batch(sql, rows);
        }

        @Override
        public long bulkUpsert(BulkUpsert upsert, List<List<?>> rows) {
            return inner.batch(upsert.insertValues(), rows);
        }

        @Override
        public List<List<Object>> query(String sql, List<?> params) {
            return inner.query(sql, params);
        }

        @Override
        public <T> T inTransaction(java.util.function.Function<Sql, T> work) {
            return inner.inTransaction(tx -> work.apply(new Batched(tx)));
        }
    }

    /**
     * CPU seconds used since it was made by PostgreSQL (the server, its live processes, and the backends it reaped) and by
     * this JVM. On a machine shared with other work the wall time says as much about the neighbours as about the load;
     * the CPU a load costs does not, and on an idle machine with a core each the load takes about the larger of the two.
     */
    private static final class Cpu {
        /** Linux counts /proc times in ticks of USER_HZ, 100 a second on every platform it runs on. */
        private static final double TICKS = 100;
        private final Path data;
        private final double postgres;
        private final long jvm;

        Cpu(Path data) {
            this.data = data;
            this.postgres = postgresSeconds();
            this.jvm = jvmNanos();
        }

        String since(long rows) {
            double pg = postgresSeconds() - postgres;
            double own = (jvmNanos() - jvm) / 1e9;
            return Double.isNaN(pg) ? "CPU not measured here (no /proc)" : String.format(Locale.ROOT,
                    "CPU: PostgreSQL %.2f s (%,.0f rows per CPU-second), this JVM %.2f s", pg, rows / pg, own);
        }

        private static long jvmNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        /**
         * The server's own and reaped children's ticks, plus its live children's. A backend that ends while /proc is read
         * (the load's connection closes just before this runs) could be reaped after the server's line was read and
         * before its own: its CPU was then counted nowhere (a load printed 0.06 s). So the server's reaped ticks are
         * read before and after the children, and the reading starts over when they moved.
         */
        private double postgresSeconds() {
            try {
                long server = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
                Path serverProc = Path.of("/proc", Long.toString(server));
                for (int attempt = 0; attempt < 10; attempt++) {
                    // Fields after the command: state, ppid, ..., utime (11), stime (12), cutime (13), cstime (14).
                    String[] before = stat(serverProc);
                    long children = 0;
                    try (var procs = Files.list(Path.of("/proc"))) {
                        for (Path proc : procs.toList()) {
                            String[] stat = stat(proc);
                            if (stat.length > 0 && Long.parseLong(stat[1]) == server) {
                                children += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                            }
                        }
                    }
                    String[] after = stat(serverProc);
                    if (before[13].equals(after[13]) && before[14].equals(after[14])) {
                        return (Long.parseLong(after[11]) + Long.parseLong(after[12]) + Long.parseLong(after[13])
                                + Long.parseLong(after[14]) + children) / TICKS;
                    }
                }
                return Double.NaN;
            } catch (java.io.IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        private static String[] stat(Path proc) {
            if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                return new String[0];
            }
            try {
                String stat = Files.readString(proc.resolve("stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            } catch (java.io.IOException | RuntimeException gone) {
                // A process that ended between the listing and the read.
                return new String[0];
            }
        }
    }
}
