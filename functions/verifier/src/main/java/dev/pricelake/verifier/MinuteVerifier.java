package dev.pricelake.verifier;

import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.RetentionWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks minute bronze one month file at a time, so a lake of any size (100 symbols x 20 years of minutes) is never
 * held at once: invalid minutes (the ingestion rules), duplicate (symbol, ts) rows, rows outside their file's month,
 * regular-hours minutes missing in months the symbol trades every minute, and ohlcv_minute against bronze inside the
 * minute window, a month of PostgreSQL rows at a time. Times are New York's, where sessions are.
 *
 * <p>Whether a symbol trades every minute is decided per month file, since a symbol can be thin in one decade and
 * liquid in the next: it does when at least {@link #EVERY_MINUTE} of the sessions it has a regular-hours bar on have
 * a bar in every regular minute (09:30 to the close, 16:00 or 13:00 on an early close). A thin symbol's empty minutes (no trade that
 * minute, as Polygon serves them) are then not gaps, while a minute or a session lost from a liquid symbol's month is.
 */
final class MinuteVerifier {
    /**
     * Share of a month's sessions with regular-hours bars that must have every regular minute for the month to count
     * as trading every minute: a liquid symbol has them all, so a few damaged sessions still leave it above, while a
     * thin one, with empty minutes in most sessions, stays far below.
     */
    static final double EVERY_MINUTE = 0.8;
    static final LocalTime REGULAR_OPEN = LocalTime.of(9, 30);
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");
    private final MinuteBronzeLake bronze;
    private final Optional<MinuteBarsStore> postgres;
    private final TradingCalendar calendar;
    private final BarValidator validator;

    MinuteVerifier(ObjectStore lake, Optional<MinuteBarsStore> postgres, TradingCalendar calendar) {
        this.bronze = new MinuteBronzeLake(lake);
        this.postgres = postgres;
        this.calendar = calendar;
        this.validator = new BarValidator(calendar);
    }

    /**
     * One symbol's minute findings.
     *
     * @param first             the first minute, New York time; null when no file could be read
     * @param everyMinuteMonths months (files) in which the symbol trades every minute: only their gaps are reported
     * @param missingMinutes    regular-hours minutes missing in those months; {@code gaps} lists them as ranges
     * @param misplaced         rows whose session is not in the month of the file holding them
     */
    record SymbolReport(String symbol, int files, long minutes, String first, String last, int everyMinuteMonths,
                        long missingMinutes, LakeVerifier.Findings unreadableFiles, LakeVerifier.Findings gaps,
                        LakeVerifier.Findings invalidMinutes, LakeVerifier.Findings duplicateMinutes,
                        LakeVerifier.Findings misplacedMinutes, LakeVerifier.Findings postgresDiffs) {
        long defects() {
            return unreadableFiles.count() + gaps.count() + invalidMinutes.count() + duplicateMinutes.count()
                    + misplacedMinutes.count() + postgresDiffs.count();
        }
    }

    /** @param window the minute window ohlcv_minute was checked in; symbols is empty when the lake has no minute file */
    record Result(RetentionWindow window, boolean postgresChecked, List<SymbolReport> symbols) {
    }

    /** @param files each symbol's month files, oldest first, as {@link MinuteBronzeLake#files()} lists them */
    Result verify(Map<Ticker, List<YearMonth>> files, RetentionWindow window) {
        List<SymbolReport> reports = new ArrayList<>();
        files.forEach((symbol, months) -> reports.add(new SymbolCheck(symbol, months, window).run()));
        return new Result(window, postgres.isPresent(), reports);
    }

    static String at(Instant instant) {
        return MINUTE.format(instant.atZone(NEW_YORK));
    }

    private static Instant startOf(YearMonth month) {
        return month.atDay(1).atStartOfDay(NEW_YORK).toInstant();
    }

    /** Counts every finding and keeps the first {@link LakeVerifier#LISTED}, so a million of them cost no memory. */
    private static final class Tally {
        private long count;
        private final List<String> examples = new ArrayList<>();

        void add(String finding) {
            if (count++ < LakeVerifier.LISTED) {
                examples.add(finding);
            }
        }

        LakeVerifier.Findings findings() {
            return new LakeVerifier.Findings(count, examples);
        }
    }

    /** The state of one symbol's check as its months go by. */
    private final class SymbolCheck {
        private final Ticker symbol;
        private final List<YearMonth> months;
        private final RetentionWindow window;
        private final Tally unreadable = new Tally();
        private final Tally gaps = new Tally();
        private final Tally invalid = new Tally();
        private final Tally duplicates = new Tally();
        private final Tally misplaced = new Tally();
        private final Tally postgresDiffs = new Tally();
        private int files;
        private long minutes;
        private Instant first;
        private Instant last;
        private int everyMinuteMonths;
        private long missingMinutes;

        SymbolCheck(Ticker symbol, List<YearMonth> months, RetentionWindow window) {
            this.symbol = symbol;
            this.months = months;
            this.window = window;
        }

        SymbolReport run() {
            YearMonth firstFile = months.getFirst();
            YearMonth lastFile = months.getLast();
            TreeSet<YearMonth> visit = new TreeSet<>();
            for (YearMonth m = firstFile; !m.isAfter(lastFile); m = m.plusMonths(1)) {
                visit.add(m);
            }
            YearMonth windowStart = YearMonth.from(window.cutoff());
            if (postgres.isPresent()) {
                // Months of the window without a file are visited too: rows PostgreSQL has there are not in bronze.
                YearMonth windowEnd = lastFile.isAfter(YearMonth.from(window.asOf())) ? lastFile : YearMonth.from(window.asOf());
                for (YearMonth m = windowStart; !m.isAfter(windowEnd); m = m.plusMonths(1)) {
                    visit.add(m);
                }
            }
            boolean everyMinuteBefore = false;
            for (YearMonth month : visit) {
                List<MinuteRow> rows = List.of();
                if (months.contains(month)) {
                    try {
                        rows = bronze.readFile(symbol, month).rows();
                    } catch (MalformedDataException unusable) {
                        // Reported, and the symbol's other months are still checked.
                        unreadable.add(unusable.getMessage());
                        everyMinuteBefore = false;
                        continue;
                    }
                    files++;
                    everyMinuteBefore = checkMonth(month, rows, month.equals(firstFile), month.equals(lastFile));
                } else if (everyMinuteBefore && month.isAfter(firstFile) && month.isBefore(lastFile)) {
                    // A month with no file inside the symbol's history, after a month it traded every minute: a liquid
                    // symbol's month lost, not a thin symbol's quiet one.
                    for (LocalDate session : calendar.sessions(new DateRange(month.atDay(1), month.atEndOfMonth()))) {
                        gap(session, 0, regularMinutes(session));
                    }
                }
                if (postgres.isPresent() && !month.isBefore(windowStart)) {
                    compare(month, rows);
                }
            }
            return new SymbolReport(symbol.value(), files, minutes, first == null ? null : at(first),
                    last == null ? null : at(last), everyMinuteMonths, missingMinutes, unreadable.findings(), gaps.findings(),
                    invalid.findings(), duplicates.findings(), misplaced.findings(), postgresDiffs.findings());
        }

        /** Checks a month's rows; returns whether the symbol traded every minute that month. */
        private boolean checkMonth(YearMonth month, List<MinuteRow> rows, boolean firstFile, boolean lastFile) {
            Map<Instant, Integer> seen = new HashMap<>(rows.size() * 2);
            TreeMap<LocalDate, BitSet> regular = new TreeMap<>();
            for (MinuteRow row : rows) {
                MinuteBar bar = row.bar();
                minutes++;
                first = first == null || bar.start().isBefore(first) ? bar.start() : first;
                last = last == null || bar.start().isAfter(last) ? bar.start() : last;
                List<String> reasons = validator.reasons(bar);
                if (!reasons.isEmpty()) {
                    invalid.add(at(bar.start()) + ": " + String.join("; ", reasons));
                }
                if (!MinuteBronzeLake.monthOf(row).equals(month)) {
                    misplaced.add(at(bar.start()) + ": in the file of " + month + ", not of its session's month");
                    continue;
                }
                if (seen.merge(bar.start(), 1, Integer::sum) == 2) {
                    duplicates.add(at(bar.start()) + ": more than one row");
                }
                LocalDate session = bar.start().atZone(NEW_YORK).toLocalDate();
                if (calendar.isSession(session)) {
                    long index = Duration.between(session.atTime(REGULAR_OPEN).atZone(NEW_YORK).toInstant(), bar.start()).toMinutes();
                    if (index >= 0 && index < regularMinutes(session)) {
                        regular.computeIfAbsent(session, d -> new BitSet()).set((int) index);
                    }
                }
            }
            long complete = regular.entrySet().stream()
                    .filter(e -> e.getValue().cardinality() == regularMinutes(e.getKey())).count();
            if (regular.isEmpty() || complete < EVERY_MINUTE * regular.size()) {
                return false;
            }
            everyMinuteMonths++;
            // Sessions before the symbol's first bar and after its last are not gaps: it was not in the lake yet.
            LocalDate from = firstFile ? regular.firstKey() : month.atDay(1);
            LocalDate to = lastFile ? regular.lastKey() : month.atEndOfMonth();
            for (LocalDate session : calendar.sessions(new DateRange(from, to))) {
                BitSet present = regular.getOrDefault(session, new BitSet());
                int end = regularMinutes(session);
                int missing = present.nextClearBit(0);
                while (missing < end) {
                    int next = present.nextSetBit(missing);
                    int back = next < 0 || next > end ? end : next;
                    gap(session, missing, back);
                    missing = present.nextClearBit(back);
                }
            }
            return true;
        }

        /** Regular minutes {@code from} (inclusive) to {@code to} (exclusive), counted from 09:30, are missing. */
        private void gap(LocalDate session, int from, int to) {
            int count = to - from;
            missingMinutes += count;
            gaps.add(session + " " + REGULAR_OPEN.plusMinutes(from) + "-" + REGULAR_OPEN.plusMinutes(to) + ": " + count
                    + (count == 1 ? " minute" : " minutes") + " missing"
                    + (count == regularMinutes(session) ? " (the whole session)" : ""));
        }

        private int regularMinutes(LocalDate session) {
            return (int) Duration.between(REGULAR_OPEN, calendar.closeTime(session)).toMinutes();
        }

        /** The month's minutes inside the window against ohlcv_minute's rows of the same instants. */
        private void compare(YearMonth month, List<MinuteRow> rows) {
            Instant from = startOf(month).isBefore(window.cutoffInstant()) ? window.cutoffInstant() : startOf(month);
            Instant until = startOf(month.plusMonths(1));
            Map<Instant, MinuteBar> lake = new TreeMap<>();
            rows.stream().map(MinuteRow::bar).filter(b -> !b.start().isBefore(from) && b.start().isBefore(until))
                    .forEach(b -> lake.putIfAbsent(b.start(), b));
            Map<Instant, MinuteBar> table = new TreeMap<>();
            postgres.orElseThrow().rows(symbol, from, until).forEach(r -> table.put(r.bar().start(), r.bar()));
            LakeVerifier.compare(lake, table, MinuteVerifier::at, postgresDiffs::add);
        }
    }
}
