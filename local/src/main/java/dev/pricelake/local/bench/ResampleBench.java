package dev.pricelake.local.bench;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.local.standins.StandIns;
import dev.pricelake.resampler.ResampleHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The resampler against DuckDB on the same lake: a lake of {@code symbols x sessions} bars written by our
 * bronze writer, a full resample, DuckDB doing the same job on the same files (the reference query of
 * shared/bench/duckdb-resample), then an incremental run after appending one session to every symbol.
 */
@Command(name = "resample", mixinStandardHelpOptions = true,
        description = "Full and incremental resample times, side by side with DuckDB on the same files.")
public final class ResampleBench implements Callable<Integer> {
    @Option(names = "--symbols", defaultValue = "5350", description = "Default: ${DEFAULT-VALUE}")
    int symbols;

    @Option(names = "--sessions", defaultValue = "4226", description = "Default: ${DEFAULT-VALUE}")
    int sessions;

    @Option(names = "--data-dir", defaultValue = ".pricelake/bench-resample",
            description = "Where the lake is built (kept and reused). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--duckdb-threads", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}")
    int duckdbThreads;

    @Override
    public Integer call() throws Exception {
        TradingCalendar calendar = TradingCalendar.nyse();
        int last = calendar.sessionIndex(calendar.onOrBefore(LocalDate.of(2025, 12, 31)));
        int first = last - sessions + 1;
        Path lakeDir = dataDir.resolve("lake");
        FileObjectStore lake = new FileObjectStore(lakeDir);
        List<Ticker> tickers = BronzeBench.BenchData.tickers(symbols);
        System.out.printf(Locale.ROOT, "resample bench: %,d symbols x %,d sessions (%s..%s) = %,d bars; JVM %s, %d cores%n",
                symbols, sessions, calendar.session(first), calendar.session(last), (long) symbols * sessions,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        Path marker = lakeDir.resolve("bench-" + symbols + "x" + sessions + ".done");
        if (!Files.exists(marker)) {
            deleteTree(lakeDir);
            long t = System.nanoTime();
            tickers.parallelStream().forEach(ticker -> new BronzeLake(lake).merge(ticker,
                    rows(BronzeBench.BenchData.bars(ticker, calendar, first, last), Instant.parse("2026-01-02T11:00:00Z"))));
            Files.writeString(marker, "built\n");
            System.out.printf(Locale.ROOT, "  lake written by our bronze writer in %.1f s (reused by later runs)%n",
                    (System.nanoTime() - t) / 1e9);
        } else {
            System.out.println("  lake reused from " + lakeDir);
        }
        deleteTree(lakeDir.resolve("silver"));
        deleteTree(lakeDir.resolve("processing_metadata"));

        resetPeaks();
        long t0 = System.nanoTime();
        String full = Resample.run(lake, "full", null);
        double ours = (System.nanoTime() - t0) / 1e9;
        long ourPeak = peakHeapMiB();
        System.out.printf(Locale.ROOT, "  pricelake full:   %6.2f s  %s  peak heap %,d MiB%n", ours, full, ourPeak);

        double duck = duckdb(lakeDir.resolve("bronze/raw_ohlcv"), dataDir.resolve("duckdb-out"), first);
        System.out.printf(Locale.ROOT, "  ratio: pricelake takes %.0f%% of DuckDB's time (%.2fx faster); target at most 50%%%n",
                100 * ours / duck, duck / ours);

        LocalDate next = calendar.session(last + 1);
        long t1 = System.nanoTime();
        tickers.parallelStream().forEach(ticker -> new BronzeLake(lake).merge(ticker,
                rows(BronzeBench.BenchData.bars(ticker, calendar, first, last + 1).subList(sessions, sessions + 1),
                        Instant.parse("2026-01-03T11:00:00Z"))));
        System.out.printf(Locale.ROOT, "  appended %s to every symbol (bronze merge, not timed below) in %.1f s%n", next,
                (System.nanoTime() - t1) / 1e9);
        long t2 = System.nanoTime();
        String incremental = Resample.run(lake, "incremental", tickers);
        System.out.printf(Locale.ROOT, "  pricelake incremental after one new session: %.2f s  %s; target under 5 s%n",
                (System.nanoTime() - t2) / 1e9, incremental);
        // The lake now has one more session: the next run builds it afresh, so it times the same job.
        Files.deleteIfExists(marker);
        return 0;
    }

    private static List<BronzeRow> rows(List<Bar> bars, Instant at) {
        return bars.stream().map(b -> new BronzeRow(b, at)).toList();
    }

    /** The reference job of shared/bench/duckdb-resample, in a class loader of its own. */
    private double duckdb(Path bronze, Path out, int epochOffset) throws Exception {
        deleteTree(out);
        Files.createDirectories(out);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {StandIns.path("duckdb_jdbc.jar").toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Driver driver = (Driver) loader.loadClass("org.duckdb.DuckDBDriver").getDeclaredConstructor().newInstance();
            long t0 = System.nanoTime();
            long rows = 0;
            try (Connection c = driver.connect("jdbc:duckdb:", new Properties()); Statement s = c.createStatement()) {
                s.execute("SET threads=" + duckdbThreads);
                s.execute("CREATE TEMP TABLE raw AS SELECT symbol, date, open, high, low, close, volume FROM read_parquet('"
                        + bronze + "/symbol=*/*.parquet')");
                s.execute("CREATE TEMP TABLE sessions AS SELECT date, (row_number() OVER (ORDER BY date) - 1 + " + epochOffset
                        + ") AS idx FROM (SELECT DISTINCT date FROM raw)");
                s.execute("CREATE TEMP TABLE b AS SELECT r.*, s.idx FROM raw r JOIN sessions s USING (date)");
                s.execute("DROP TABLE raw");
                for (int k : ResampleHandler.intervals(null)) {
                    s.execute("COPY (SELECT symbol, " + k + " AS interval_days, min(b.date) AS start_date, max(b.date) AS end_date,"
                            + " arg_min(open, b.date) AS open, max(high) AS high, min(low) AS low, arg_max(close, b.date) AS close,"
                            + " sum(volume) AS volume, count(*) AS bar_count,"
                            + " year(min(b.date)) AS year, lpad(month(min(b.date))::varchar, 2, '0') AS month"
                            + " FROM b GROUP BY symbol, idx // " + k + ")"
                            + " TO '" + out + "/silver_" + k + "d' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE)");
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + out + "/*/*/*/*.parquet')")) {
                    r.next();
                    rows = r.getLong(1);
                }
                System.out.printf(Locale.ROOT, "  duckdb full:      %6.2f s  (%,d rows, %d threads)%n", seconds, rows, duckdbThreads);
                return seconds;
            }
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeapMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs the resample handler's service on the lake, as the function would. */
    static final class Resample {
        private Resample() {
        }

        static String run(FileObjectStore lake, String mode, List<Ticker> touched) throws Exception {
            var handler = new ResampleHandler(lake, null, ResampleHandler.intervals(null), java.time.Clock.systemUTC());
            var event = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            event.put("mode", mode);
            if (touched != null) {
                var list = event.putArray("symbols");
                touched.forEach(t -> list.add(t.value()));
            }
            return handler.invoke(event).toString();
        }
    }
}
