package dev.pricelake.core;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Inclusive range of calendar dates. */
public record DateRange(LocalDate start, LocalDate end) {
    public DateRange {
        if (start == null) {
            throw new InvalidInputException("start", "is missing");
        }
        if (end == null) {
            throw new InvalidInputException("end", "is missing");
        }
        if (end.isBefore(start)) {
            throw new InvalidInputException("end", end + " is before " + InvalidInputException.ref("start") + " " + start);
        }
    }

    public static DateRange parse(String start, String end) {
        return new DateRange(parseDate("start", start), parseDate("end", end));
    }

    public static LocalDate parseDate(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, "is missing");
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a date in the form YYYY-MM-DD");
        }
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(start) && !date.isAfter(end);
    }

    @Override
    public String toString() {
        return start + ".." + end;
    }
}
