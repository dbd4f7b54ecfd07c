package dev.pricelake.verifier;

import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidBar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ohlcv;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Provenance;
import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import dev.pricelake.core.silver.Months;
import dev.pricelake.core.silver.Resampling;
import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.silver.SilverRows;
import dev.pricelake.resampler.SilverIndex;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Checks what the lake holds for some symbols: sessions missing between a symbol's first and last bar (a session the
 * source was asked about and had no bar for is a known halt, counted once, not a gap), invalid bars, duplicate
 * dates, splits the bars are not adjusted for, PostgreSQL rows that differ from bronze inside the retention window,
 * and silver rows that differ from a resample of bronze; and minute bronze ({@link MinuteVerifier}). Beyond defects it reports what looks wrong but can be
 * real, as qlib's collectors do: a day-to-day close move over 50 % with no split that day, and volume jumping
 * tenfold either way. Reads only; every finding names the symbol, the date and both values.
 */
final class LakeVerifier {
    /** Findings listed per symbol and check; the counts stay exact beyond it. */
    static final int LISTED = 20;
    /** A close this far from the previous one (either way) with no split that day is worth a look. */
    static final double LARGE_MOVE = 0.5;
    /** Volume this many times the previous session's, or this many times less, is worth a look. */
    static final double VOLUME_JUMP = 10;
    private final ObjectStore lake;
    private final Optional<RecentBarsStore> recent;
    private final TradingCalendar calendar;
    private final List<Integer> intervals;
    private final MinuteVerifier minutes;

    LakeVerifier(ObjectStore lake, Optional<RecentBarsStore> recent, Optional<MinuteBarsStore> recentMinutes,
            TradingCalendar calendar, List<Integer> intervals) {
        this.lake = lake;
        this.recent = recent;
        this.calendar = calendar;
        this.intervals = List.copyOf(intervals);
        this.minutes = new MinuteVerifier(lake, recentMinutes, calendar);
    }

    /** One check's findings: how many, and the first {@link #LISTED} of them. */
    record Findings(long count, List<String> examples) {
        static Findings of(List<String> all) {
            return new Findings(all.size(), List.copyOf(all.subList(0, Math.min(LISTED, all.size()))));
        }
    }

    /** @param coverage month (year * 12 + month - 1) to {sessions the symbol should have, bars it has} */
    /**
     * @param unreadableFile the file's error when it cannot be used: its other checks are then left out
     * @param knownHalts     sessions between the first and last bar the source had no bar for: not gaps
     * @param largeMoves     warnings, not defects: real markets move that much now and then
     * @param volumeJumps    warnings, not defects
     */
    record SymbolReport(String symbol, int bars, LocalDate first, LocalDate last, Findings unreadableFile,
                        Findings missingSessions, Findings invalidBars, Findings duplicateDates, Findings splitsNotApplied,
                        Findings postgresDiffs, Findings silverDiffs, int knownHalts, Findings largeMoves,
                        Findings volumeJumps, Map<Integer, int[]> coverage) {
        long defects() {
            return unreadableFile.count() + missingSessions.count() + invalidBars.count() + duplicateDates.count()
                    + splitsNotApplied.count() + postgresDiffs.count() + silverDiffs.count();
        }

        long warnings() {
            return largeMoves.count() + volumeJumps.count();
        }
    }

    /**
     * @param notes   what was not checked and why (no PostgreSQL, no silver yet)
     * @param minutes the minute bronze's findings; no symbols when the lake has no minute file
     */
    record Report(LocalDate asOf, List<SymbolReport> symbols, List<String> notes, MinuteVerifier.Result minutes) {
        Map<String, Long> totals() {
            Map<String, Long> totals = new LinkedHashMap<>();
            totals.put("symbols", (long) symbols.size());
            totals.put("unreadable", symbols.stream().mapToLong(s -> s.unreadableFile().count()).sum());
            totals.put("missing_sessions", symbols.stream().mapToLong(s -> s.missingSessions().count()).sum());
            totals.put("invalid_bars", symbols.stream().mapToLong(s -> s.invalidBars().count()).sum());
            totals.put("duplicate_dates", symbols.stream().mapToLong(s -> s.duplicateDates().count()).sum());
            totals.put("splits_not_applied", symbols.stream().mapToLong(s -> s.splitsNotApplied().count()).sum());
            totals.put("postgres_diffs", symbols.stream().mapToLong(s -> s.postgresDiffs().count()).sum());
            totals.put("silver_diffs", symbols.stream().mapToLong(s -> s.silverDiffs().count()).sum());
            totals.put("symbols_with_defects", symbols.stream().filter(s -> s.defects() > 0).count());
            totals.put("known_halts", symbols.stream().mapToLong(SymbolReport::knownHalts).sum());
            totals.put("large_moves", symbols.stream().mapToLong(s -> s.largeMoves().count()).sum());
            totals.put("volume_jumps", symbols.stream().mapToLong(s -> s.volumeJumps().count()).sum());
            List<MinuteVerifier.SymbolReport> m = minutes.symbols();
            if (!m.isEmpty()) {
                totals.put("minute_symbols", (long) m.size());
                totals.put("minute_unreadable", m.stream().mapToLong(s -> s.unreadableFiles().count()).sum());
                totals.put("minute_gaps", m.stream().mapToLong(s -> s.gaps().count()).sum());
                totals.put("missing_minutes", m.stream().mapToLong(MinuteVerifier.SymbolReport::missingMinutes).sum());
                totals.put("invalid_minutes", m.stream().mapToLong(s -> s.invalidMinutes().count()).sum());
                totals.put("duplicate_minutes", m.stream().mapToLong(s -> s.duplicateMinutes().count()).sum());
                totals.put("misplaced_minutes", m.stream().mapToLong(s -> s.misplacedMinutes().count()).sum());
                totals.put("minute_postgres_diffs", m.stream().mapToLong(s -> s.postgresDiffs().count()).sum());
                totals.put("minute_symbols_with_defects", m.stream().filter(s -> s.defects() > 0).count());
            }
            return totals;
        }

        boolean clean() {
            return symbols.stream().allMatch(s -> s.defects() == 0) && minutes.symbols().stream().allMatch(s -> s.defects() == 0);
        }
    }

    /**
     * @param symbols     the day bronze symbols to check
     * @param minuteFiles the minute bronze symbols to check, each with its month files oldest first
     * @param minuteDays  the minute window's length: ohlcv_minute is checked from that many days before {@code asOf}
     */
    Report verify(List<Ticker> symbols, Map<Ticker, List<YearMonth>> minuteFiles, LocalDate asOf, int minuteDays) {
        List<String> notes = new ArrayList<>();
        if (symbols.isEmpty() && minuteFiles.isEmpty()) {
            notes.add("nothing checked: the lake has no bronze files (" + BronzeLake.PREFIX + " is empty); run a backfill"
                    + " first");
        }
        if (recent.isEmpty()) {
            notes.add("PostgreSQL not checked: this deployment has no database");
        }
        // A lake of minutes only has no silver to miss.
        List<IntervalSilver> silver = symbols.isEmpty() && !minuteFiles.isEmpty() ? List.of()
                : silverRows(new HashSet<>(symbols.stream().map(Ticker::value).toList()), notes);
        RetentionWindow window = RetentionWindow.asOf(asOf);
        BronzeLake bronze = new BronzeLake(lake);
        BarValidator validator = new BarValidator(calendar);
        Map<Ticker, List<Split>> splits = new HashMap<>();
        new CorporateActionLake(lake).splits().forEach(s -> splits.computeIfAbsent(s.ticker(), t -> new ArrayList<>()).add(s));
        List<SymbolReport> reports = new ArrayList<>();
        for (Ticker symbol : symbols) {
            BronzeFile file;
            Optional<Provenance> provenance;
            try {
                file = bronze.readFile(symbol);
                provenance = Provenance.of(file, calendar, BronzeLake.key(symbol));
            } catch (MalformedDataException unusable) {
                // Reported, and the other symbols are still checked: one bad file must not hide the rest.
                Findings none = Findings.of(List.of());
                reports.add(new SymbolReport(symbol.value(), 0, null, null, Findings.of(List.of(unusable.getMessage())), none,
                        none, none, none, none, none, 0, none, none, Map.of()));
                continue;
            }
            List<Bar> bars = file.rows().stream().map(BronzeRow::bar).toList();
            reports.add(check(symbol, bars, provenance, splits.getOrDefault(symbol, List.of()), validator, window, silver));
        }
        return new Report(window.asOf(), reports, notes, minutes.verify(minuteFiles, RetentionWindow.minutes(asOf, minuteDays)));
    }

    private SymbolReport check(Ticker symbol, List<Bar> bars, Optional<Provenance> provenance, List<Split> splits,
            BarValidator validator, RetentionWindow window, List<IntervalSilver> silver) {
        List<String> invalid = new ArrayList<>();
        for (InvalidBar bad : validator.validate(bars).invalid()) {
            invalid.add(bad.bar().date() + ": " + String.join("; ", bad.reasons()));
        }
        Set<LocalDate> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (Bar b : bars) {
            if (!seen.add(b.date())) {
                duplicates.add(b.date().toString());
            }
        }
        List<String> missing = new ArrayList<>();
        int halts = 0;
        Set<LocalDate> noBars = provenance.map(Provenance::noBars).orElse(java.util.Collections.emptyNavigableSet());
        Map<Integer, int[]> coverage = new TreeMap<>();
        LocalDate first = bars.isEmpty() ? null : bars.stream().map(Bar::date).min(LocalDate::compareTo).get();
        LocalDate last = bars.isEmpty() ? null : bars.stream().map(Bar::date).max(LocalDate::compareTo).get();
        if (first != null) {
            for (LocalDate session : calendar.sessions(new DateRange(first, last))) {
                int[] cell = coverage.computeIfAbsent(Months.of((int) session.toEpochDay()), m -> new int[2]);
                cell[0]++;
                if (seen.contains(session)) {
                    cell[1]++;
                } else if (noBars.contains(session)) {
                    halts++;
                    cell[0]--;
                } else {
                    missing.add(session.toString());
                }
            }
        }
        Set<LocalDate> splitDays = new HashSet<>();
        splits.forEach(s -> splitDays.add(s.executionDate()));
        List<String> notApplied = new ArrayList<>();
        LocalDate adjustedThrough = provenance.map(p -> p.adjustment().splitsThrough()).orElse(null);
        if (adjustedThrough != null && last != null) {
            for (Split s : splits) {
                if (s.executionDate().isAfter(adjustedThrough) && !s.executionDate().isAfter(last)) {
                    notApplied.add(s.executionDate() + ": split " + s.describe() + " is not applied (bars adjusted through "
                            + adjustedThrough + ")");
                }
            }
        }
        List<String> moves = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        for (int i = 1; i < bars.size(); i++) {
            Bar before = bars.get(i - 1);
            Bar now = bars.get(i);
            if (splitDays.contains(now.date()) || before.close() <= 0 || before.volume() <= 0) {
                continue;
            }
            double move = now.close() / before.close() - 1;
            if (Math.abs(move) > LARGE_MOVE) {
                moves.add(String.format(Locale.ROOT, "%s: close %s after %s on %s (%+.0f %%), no split that day", now.date(),
                        now.close(), before.close(), before.date(), 100 * move));
            }
            double ratio = now.volume() / before.volume();
            if (ratio > VOLUME_JUMP || ratio < 1 / VOLUME_JUMP) {
                volumes.add(String.format(Locale.ROOT, "%s: volume %s after %s on %s (x%.2f)", now.date(), now.volume(),
                        before.volume(), before.date(), ratio));
            }
        }
        List<String> postgres = recent.map(store -> postgresDiffs(store, symbol, bars, window)).orElse(List.of());
        List<String> silverDiffs = duplicates.isEmpty() ? silverDiffs(symbol, bars, silver) : List.of();
        return new SymbolReport(symbol.value(), bars.size(), first, last, Findings.of(List.of()), Findings.of(missing),
                Findings.of(invalid), Findings.of(duplicates), Findings.of(notApplied), Findings.of(postgres),
                Findings.of(silverDiffs), halts, Findings.of(moves), Findings.of(volumes), coverage);
    }

    private static List<String> postgresDiffs(RecentBarsStore store, Ticker symbol, List<Bar> bars, RetentionWindow window) {
        Map<LocalDate, Bar> expected = new TreeMap<>();
        bars.stream().filter(b -> window.contains(b.date())).forEach(b -> expected.put(b.date(), b));
        Map<LocalDate, Bar> actual = new TreeMap<>();
        store.bars(symbol, window.cutoff()).forEach(b -> actual.put(b.date(), b));
        List<String> diffs = new ArrayList<>();
        compare(expected, actual, LocalDate::toString, diffs::add);
        return diffs;
    }

    /** Bronze's bars against PostgreSQL's by key, oldest first: each one missing, extra or different, named. */
    static <K extends Comparable<? super K>, B extends Ohlcv> void compare(Map<K, B> bronze, Map<K, B> postgres,
            Function<K, String> name, Consumer<String> diffs) {
        Set<K> keys = new TreeSet<>(bronze.keySet());
        keys.addAll(postgres.keySet());
        for (K key : keys) {
            B want = bronze.get(key);
            B got = postgres.get(key);
            if (got == null) {
                diffs.accept(name.apply(key) + ": in bronze, missing from PostgreSQL");
            } else if (want == null) {
                diffs.accept(name.apply(key) + ": in PostgreSQL, not in bronze");
            } else if (!want.equals(got)) {
                diffs.accept(name.apply(key) + ": bronze " + values(want) + ", PostgreSQL " + values(got));
            }
        }
    }

    private static String values(Ohlcv b) {
        return String.format(Locale.ROOT, "o=%s h=%s l=%s c=%s v=%s vwap=%s n=%s", b.open(), b.high(), b.low(), b.close(),
                b.volume(), b.vwap(), b.transactions());
    }

    /**
     * One interval's silver rows of the wanted symbols as comparable lines, and the last session its checkpoint
     * resampled through (which decides the complete flags).
     */
    private record IntervalSilver(int k, int lastSession, Map<String, List<String>> rows) {
    }

    /** Intervals without silver are left out, with a note. */
    private List<IntervalSilver> silverRows(Set<String> wanted, List<String> notes) {
        List<IntervalSilver> byInterval = new ArrayList<>();
        for (int k : intervals) {
            Optional<LocalDate> lastSession = SilverIndex.lastSession(lake, k);
            if (lastSession.isEmpty()) {
                notes.add("silver_" + k + "d not checked: it has not been built yet (./pricelake resample)");
                continue;
            }
            Map<String, List<String>> rows = new HashMap<>();
            for (String key : SilverIndex.partitionKeys(lake, k)) {
                SilverRows partition = SilverParquet.read(lake.get(key).orElseThrow(), key);
                for (int i = 0; i < partition.size(); i++) {
                    if (wanted.contains(partition.symbol(i))) {
                        rows.computeIfAbsent(partition.symbol(i), s -> new ArrayList<>()).add(line(partition, i));
                    }
                }
            }
            byInterval.add(new IntervalSilver(k, calendar.sessionIndex(lastSession.get()), rows));
        }
        return byInterval;
    }

    private List<String> silverDiffs(Ticker symbol, List<Bar> bars, List<IntervalSilver> silver) {
        int n = bars.size();
        int[] days = new int[n];
        double[] o = new double[n];
        double[] h = new double[n];
        double[] l = new double[n];
        double[] c = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            Bar b = bars.get(i);
            days[i] = (int) b.date().toEpochDay();
            o[i] = b.open();
            h[i] = b.high();
            l[i] = b.low();
            c[i] = b.close();
            v[i] = b.volume();
        }
        int[] sessions;
        try {
            sessions = new Resampling(calendar).sessionIndices(symbol.value(), days, n);
        } catch (RuntimeException notResampleable) {
            return List.of("bronze cannot be resampled: " + notResampleable.getMessage());
        }
        List<String> diffs = new ArrayList<>();
        for (IntervalSilver interval : silver) {
            int k = interval.k();
            SilverRows expected = new SilverRows(n / k + 1);
            Resampling.resample(symbol.value(), days, sessions, o, h, l, c, v, n, k, interval.lastSession(),
                    Resampling.BucketFilter.ALL, expected);
            Map<String, String> want = byStart(expected);
            Map<String, String> got = new TreeMap<>();
            for (String line : interval.rows().getOrDefault(symbol.value(), List.of())) {
                got.put(line.substring(0, line.indexOf(' ')), line);
            }
            Set<String> starts = new TreeSet<>(want.keySet());
            starts.addAll(got.keySet());
            for (String start : starts) {
                String w = want.get(start);
                String g = got.get(start);
                if (!Objects.equals(w, g)) {
                    diffs.add(k + "d bar from " + start + ": silver " + (g == null ? "has none" : "has " + g.substring(g.indexOf(' ') + 1))
                            + ", bronze gives " + (w == null ? "none" : w.substring(w.indexOf(' ') + 1)));
                }
            }
        }
        return diffs;
    }

    private static Map<String, String> byStart(SilverRows rows) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            String line = line(rows, i);
            out.put(line.substring(0, line.indexOf(' ')), line);
        }
        return out;
    }

    private static String line(SilverRows r, int i) {
        return String.format(Locale.ROOT, "%s end=%s o=%s h=%s l=%s c=%s v=%s bars=%d complete=%s",
                LocalDate.ofEpochDay(r.startDay(i)), LocalDate.ofEpochDay(r.endDay(i)), r.open(i), r.high(i), r.low(i),
                r.close(i), r.volume(i), r.barCount(i), r.complete(i));
    }
}
