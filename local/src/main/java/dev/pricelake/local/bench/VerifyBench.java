package dev.pricelake.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.local.runner.LocalDuckDb;
import dev.pricelake.local.runner.LocalPipeline;
import dev.pricelake.verifier.VerifyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Verify over a lake of minute bronze (every regular minute of every session, as the simulator serves its well-known
 * symbols): the verify function's service in this JVM with its peak heap, {@code ./pricelake verify} as a user runs it
 * (PostgreSQL started, ohlcv_minute read for the window), and DuckDB scanning the same files for the same
 * counts (rows, duplicate minutes, regular minutes per session).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify over minute bronze: minutes/s and peak heap in this JVM, the command end to end, DuckDB on the same files.")
public final class VerifyBench implements Callable<Integer> {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--symbols", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}")
    int symbols;

    @Option(names = "--months", defaultValue = "24", description = "Months of minutes up to December 2025. Default: ${DEFAULT-VALUE}")
    int months;

    @Option(names = "--data-dir", defaultValue = ".pricelake/bench-verify",
            description = "A data dir for the lake (kept and reused; the command runs with it). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--duckdb-threads", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}")
    int duckdbThreads;

    @Override
    public Integer call() throws Exception {
        TradingCalendar calendar = TradingCalendar.nyse();
        YearMonth last = YearMonth.of(2025, 12);
        YearMonth first = last.minusMonths(months - 1L);
        dataDir = dataDir.toAbsolutePath().normalize();
        Path lakeDir = LocalPipeline.bucketDir(dataDir);
        List<Ticker> tickers = BronzeBench.BenchData.tickers(symbols);
        long perSymbol = 0;
        for (LocalDate session : calendar.sessions(new DateRange(first.atDay(1), last.atEndOfMonth()))) {
            perSymbol += Duration.between(LocalTime.of(9, 30), calendar.closeTime(session)).toMinutes();
        }
        long minutes = perSymbol * symbols;
        System.out.printf(Locale.ROOT, "verify bench: %,d symbols x %,d months (%s..%s) = %,d minute files, %,d minutes; JVM %s,"
                        + " %d cores, load average %.1f%n", symbols, months, first, last, (long) symbols * months, minutes,
                Runtime.version(), Runtime.getRuntime().availableProcessors(), ResampleBench.load());
        writeLakeOnce(lakeDir, tickers, calendar, first, last);

        FileObjectStore lake = new FileObjectStore(lakeDir);
        ResampleBench.resetPeaks();
        long t0 = System.nanoTime();
        JsonNode core = new VerifyHandler(lake, Optional.empty(), Optional.empty(), List.of(), Clock.systemUTC())
                .invoke(Events.object());
        double coreSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  pricelake core, in this JVM:   %6.2f s  %,.0f minutes/s  clean=%s  peak heap %,d MiB%n",
                coreSeconds, minutes / coreSeconds, core.get("clean").asBoolean(), ResampleBench.peakHeapMiB());

        ResampleBench.Timed command = ResampleBench.child(dataDir, List.of("verify", "--data-dir", dataDir.toString(), "--json"));
        JsonNode report = JSON.readTree(command.lastLine());
        System.out.printf(Locale.ROOT, "  ./pricelake verify (command): %6.2f s  %,.0f minutes/s  clean=%s  %,d minute symbols"
                        + " (the JVM and PostgreSQL started inside)%n", command.seconds(), minutes / command.seconds(),
                report.get("clean").asBoolean(), report.at("/totals/minute_symbols").asLong());

        try (LocalDuckDb duck = LocalDuckDb.open(null); Statement s = duck.connection().createStatement()) {
            s.execute("SET threads=" + duckdbThreads);
            long t = System.nanoTime();
            try (ResultSet r = s.executeQuery(peerQuery(lakeDir.resolve(MinuteBronzeLake.PREFIX)))) {
                r.next();
                double seconds = (System.nanoTime() - t) / 1e9;
                System.out.printf(Locale.ROOT, "  duckdb, JDBC in this JVM:      %6.2f s  %,.0f minutes/s  (%,d rows, %,d duplicate"
                                + " minutes, %,d regular minutes in %,d sessions; %d threads)%n", seconds, minutes / seconds,
                        r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), duckdbThreads);
            }
        }
        System.out.printf(Locale.ROOT, "  load average now %.1f (other processes share the cores)%n", ResampleBench.load());
        return 0;
    }

    /** The same scan in SQL: every row, the minutes with more than one row, regular minutes and sessions per symbol. */
    private static String peerQuery(Path minuteBronze) {
        return "WITH m AS (SELECT symbol, timezone('America/New_York', ts AT TIME ZONE 'UTC') AS ny FROM read_parquet('"
                + minuteBronze + "/*/*/*/data.parquet', hive_partitioning = false)),"
                + " r AS (SELECT symbol, ny::DATE AS d, count(DISTINCT ny) AS n FROM m"
                + " WHERE ny::TIME >= TIME '09:30' AND ny::TIME < TIME '16:00' GROUP BY ALL)"
                + " SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM (SELECT symbol, ny FROM m GROUP BY ALL HAVING count(*) > 1)),"
                + " (SELECT sum(n) FROM r), (SELECT count(*) FROM r)";
    }

    private static void writeLakeOnce(Path lakeDir, List<Ticker> tickers, TradingCalendar calendar, YearMonth first,
            YearMonth last) throws Exception {
        Path marker = lakeDir.resolveSibling("bench-verify-" + tickers.size() + "x" + first + "-" + last + ".done");
        if (Files.exists(marker)) {
            System.out.println("  lake reused from " + lakeDir);
            return;
        }
        ResampleBench.deleteTree(lakeDir);
        FileObjectStore lake = new FileObjectStore(lakeDir);
        long t = System.nanoTime();
        Instant ingested = Instant.parse("2026-01-02T11:00:00Z");
        tickers.parallelStream().forEach(ticker -> {
            for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
                List<MinuteRow> rows = new ArrayList<>();
                for (LocalDate session : calendar.sessions(new DateRange(month.atDay(1), month.atEndOfMonth()))) {
                    Instant open = session.atTime(9, 30).atZone(NEW_YORK).toInstant();
                    long regular = Duration.between(LocalTime.of(9, 30), calendar.closeTime(session)).toMinutes();
                    for (int i = 0; i < regular; i++) {
                        double price = 100 + (i % 97) * 0.01;
                        rows.add(new MinuteRow(new MinuteBar(ticker, open.plusSeconds(60L * i), price, price + 0.05,
                                price - 0.05, price, 100 + i, price, 10L), ingested));
                    }
                }
                new MinuteBronzeLake(lake).merge(ticker, rows, Map.of());
            }
        });
        Files.writeString(marker, "built\n");
        System.out.printf(Locale.ROOT, "  lake written by our minute bronze writer in %.1f s (reused by later runs)%n",
                (System.nanoTime() - t) / 1e9);
    }
}
