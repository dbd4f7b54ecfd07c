package dev.pricelake.core.bronze;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.TradingCalendar;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a symbol's bronze (or staging) file knows beyond its bars, kept in its footer: how its prices are adjusted,
 * which dates the source was asked about, the sessions in them the source had no bar for (a halt; not a gap), and,
 * for a renamed symbol, the ticker it traded as on each date. Files written before the lake kept this are read as
 * adjusted through their last bar and covering their first to last bar.
 *
 * @param covered     the dates the source was asked about: a symbol is caught up from the day after its end
 * @param noBars      sessions inside {@code covered} the source had no bar for
 * @param tradedAs    the ticker and the dates it was traded under, when that is not the file's own symbol throughout
 *                    ({@code FB:2012-05-18..2022-06-08,META:2022-06-09..}); empty otherwise
 */
public record Provenance(Adjustment adjustment, DateRange covered, NavigableSet<LocalDate> noBars, String tradedAs) {
    public static final String COVERED = "pricelake.covered";
    public static final String NO_BARS = "pricelake.no_bar_sessions";
    public static final String TRADED_AS = "pricelake.traded_as";

    public Provenance {
        Objects.requireNonNull(adjustment, "adjustment");
        noBars = java.util.Collections.unmodifiableNavigableSet(new TreeSet<>(noBars));
        tradedAs = tradedAs == null ? "" : tradedAs;
    }

    /** A file's provenance from its footer; none for a file without rows or metadata (a symbol not in the lake). */
    public static java.util.Optional<Provenance> of(BronzeFile file, TradingCalendar calendar, String source) {
        Map<String, String> m = file.metadata();
        if (!m.containsKey(Adjustment.KEY)) {
            if (file.rows().isEmpty()) {
                return java.util.Optional.empty();
            }
            LocalDate first = file.rows().getFirst().bar().date();
            LocalDate last = file.rows().getLast().bar().date();
            return java.util.Optional.of(new Provenance(Adjustment.splitsThrough(last), new DateRange(first, last),
                    new TreeSet<>(), ""));
        }
        String covered = m.get(COVERED);
        int dots = covered == null ? -1 : covered.indexOf("..");
        if (dots < 0) {
            throw new MalformedDataException(source, COVERED + " '" + covered + "' is not a range YYYY-MM-DD..YYYY-MM-DD");
        }
        return java.util.Optional.of(new Provenance(Adjustment.parse(m.get(Adjustment.KEY), source),
                DateRange.parse(covered.substring(0, dots), covered.substring(dots + 2)),
                SessionRuns.decode(m.get(NO_BARS), calendar, source), m.getOrDefault(TRADED_AS, "")));
    }

    public Map<String, String> toMetadata(TradingCalendar calendar) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Adjustment.KEY, adjustment.encode());
        m.put(COVERED, covered.start() + ".." + covered.end());
        m.put(NO_BARS, SessionRuns.encode(noBars, calendar));
        if (!tradedAs.isEmpty()) {
            m.put(TRADED_AS, tradedAs);
        }
        return m;
    }

    /**
     * The provenance of a file after {@code incoming} (a staged fetch) merges into this one, whose rows are then
     * {@code dates}: the earlier adjustment (refusing to mix adjusted and unadjusted), the span of both coverages,
     * and the no-bar sessions of both that still have no bar.
     */
    public Provenance mergedWith(Provenance incoming, Set<LocalDate> dates, String file) {
        Adjustment adjusted = adjustment.with(incoming.adjustment, file);
        DateRange span = new DateRange(min(covered.start(), incoming.covered.start()), max(covered.end(), incoming.covered.end()));
        NavigableSet<LocalDate> none = new TreeSet<>(noBars);
        none.addAll(incoming.noBars);
        none.removeAll(dates);
        return new Provenance(adjusted, span, none, tradedAs.isEmpty() ? incoming.tradedAs : tradedAs);
    }

    /** The last date the source was asked about: the symbol is caught up from the next session. */
    public LocalDate coveredThrough() {
        return covered.end();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    /** Used to list which sessions of a range had no bar: every session in it not among {@code dates}. */
    public static NavigableSet<LocalDate> sessionsWithout(DateRange range, Set<LocalDate> dates, TradingCalendar calendar) {
        NavigableSet<LocalDate> none = new TreeSet<>();
        List<LocalDate> sessions = calendar.sessions(range);
        for (LocalDate s : sessions) {
            if (!dates.contains(s)) {
                none.add(s);
            }
        }
        return none;
    }
}
