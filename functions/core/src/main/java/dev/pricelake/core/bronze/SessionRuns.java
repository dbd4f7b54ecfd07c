package dev.pricelake.core.bronze;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A set of sessions written as runs of consecutive sessions, {@code 2024-03-04..2024-03-08,2024-04-01}: the
 * sessions before a listing or after a delisting take one run however many they are.
 */
final class SessionRuns {
    private SessionRuns() {
    }

    static String encode(Collection<LocalDate> sessions, TradingCalendar calendar) {
        List<String> runs = new ArrayList<>();
        LocalDate start = null;
        LocalDate previous = null;
        for (LocalDate session : new TreeSet<>(sessions)) {
            if (previous != null && calendar.sessionIndex(session) == calendar.sessionIndex(previous) + 1) {
                previous = session;
                continue;
            }
            if (start != null) {
                runs.add(run(start, previous));
            }
            start = session;
            previous = session;
        }
        if (start != null) {
            runs.add(run(start, previous));
        }
        return String.join(",", runs);
    }

    private static String run(LocalDate start, LocalDate end) {
        return start.equals(end) ? start.toString() : start + ".." + end;
    }

    static NavigableSet<LocalDate> decode(String text, TradingCalendar calendar, String source) {
        NavigableSet<LocalDate> sessions = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return sessions;
        }
        try {
            for (String run : text.split(",")) {
                int dots = run.indexOf("..");
                LocalDate start = LocalDate.parse(dots < 0 ? run : run.substring(0, dots));
                LocalDate end = dots < 0 ? start : LocalDate.parse(run.substring(dots + 2));
                sessions.addAll(calendar.sessions(new DateRange(start, end)));
            }
        } catch (RuntimeException e) {
            throw new MalformedDataException(source, "'" + text + "' is not a list of sessions and session ranges", e);
        }
        return sessions;
    }
}
