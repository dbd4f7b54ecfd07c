package dev.pricelake.local.bench;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.local.runner.LocalDuckDb;
import dev.pricelake.local.runner.LocalPipeline;
import dev.pricelake.local.standins.StandIns;
import dev.pricelake.resampler.ResampleHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
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
 * The resampler against DuckDB on the same lake, each timed in this JVM and as a user runs it: a lake of
 * {@code symbols x sessions} bars written by our bronze writer under {@code {data-dir}/s3/pricelake} (the local
 * data dir's layout), a full resample in this JVM (the core), {@code ./pricelake resample --full} as a child
 * process (the command, end to end), DuckDB doing the same job on the same files (the reference query of
 * shared/bench/duckdb-resample) through JDBC in this JVM and through {@code ./pricelake query} as a child
 * process, then an incremental run after appending one session to every symbol.
 */
@Command(name = "resample", mixinStandardHelpOptions = true,
        description = "Full and incremental resample times, in this JVM and as the command, side by side with DuckDB on the same files.")
public final class ResampleBench implements Callable<Integer> {
    @Option(names = "--symbols", defaultValue = "5350", description = "Default: ${DEFAULT-VALUE}")
    int symbols;

    @Option(names = "--sessions", defaultValue = "4226", description = "Default: ${DEFAULT-VALUE}")
    int sessions;

    @Option(names = "--data-dir", defaultValue = ".pricelake/bench-resample",
            description = "A data dir for the lake (kept and reused; the command runs with it). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--duckdb-threads", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}")
    int duckdbThreads;

    @Override
    public Integer call() throws Exception {
        TradingCalendar calendar = TradingCalendar.nyse();
        int last = calendar.sessionIndex(calendar.onOrBefore(LocalDate.of(2025, 12, 31)));
        int first = last - sessions + 1;
        dataDir = dataDir.toAbsolutePath().normalize();
        Path lakeDir = LocalPipeline.bucketDir(dataDir);
        FileObjectStore lake = new FileObjectStore(lakeDir);
        List<Ticker> tickers = BronzeBench.BenchData.tickers(symbols);
        System.out.printf(Locale.ROOT, "resample bench: %,d symbols x %,d sessions (%s..%s) = %,d bars; JVM %s, %d cores,"
                        + " load average %.1f%n", symbols, sessions, calendar.session(first), calendar.session(last),
                (long) symbols * sessions, Runtime.version(), Runtime.getRuntime().availableProcessors(), load());
        writeLakeOnce(dataDir, tickers, calendar, first, last);
        long bytes = 0;
        for (String key : lake.list(BronzeLake.PREFIX)) {
            bytes += lake.get(key).orElseThrow().length;
        }
        System.out.printf(Locale.ROOT, "  bronze: %,d bytes, read once before timing: every run below starts with the"
                + " files in the page cache%n", bytes);

        clearSilver(lakeDir);
        resetPeaks();
        long t0 = System.nanoTime();
        String full = Resample.run(lake, "full", null);
        double core = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  pricelake core, in this JVM:            %6.2f s  %s  peak heap %,d MiB%n", core, full,
                peakHeapMiB());

        clearSilver(lakeDir);
        Timed command = child(List.of("resample", "--full", "--data-dir", dataDir.toString(), "--json"));
        System.out.printf(Locale.ROOT, "  ./pricelake resample --full (command): %6.2f s  %s%n", command.seconds(),
                command.lastLine());

        Path out = dataDir.resolve("duckdb-out");
        deleteTree(out);
        Files.createDirectories(out);
        String script = duckdbScript(lakeDir.resolve(BronzeLake.PREFIX), out, first);
        double duckInProcess;
        long duckRows;
        try (LocalDuckDb duck = LocalDuckDb.open(null); Statement s = duck.connection().createStatement()) {
            long t = System.nanoTime();
            s.execute(script);
            duckInProcess = (System.nanoTime() - t) / 1e9;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + out + "/*/*/*/*.parquet')")) {
                r.next();
                duckRows = r.getLong(1);
            }
        }
        System.out.printf(Locale.ROOT, "  duckdb, JDBC in this JVM:              %6.2f s  (%,d rows, %d threads)%n", duckInProcess,
                duckRows, duckdbThreads);
        deleteTree(out);
        Files.createDirectories(out);
        Timed duckCommand = child(List.of("query", script, "--data-dir", dataDir.toString()));
        System.out.printf(Locale.ROOT, "  ./pricelake query (duckdb, as a user):  %6.2f s%n", duckCommand.seconds());
        System.out.printf(Locale.ROOT, "  ratio: the command takes %.0f%% of DuckDB's time as a user runs it (DuckDB takes %.2fx as long);"
                        + " the core %.0f%% of DuckDB's in this JVM; target at most 50%%%n",
                100 * command.seconds() / duckCommand.seconds(), duckCommand.seconds() / command.seconds(),
                100 * core / duckInProcess);
        System.out.printf(Locale.ROOT, "  load average now %.1f (other processes share the cores: the ratios are the figures to compare)%n",
                load());

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
        Files.deleteIfExists(lakeMarker(dataDir, symbols, sessions));
        return 0;
    }

    /** The seconds a child ./pricelake took, and the last line it printed. */
    record Timed(double seconds, String lastLine) {
    }

    private Timed child(List<String> args) throws Exception {
        return child(dataDir, args);
    }

    /**
     * Runs ./pricelake with these arguments as a user would, from the repository, and times it end to end; its stderr
     * goes to a log in the data dir.
     */
    static Timed child(Path dataDir, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(StandIns.home("pricelake").toString());
        command.addAll(args);
        Path log = dataDir.resolve("logs/bench-" + args.getFirst() + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(StandIns.home(".").toFile())
                .redirectError(log.toFile());
        long t = System.nanoTime();
        Process p = builder.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        double seconds = (System.nanoTime() - t) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("./pricelake " + args.getFirst() + " exited with " + exit + "; see " + log);
        }
        String[] lines = stdout.strip().split("\n");
        return new Timed(seconds, lines[lines.length - 1]);
    }

    /** The reference job of shared/bench/duckdb-resample as one script: load the lake once, one COPY per interval. */
    private String duckdbScript(Path bronze, Path out, int epochOffset) {
        StringBuilder script = new StringBuilder("SET threads=" + duckdbThreads + ";"
                + " CREATE TEMP TABLE raw AS SELECT symbol, date, open, high, low, close, volume FROM read_parquet('"
                + bronze + "/symbol=*/*.parquet');"
                + " CREATE TEMP TABLE sessions AS SELECT date, (row_number() OVER (ORDER BY date) - 1 + " + epochOffset
                + ") AS idx FROM (SELECT DISTINCT date FROM raw);"
                + " CREATE TEMP TABLE b AS SELECT r.*, s.idx FROM raw r JOIN sessions s USING (date);"
                + " DROP TABLE raw;");
        for (int k : ResampleHandler.intervals(null)) {
            script.append(" COPY (SELECT symbol, ").append(k).append(" AS interval_days, min(b.date) AS start_date,")
                    .append(" max(b.date) AS end_date, arg_min(open, b.date) AS open, max(high) AS high, min(low) AS low,")
                    .append(" arg_max(close, b.date) AS close, sum(volume) AS volume, count(*) AS bar_count,")
                    .append(" year(min(b.date)) AS year, lpad(month(min(b.date))::varchar, 2, '0') AS month")
                    .append(" FROM b GROUP BY symbol, idx // ").append(k).append(") TO '").append(out).append("/silver_")
                    .append(k).append("d' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE);");
        }
        return script.toString();
    }

    private static void clearSilver(Path lakeDir) throws Exception {
        deleteTree(lakeDir.resolve("silver"));
        deleteTree(lakeDir.resolve("processing_metadata"));
    }

    /**
     * The bench lake of these tickers' bars from session {@code first} to {@code last}, written by our bronze writer
     * into the data dir's lake unless an earlier run of the same size left it there (a marker file says so).
     */
    static void writeLakeOnce(Path dataDir, List<Ticker> tickers, TradingCalendar calendar, int first, int last)
            throws Exception {
        Path lakeDir = LocalPipeline.bucketDir(dataDir);
        Path marker = lakeMarker(dataDir, tickers.size(), last - first + 1);
        if (Files.exists(marker)) {
            System.out.println("  lake reused from " + lakeDir);
            return;
        }
        deleteTree(lakeDir);
        FileObjectStore lake = new FileObjectStore(lakeDir);
        long t = System.nanoTime();
        tickers.parallelStream().forEach(ticker -> new BronzeLake(lake).merge(ticker,
                rows(BronzeBench.BenchData.bars(ticker, calendar, first, last), Instant.parse("2026-01-02T11:00:00Z"))));
        Files.writeString(marker, "built\n");
        System.out.printf(Locale.ROOT, "  lake written by our bronze writer in %.1f s (reused by later runs)%n",
                (System.nanoTime() - t) / 1e9);
    }

    private static Path lakeMarker(Path dataDir, int symbols, int sessions) {
        return dataDir.resolve("bench-" + symbols + "x" + sessions + ".done");
    }

    static List<BronzeRow> rows(List<Bar> bars, Instant at) {
        return bars.stream().map(b -> new BronzeRow(b, at)).toList();
    }

    /** The machine's load average over the last minute (how many processes wanted a core). */
    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    static long peakHeapMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    }

    static void deleteTree(Path dir) throws Exception {
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
