package dev.pricelake.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * NYSE sessions from 1962-01-02 (session index 0) through {@link #LAST_YEAR}. Recurring holidays are rules
 * below, as they changed over time; one-off closures and early closes are data in {@code nyse-calendar.txt}.
 * Immutable and shared: build it once per process with {@link #nyse()}.
 */
public final class TradingCalendar {
    public static final LocalDate FIRST_SESSION = LocalDate.of(1962, 1, 2);
    public static final int LAST_YEAR = 2040;
    static final LocalTime REGULAR_CLOSE = LocalTime.of(16, 0);
    private static final String RESOURCE = "nyse-calendar.txt";
    private static final TradingCalendar NYSE = load();

    private final String version;
    private final long firstEpochDay;
    /** Session index of each day since FIRST_SESSION, or -1 for a closed day. */
    private final int[] indexByDay;
    private final long[] sessionEpochDays;
    private final Map<LocalDate, LocalTime> earlyCloses;

    private TradingCalendar(String version, Set<LocalDate> oneOffClosures, Map<LocalDate, LocalTime> adhocEarly) {
        this.version = version;
        this.firstEpochDay = FIRST_SESSION.toEpochDay();
        LocalDate end = LocalDate.of(LAST_YEAR, 12, 31);
        int days = (int) (end.toEpochDay() - firstEpochDay + 1);
        indexByDay = new int[days];
        long[] sessions = new long[days];
        int count = 0;
        Map<LocalDate, LocalTime> early = new HashMap<>();
        for (int year = FIRST_SESSION.getYear(); year <= LAST_YEAR; year++) {
            Set<LocalDate> holidays = regularHolidays(year);
            for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
                int offset = (int) (d.toEpochDay() - firstEpochDay);
                if (offset < 0) {
                    continue;
                }
                boolean open = !isWeekend(d) && !holidays.contains(d) && !oneOffClosures.contains(d);
                if (open) {
                    indexByDay[offset] = count;
                    sessions[count++] = d.toEpochDay();
                } else {
                    indexByDay[offset] = -1;
                }
            }
            for (LocalDate d : regularEarlyCloses(year)) {
                early.put(d, d.getYear() < 1993 ? LocalTime.of(14, 0) : LocalTime.of(13, 0));
            }
        }
        early.putAll(adhocEarly);
        early.keySet().removeIf(d -> !isSessionInRange(d, indexByDay));
        this.sessionEpochDays = Arrays.copyOf(sessions, count);
        this.earlyCloses = Map.copyOf(early);
    }

    public static TradingCalendar nyse() {
        return NYSE;
    }

    /** Version of the closures file, recorded with outputs so a calendar correction can be traced. */
    public String version() {
        return version;
    }

    public boolean isSession(LocalDate date) {
        return sessionIndexOrNegative(date) >= 0;
    }

    /** Index of a session counted from 1962-01-02 = 0. */
    public int sessionIndex(LocalDate date) {
        int index = sessionIndexOrNegative(date);
        if (index < 0) {
            throw new InvalidInputException("date", date + " is not an NYSE session");
        }
        return index;
    }

    /** Session index of a day given as days since 1970-01-01, or -1 when that day is not a session. */
    public int sessionIndexOfEpochDay(long epochDay) {
        long offset = epochDay - firstEpochDay;
        return offset < 0 || offset >= indexByDay.length ? -1 : indexByDay[(int) offset];
    }

    public LocalDate session(int index) {
        if (index < 0 || index >= sessionEpochDays.length) {
            throw new InvalidInputException("session index", index + " is outside the calendar (0.."
                    + (sessionEpochDays.length - 1) + ")");
        }
        return LocalDate.ofEpochDay(sessionEpochDays[index]);
    }

    public int sessionCount() {
        return sessionEpochDays.length;
    }

    /** The first session on or after the date. */
    public LocalDate onOrAfter(LocalDate date) {
        return session(firstIndexOnOrAfter(date));
    }

    /** The last session on or before the date. */
    public LocalDate onOrBefore(LocalDate date) {
        return session(firstIndexOnOrAfter(date.plusDays(1)) - 1);
    }

    /** Sessions inside the range, in order. */
    public java.util.List<LocalDate> sessions(DateRange range) {
        int from = firstIndexOnOrAfter(range.start());
        int to = firstIndexOnOrAfter(range.end().plusDays(1));
        java.util.List<LocalDate> out = new java.util.ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            out.add(LocalDate.ofEpochDay(sessionEpochDays[i]));
        }
        return out;
    }

    public int sessionsBetween(DateRange range) {
        return Math.max(0, firstIndexOnOrAfter(range.end().plusDays(1)) - firstIndexOnOrAfter(range.start()));
    }

    /** The close of the session in New York time: 16:00, or earlier on an early-close day. */
    public LocalTime closeTime(LocalDate session) {
        sessionIndex(session);
        return earlyCloses.getOrDefault(session, REGULAR_CLOSE);
    }

    public Optional<LocalTime> earlyClose(LocalDate session) {
        return Optional.ofNullable(earlyCloses.get(session));
    }

    private int sessionIndexOrNegative(LocalDate date) {
        long offset = date.toEpochDay() - firstEpochDay;
        if (offset < 0 || offset >= indexByDay.length) {
            if (date.isAfter(FIRST_SESSION)) {
                throw new InvalidInputException("date", date + " is after the calendar's last year " + LAST_YEAR);
            }
            return -1;
        }
        return indexByDay[(int) offset];
    }

    private int firstIndexOnOrAfter(LocalDate date) {
        int pos = Arrays.binarySearch(sessionEpochDays, date.toEpochDay());
        return pos >= 0 ? pos : -pos - 1;
    }

    private static boolean isSessionInRange(LocalDate d, int[] indexByDay) {
        long offset = d.toEpochDay() - FIRST_SESSION.toEpochDay();
        return offset >= 0 && offset < indexByDay.length && indexByDay[(int) offset] >= 0;
    }

    private static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** The recurring NYSE holidays of a year since 1962, as the rules stood that year. */
    static Set<LocalDate> regularHolidays(int year) {
        Set<LocalDate> h = new HashSet<>();
        // A Saturday New Year's Day is not moved to Friday: that Friday closes the previous year's books.
        LocalDate newYear = LocalDate.of(year, 1, 1);
        if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
            h.add(newYear.plusDays(1));
        } else {
            h.add(newYear);
        }
        if (year >= 1998) {
            h.add(nthWeekday(year, Month.JANUARY, DayOfWeek.MONDAY, 3));
        }
        if (year < 1964) {
            h.add(sundayToMonday(LocalDate.of(year, 2, 22)));
        } else if (year <= 1970) {
            h.add(nearestWeekday(LocalDate.of(year, 2, 22)));
        } else {
            h.add(nthWeekday(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3));
        }
        h.add(easterSunday(year).minusDays(2));
        if (year < 1964) {
            h.add(sundayToMonday(LocalDate.of(year, 5, 30)));
        } else if (year <= 1969) {
            h.add(nearestWeekday(LocalDate.of(year, 5, 30)));
        } else if (year >= 1971) {
            h.add(LocalDate.of(year, 5, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
        }
        if (year >= 2022) {
            h.add(nearestWeekday(LocalDate.of(year, 6, 19)));
        }
        h.add(nearestWeekday(LocalDate.of(year, 7, 4)));
        h.add(nthWeekday(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1));
        LocalDate electionDay = LocalDate.of(year, 11, 2).with(TemporalAdjusters.nextOrSame(DayOfWeek.TUESDAY));
        if (year <= 1967 || (year <= 1980 && year % 4 == 0)) {
            h.add(electionDay);
        }
        h.add(nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4));
        h.add(nearestWeekday(LocalDate.of(year, 12, 25)));
        return h;
    }

    /** Recurring early closes: July 3 / July 5 around Independence Day, Black Friday, Christmas Eve. */
    static Set<LocalDate> regularEarlyCloses(int year) {
        Set<LocalDate> e = new HashSet<>();
        LocalDate july3 = LocalDate.of(year, 7, 3);
        DayOfWeek july3Day = july3.getDayOfWeek();
        if (year >= 1995 && (july3Day == DayOfWeek.MONDAY || july3Day == DayOfWeek.TUESDAY
                || july3Day == DayOfWeek.THURSDAY || (year >= 2013 && july3Day == DayOfWeek.WEDNESDAY))) {
            e.add(july3);
        }
        LocalDate july5 = LocalDate.of(year, 7, 5);
        if (year >= 1995 && year < 2013 && july5.getDayOfWeek() == DayOfWeek.FRIDAY) {
            e.add(july5);
        }
        if (year >= 1992) {
            e.add(nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4).plusDays(1));
        }
        LocalDate christmasEve = LocalDate.of(year, 12, 24);
        DayOfWeek eveDay = christmasEve.getDayOfWeek();
        if (eveDay != DayOfWeek.FRIDAY && !isWeekend(christmasEve)) {
            e.add(christmasEve);
        }
        return e;
    }

    private static LocalDate nthWeekday(int year, Month month, DayOfWeek day, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, day));
    }

    private static LocalDate sundayToMonday(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SUNDAY ? d.plusDays(1) : d;
    }

    private static LocalDate nearestWeekday(LocalDate d) {
        return switch (d.getDayOfWeek()) {
            case SATURDAY -> d.minusDays(1);
            case SUNDAY -> d.plusDays(1);
            default -> d;
        };
    }

    /** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }

    private static TradingCalendar load() {
        try (InputStream in = TradingCalendar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("calendar resource " + RESOURCE + " is missing from the jar");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TradingCalendar parse(BufferedReader reader) throws IOException {
        String version = null;
        Set<LocalDate> closures = new HashSet<>();
        Map<LocalDate, LocalTime> early = new HashMap<>();
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.split("\\s+", 4);
            String where = RESOURCE + " line " + lineNumber;
            try {
                if (parts[0].equals("version")) {
                    version = parts[1];
                } else if (parts[1].equals("closed")) {
                    closures.add(LocalDate.parse(parts[0]));
                } else if (parts[1].equals("early")) {
                    early.put(LocalDate.parse(parts[0]), LocalTime.parse(parts[2]));
                } else {
                    throw new MalformedDataException(where, "kind '" + parts[1] + "' is neither closed nor early");
                }
            } catch (RuntimeException e) {
                if (e instanceof MalformedDataException) {
                    throw e;
                }
                throw new MalformedDataException(where, "cannot read '" + text + "'", e);
            }
        }
        if (version == null) {
            throw new MalformedDataException(RESOURCE, "has no version line");
        }
        return new TradingCalendar(version, closures, early);
    }
}
