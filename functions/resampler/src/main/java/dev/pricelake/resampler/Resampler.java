package dev.pricelake.resampler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.pricelake.core.Concurrently;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.silver.Resampling;
import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.silver.SilverRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bronze to silver. A full run rebuilds every partition of every interval. An incremental run reads only
 * the symbols a run touched (plus any a crashed run left pending), finds the months whose bars changed
 * from the checkpoint's digests, and rewrites only the partitions those buckets start in (and those whose
 * buckets became complete), patching the other symbols' rows in place; its files equal a full rebuild's.
 */
final class Resampler {
    static final List<Integer> DEFAULT_INTERVALS = List.of(3, 5, 8, 13, 21, 34);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore lake;
    private final TradingCalendar calendar;
    private final Resampling resampling;
    private final List<Integer> intervals;
    private final ForkJoinPool pool;
    private final Clock clock;

    Resampler(ObjectStore lake, TradingCalendar calendar, List<Integer> intervals, ForkJoinPool pool, Clock clock) {
        this.lake = lake;
        this.calendar = calendar;
        this.resampling = new Resampling(calendar);
        this.intervals = List.copyOf(intervals);
        this.pool = pool;
        this.clock = clock;
    }

    /** @param unreadable bronze files that could not be used (key to the reason), left out of this run */
    record Result(String mode, int symbolsRead, long partitionsWritten, long partitionsDeleted, long rowsWritten,
                  LocalDate lastSession, Map<String, String> unreadable) {
        Result {
            unreadable = new TreeMap<>(unreadable);
        }
    }

    Result full() {
        List<Ticker> symbols = bronzeSymbols();
        markPending(symbols);
        Map<String, String> unreadable = new ConcurrentHashMap<>();
        Map<String, SymbolBars> bars = readAll(symbols, unreadable);
        int last = lastSession(bars.values(), -1);
        List<String> order = new ArrayList<>(new TreeSet<>(bars.keySet()));
        Map<String, MonthDigests> digests = new TreeMap<>();
        bars.forEach((s, b) -> digests.put(s, b.digests()));
        byte[] encodedDigests = Checkpoint.encode(digests);
        // Intervals are independent: each one resamples every symbol into its partitions on its own worker, and
        // writes them before the worker takes the next interval, so only a core's worth of intervals is in memory.
        // Workers take the shortest interval (the most rows) first, so the longest piece of work never starts last.
        Map<Integer, Set<Integer>> months = new ConcurrentHashMap<>();
        AtomicLong rows = new AtomicLong();
        Queue<Integer> pending = new ConcurrentLinkedQueue<>(new TreeSet<>(intervals));
        List<ForkJoinTask<?>> workers = new ArrayList<>();
        for (int w = 0; w < pool.getParallelism(); w++) {
            workers.add(pool.submit(() -> {
                for (Integer k = pending.poll(); k != null; k = pending.poll()) {
                    int interval = k;
                    Map<Integer, SilverRows> partitions = partitions(interval, order, bars, last);
                    months.put(interval, new TreeSet<>(partitions.keySet()));
                    Concurrently.forEach(partitions.entrySet(), Concurrently.STORE_CALLS,
                            e -> rows.addAndGet(writePartition(interval, e.getKey(), e.getValue(), last)));
                }
            }));
        }
        workers.forEach(ForkJoinTask::join);
        long deleted = 0;
        for (int k : intervals) {
            Optional<Checkpoint> previous = Checkpoint.load(lake, k);
            Set<String> keep = new HashSet<>();
            months.get(k).forEach(m -> keep.add(SilverLayout.partitionKey(k, m)));
            for (String key : lake.list(SilverLayout.intervalPrefix(k))) {
                if (!keep.contains(key)) {
                    lake.delete(key);
                    deleted++;
                }
            }
            new Checkpoint(k, calendar.version(), sessionDate(last), previous.map(c -> c.generation() + 1).orElse(1L), digests)
                    .save(lake, encodedDigests, previous.map(Checkpoint::generation).orElse(null), clock.instant());
        }
        lake.delete(SilverLayout.PENDING_KEY);
        long written = months.values().stream().mapToLong(Set::size).sum();
        return new Result("full", bars.size(), written, deleted, rows.get(), sessionDate(last), unreadable);
    }

    /** Every symbol's rows of interval k, by the month they start in. */
    private static Map<Integer, SilverRows> partitions(int k, List<String> order, Map<String, SymbolBars> bars, int last) {
        Map<Integer, SilverRows> partitions = new TreeMap<>();
        int perPartition = bars.size() * 23 / k + 16;
        // One buffer for every symbol's own rows: a new one each was a gigabyte of garbage per full run.
        SilverRows own = new SilverRows(4096);
        for (String symbol : order) {
            SymbolBars b = bars.get(symbol);
            own.clear();
            Resampling.resample(symbol, b.days(), b.sessions(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.n(),
                    k, last, Resampling.BucketFilter.ALL, own);
            // Rows come in date order: a symbol's rows of one month go to the partition looked up for the first.
            int month = Integer.MIN_VALUE;
            SilverRows partition = null;
            for (int i = 0; i < own.size(); i++) {
                int m = SymbolBars.monthOf(own.startDay(i));
                if (m != month) {
                    month = m;
                    partition = partitions.computeIfAbsent(m, unused -> new SilverRows(perPartition));
                }
                partition.addFrom(own, i);
            }
        }
        return partitions;
    }

    /** {@code touched}: the symbols whose bronze may have changed; empty means check every bronze file. */
    Result incremental(Optional<Collection<Ticker>> touched) {
        Map<Integer, Checkpoint> checkpoints = new TreeMap<>();
        for (int k : intervals) {
            Optional<Checkpoint> c = Checkpoint.load(lake, k);
            if (c.isEmpty() || !c.get().calendarVersion().equals(calendar.version())) {
                // No baseline, or a calendar correction moved sessions: only a full rebuild is right.
                return full();
            }
            checkpoints.put(k, c.get());
        }
        Set<Ticker> candidates = new TreeSet<>(touched.map(t -> (Collection<Ticker>) t).orElseGet(this::bronzeSymbols));
        if (touched.isEmpty()) {
            // Symbols whose bronze file disappeared are changes too.
            checkpoints.values().iterator().next().digests().keySet().forEach(s -> candidates.add(Ticker.of(s)));
        }
        candidates.addAll(pending());
        markPending(candidates);
        Map<String, String> unreadable = new ConcurrentHashMap<>();
        // An unreadable file is left out: its silver rows and digests stay as the last good read left them.
        Map<String, SymbolBars> bars = readAll(List.copyOf(candidates), unreadable);
        long written = 0;
        long deleted = 0;
        long rows = 0;
        LocalDate lastSession = null;
        for (int k : intervals) {
            Checkpoint before = checkpoints.get(k);
            int oldLast = calendar.sessionIndex(before.lastSession());
            int last = lastSession(bars.values(), oldLast);
            lastSession = sessionDate(last);
            Map<String, BitSet> affected = new TreeMap<>();
            Map<String, MonthDigests> digests = new TreeMap<>(before.digests());
            for (SymbolBars b : bars.values()) {
                int[] months = MonthDigests.changedMonths(before.digests().getOrDefault(b.symbol(), MonthDigests.NONE), b.digests());
                if (months.length > 0) {
                    affected.put(b.symbol(), bucketsOf(months, k));
                }
                if (b.n() == 0) {
                    digests.remove(b.symbol());
                } else {
                    digests.put(b.symbol(), b.digests());
                }
            }
            TreeSet<Integer> months = new TreeSet<>();
            affected.values().forEach(buckets -> buckets.stream().forEach(bucket -> months.addAll(monthsOf(bucket, k))));
            for (int bucket = Resampling.bucket(Math.max(oldLast, 0), k); bucket <= Resampling.bucket(last, k); bucket++) {
                int end = Resampling.lastSessionOf(bucket, k);
                if (end > oldLast && end <= last) {
                    months.addAll(monthsOf(bucket, k));
                }
            }
            Map<Integer, SilverRows> fresh = new HashMap<>();
            for (Map.Entry<String, BitSet> e : affected.entrySet()) {
                SymbolBars b = bars.get(e.getKey());
                SilverRows own = new SilverRows(16);
                Resampling.resample(b.symbol(), b.days(), b.sessions(), b.open(), b.high(), b.low(), b.close(), b.volume(),
                        b.n(), k, last, e.getValue()::get, own);
                for (int i = 0; i < own.size(); i++) {
                    fresh.computeIfAbsent(SymbolBars.monthOf(own.startDay(i)), m -> new SilverRows(64)).addFrom(own, i);
                }
            }
            AtomicLong writes = new AtomicLong();
            AtomicLong removals = new AtomicLong();
            AtomicLong intervalRows = new AtomicLong();
            Concurrently.forEach(months, Concurrently.STORE_CALLS, month -> {
                String key = SilverLayout.partitionKey(k, month);
                Optional<byte[]> existing = lake.get(key);
                SilverRows merged = new SilverRows(1024);
                existing.ifPresent(bytes -> {
                    SilverRows old = SilverParquet.read(bytes, key);
                    for (int i = 0; i < old.size(); i++) {
                        BitSet recomputed = affected.get(old.symbol(i));
                        if (recomputed == null || !recomputed.get(bucketOfDay(old.startDay(i), k))) {
                            merged.addFrom(old, i);
                        }
                    }
                });
                SilverRows added = fresh.get(month);
                if (added != null) {
                    for (int i = 0; i < added.size(); i++) {
                        merged.addFrom(added, i);
                    }
                }
                if (merged.size() == 0) {
                    if (existing.isPresent()) {
                        lake.delete(key);
                        removals.incrementAndGet();
                    }
                    return;
                }
                writes.incrementAndGet();
                intervalRows.addAndGet(writePartition(k, month, merged.sorted(), last));
            });
            rows += intervalRows.get();
            written += writes.get();
            deleted += removals.get();
            new Checkpoint(k, calendar.version(), lastSession, before.generation() + 1, digests)
                    .save(lake, Checkpoint.encode(digests), before.generation(), clock.instant());
        }
        lake.delete(SilverLayout.PENDING_KEY);
        return new Result("incremental", bars.size(), written, deleted, rows, lastSession, unreadable);
    }

    /** Sets every row's complete flag for the lake's last session, then writes the partition; returns its rows. */
    private long writePartition(int k, int month, SilverRows rows, int lastSessionIndex) {
        for (int i = 0; i < rows.size(); i++) {
            int bucket = bucketOfDay(rows.startDay(i), k);
            rows.setComplete(i, Resampling.lastSessionOf(bucket, k) <= lastSessionIndex);
        }
        lake.put(SilverLayout.partitionKey(k, month), SilverParquet.write(rows, 0, rows.size(), k));
        return rows.size();
    }

    private int bucketOfDay(int epochDay, int k) {
        return Resampling.bucket(calendar.sessionIndexOfEpochDay(epochDay), k);
    }

    /** The buckets holding any session of these months. */
    private BitSet bucketsOf(int[] months, int k) {
        BitSet buckets = new BitSet();
        for (int month : months) {
            LocalDate first = LocalDate.of(month / 12, month % 12 + 1, 1);
            LocalDate lastDay = first.plusMonths(1).minusDays(1);
            if (lastDay.isBefore(TradingCalendar.FIRST_SESSION) || first.getYear() > TradingCalendar.LAST_YEAR) {
                continue;
            }
            int from = calendar.sessionIndex(calendar.onOrAfter(first.isBefore(TradingCalendar.FIRST_SESSION)
                    ? TradingCalendar.FIRST_SESSION : first));
            int to = calendar.sessionIndex(calendar.onOrBefore(lastDay));
            if (from <= to) {
                buckets.set(Resampling.bucket(from, k), Resampling.bucket(to, k) + 1);
            }
        }
        return buckets;
    }

    /** The months a bucket's sessions fall in: where its row may start. */
    private List<Integer> monthsOf(int bucket, int k) {
        int first = bucket * k;
        int last = Math.min(Resampling.lastSessionOf(bucket, k), calendar.sessionCount() - 1);
        List<Integer> months = new ArrayList<>(2);
        for (int s = first; s <= last; s++) {
            int m = SymbolBars.monthOf((int) calendar.session(s).toEpochDay());
            if (months.isEmpty() || months.getLast() != m) {
                months.add(m);
            }
        }
        return months;
    }

    /**
     * Reads the symbols' bronze files, many requests at a time (S3's latency, not the CPU, bounds a read); a file
     * that cannot be used is named in {@code unreadable} with the reason and left out, so one bad file does not
     * stop the lake's resample.
     */
    private Map<String, SymbolBars> readAll(List<Ticker> symbols, Map<String, String> unreadable) {
        Map<String, SymbolBars> bars = new ConcurrentHashMap<>();
        Concurrently.forEach(symbols, Concurrently.STORE_CALLS, t -> {
            try {
                bars.put(t.value(), SymbolBars.read(lake, t, resampling));
            } catch (MalformedDataException e) {
                String key = BronzeLake.key(t);
                String problem = e.getMessage().startsWith(key + ": ") ? e.getMessage().substring(key.length() + 2) : e.getMessage();
                unreadable.put(key, problem);
            }
        });
        return bars;
    }

    private static int lastSession(Collection<SymbolBars> bars, int atLeast) {
        int last = atLeast;
        for (SymbolBars b : bars) {
            last = Math.max(last, b.lastSession());
        }
        return last;
    }

    private LocalDate sessionDate(int index) {
        return index < 0 ? TradingCalendar.FIRST_SESSION : calendar.session(index);
    }

    private List<Ticker> bronzeSymbols() {
        return new BronzeLake(lake).symbols();
    }

    /** Symbols a run was working on when it stopped: the next run takes them up again. */
    private Set<Ticker> pending() {
        Set<Ticker> out = new TreeSet<>();
        lake.get(SilverLayout.PENDING_KEY).ifPresent(bytes -> {
            try {
                JSON.readTree(bytes).path("symbols").forEach(s -> out.add(Ticker.of(s.asText())));
            } catch (IOException e) {
                throw new MalformedDataException(SilverLayout.PENDING_KEY, "is not readable JSON", e);
            }
        });
        return out;
    }

    private void markPending(Collection<Ticker> symbols) {
        ArrayNode list = JSON.createArrayNode();
        symbols.forEach(t -> list.add(t.value()));
        JsonNode node = JSON.createObjectNode().set("symbols", list);
        lake.put(SilverLayout.PENDING_KEY, node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
