package dev.pricelake.local.bench;

import dev.pricelake.core.Bar;
import dev.pricelake.core.FileObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeMerge;
import dev.pricelake.core.bronze.BronzeRow;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bronze codec throughput: the first write of every symbol's history, a daily append of one session, a
 * repeated merge of the same bars (which must write nothing), and a full read, on a lake in a temporary
 * folder (deleted afterwards) that fits the page cache, so the figures are mostly the codec's and the merge's.
 */
@Command(name = "bronze", mixinStandardHelpOptions = true,
        description = "Bronze Parquet write, merge and read throughput (bars/s) and bytes per bar.")
public final class BronzeBench implements Callable<Integer> {
    @Option(names = "--symbols", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}")
    int symbols;

    @Option(names = "--sessions", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}")
    int sessions;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0 = one per core. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws IOException {
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        TradingCalendar calendar = TradingCalendar.nyse();
        int last = calendar.sessionIndex(calendar.onOrBefore(LocalDate.of(2025, 12, 31)));
        List<Ticker> tickers = BenchData.tickers(symbols);
        Path dir = Files.createTempDirectory("pricelake-bronze-bench");
        try {
            return run(workers, calendar, last, tickers, new FileObjectStore(dir));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private int run(int workers, TradingCalendar calendar, int last, List<Ticker> tickers, FileObjectStore store)
            throws IOException {
        BronzeLake lake = new BronzeLake(store);
        Instant day1 = Instant.parse("2026-01-02T11:00:00Z");
        Instant day2 = Instant.parse("2026-01-03T11:00:00Z");

        System.out.printf(Locale.ROOT, "bronze bench: %,d symbols x %,d sessions, %d threads, JVM %s, %d cores%n",
                symbols, sessions, workers, Runtime.version(), Runtime.getRuntime().availableProcessors());
        // Generated before the clock starts: the figures are the lake's work only.
        Map<Ticker, List<Bar>> history = new ConcurrentHashMap<>();
        tickers.parallelStream().forEach(t -> history.put(t, BenchData.bars(t, calendar, last - sessions, last)));
        try (ForkJoinPool pool = new ForkJoinPool(workers)) {
            long bars = (long) symbols * sessions;
            report("write (new files)", bars, pool, tickers, t -> lake.merge(t,
                    rows(history.get(t).subList(0, sessions), day1)).inserted());
            long bytes;
            try (Stream<Path> files = Files.walk(store.root())) {
                bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "  bytes per bar: %.2f (%,d bytes in %,d files)%n",
                    bytes / (double) bars, bytes, symbols);
            report("append one session (merge)", symbols, pool, tickers, t -> lake.merge(t,
                    rows(history.get(t).subList(sessions, sessions + 1), day2)).inserted());
            report("merge same bars again (no write)", bars + symbols, pool, tickers, t -> {
                BronzeMerge.Result r = lake.merge(t, rows(history.get(t), day2));
                if (r.changed()) {
                    throw new IllegalStateException("a repeated merge changed " + t);
                }
                return r.unchanged();
            });
            report("read", bars + symbols, pool, tickers, t -> lake.read(t).size());
        }
        System.out.printf(Locale.ROOT, "  peak heap: %,d MiB%n", peakHeapMiB());
        return 0;
    }

    private static List<BronzeRow> rows(List<Bar> bars, Instant at) {
        List<BronzeRow> rows = new ArrayList<>(bars.size());
        for (Bar bar : bars) {
            rows.add(new BronzeRow(bar, at));
        }
        return rows;
    }

    private static void report(String phase, long expected, ForkJoinPool pool, List<Ticker> tickers,
            ToLongFunction<Ticker> work) {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        pool.submit(() -> tickers.parallelStream().forEach(t -> done.addAndGet(work.applyAsLong(t)))).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (done.get() != expected) {
            throw new IllegalStateException(phase + ": expected " + expected + " bars, saw " + done.get());
        }
        System.out.printf(Locale.ROOT, "  %-34s %,12d bars in %7.2f s = %,12.0f bars/s, %6.2f ms per symbol file%n",
                phase, done.get(), seconds, done.get() / seconds, seconds * 1000 * pool.getParallelism() / tickers.size());
    }

    private static long peakHeapMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    }

    /** Deterministic random-walk bars for benchmarks: every symbol has a bar on every session asked for. */
    static final class BenchData {
        private BenchData() {
        }

        static List<Ticker> tickers(int count) {
            List<Ticker> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                StringBuilder s = new StringBuilder();
                int n = i;
                do {
                    s.append((char) ('A' + n % 26));
                    n /= 26;
                } while (n > 0);
                out.add(Ticker.of("B" + s));
            }
            return out;
        }

        static List<Bar> bars(Ticker ticker, TradingCalendar calendar, int fromSession, int toSession) {
            SplittableRandom random = new SplittableRandom(ticker.value().hashCode());
            double close = 20 + 100 * random.nextDouble();
            List<Bar> out = new ArrayList<>(toSession - fromSession + 1);
            for (int s = fromSession; s <= toSession; s++) {
                double open = close * (1 + 0.005 * (random.nextDouble() - 0.5));
                close = Math.max(1, close * (1 + 0.03 * (random.nextDouble() - 0.5)));
                double high = Math.max(open, close) * (1 + 0.01 * random.nextDouble());
                double low = Math.min(open, close) * (1 - 0.01 * random.nextDouble());
                double volume = Math.floor(1e5 + 1e6 * random.nextDouble());
                out.add(new Bar(ticker, calendar.session(s), round(open), round(high), round(low), round(close),
                        volume, round((high + low + close) / 3), (long) (volume / 100)));
            }
            return out;
        }

        private static double round(double v) {
            return Math.round(v * 10_000) / 10_000.0;
        }
    }
}
