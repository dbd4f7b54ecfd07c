package dev.pricelake.core;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Decides which bars may enter the lake; the others come back with their reasons, never dropped. */
public final class BarValidator {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Pre-market trading opens at 04:00 New York and after-hours trading ends at 20:00. */
    private static final LocalTime EXTENDED_OPEN = LocalTime.of(4, 0);
    private static final LocalTime EXTENDED_CLOSE = LocalTime.of(20, 0);
    private final TradingCalendar calendar;

    public BarValidator(TradingCalendar calendar) {
        this.calendar = calendar;
    }

    public ValidatedBars validate(List<Bar> bars) {
        List<Bar> valid = new ArrayList<>(bars.size());
        List<InvalidBar> invalid = new ArrayList<>();
        Set<SymbolDate> seen = new HashSet<>();
        for (Bar bar : bars) {
            List<String> reasons = reasons(bar);
            if (reasons.isEmpty() && !seen.add(new SymbolDate(bar.symbol(), bar.date()))) {
                reasons = List.of("duplicate date " + bar.date() + " for " + bar.symbol() + " in the same response");
            }
            if (reasons.isEmpty()) {
                valid.add(bar);
            } else {
                invalid.add(new InvalidBar(bar, reasons));
            }
        }
        return new ValidatedBars(valid, invalid);
    }

    /** A bar's key; a record rather than a joined string, since every bar of a load is checked against the others. */
    private record SymbolDate(Ticker symbol, LocalDate date) {
    }

    /** Every reason the bar is invalid; empty when it is valid. */
    public List<String> reasons(Bar bar) {
        List<String> reasons = valueReasons(bar);
        LocalDate date = bar.date();
        if (!isSession(date)) {
            reasons.add("date " + date + " (" + date.getDayOfWeek() + ") is not an NYSE session");
        }
        return reasons;
    }

    /**
     * Every reason the minute bar is invalid, empty when it is valid: the day bar's rules, and its start is a whole
     * minute of a session's extended hours (04:00 to 20:00 New York).
     */
    public List<String> reasons(MinuteBar bar) {
        List<String> reasons = valueReasons(bar);
        ZonedDateTime start = bar.start().atZone(NEW_YORK);
        if (bar.start().getEpochSecond() % 60 != 0 || bar.start().getNano() != 0) {
            reasons.add("start " + bar.start() + " is not the start of a minute");
        }
        if (!isSession(start.toLocalDate())) {
            reasons.add("start " + start.toLocalDateTime() + " New York is not on an NYSE session");
        } else if (start.toLocalTime().isBefore(EXTENDED_OPEN) || !start.toLocalTime().isBefore(EXTENDED_CLOSE)) {
            reasons.add("start " + start.toLocalDateTime() + " New York is outside the session's extended hours ("
                    + EXTENDED_OPEN + " to " + EXTENDED_CLOSE + ")");
        }
        return reasons;
    }

    private boolean isSession(LocalDate date) {
        return !date.isBefore(TradingCalendar.FIRST_SESSION) && date.getYear() <= TradingCalendar.LAST_YEAR
                && calendar.isSession(date);
    }

    /** The rules of the values themselves, whatever the bar's length. */
    private static List<String> valueReasons(Ohlcv bar) {
        List<String> reasons = new ArrayList<>(2);
        checkAmount(reasons, "open", bar.open());
        checkAmount(reasons, "high", bar.high());
        checkAmount(reasons, "low", bar.low());
        checkAmount(reasons, "close", bar.close());
        checkAmount(reasons, "volume", bar.volume());
        if (bar.vwap() != null) {
            checkAmount(reasons, "vwap", bar.vwap());
        }
        if (bar.transactions() != null && bar.transactions() < 0) {
            reasons.add("transactions " + bar.transactions() + " is negative");
        }
        if (reasons.isEmpty()) {
            double top = Math.max(bar.open(), bar.close());
            double bottom = Math.min(bar.open(), bar.close());
            if (bar.high() < bar.low()) {
                reasons.add("high " + bar.high() + " is below low " + bar.low());
            }
            if (bar.high() < top) {
                reasons.add("high " + bar.high() + " is below max(open, close) " + top);
            }
            if (bar.low() > bottom) {
                reasons.add("low " + bar.low() + " is above min(open, close) " + bottom);
            }
        }
        return reasons;
    }

    private static void checkAmount(List<String> reasons, String field, double value) {
        if (!Double.isFinite(value)) {
            reasons.add(field + " is missing or not a finite number (" + value + ")");
        } else if (value < 0) {
            reasons.add(field + " " + value + " is negative");
        }
    }
}
