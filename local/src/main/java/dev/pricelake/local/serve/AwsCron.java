package dev.pricelake.local.serve;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An EventBridge Scheduler cron expression, {@code cron(minutes hours day-of-month month day-of-week year)}, in a time
 * zone, for the forms pricelake's schedules use: a fixed minute and hour, any day of the month, month and year, and
 * days of the week as names, lists and ranges (MON-FRI, SUN). Anything else is refused rather than misread.
 */
record AwsCron(String expression, ZoneId zone, LocalTime time, Set<DayOfWeek> days) {
    private static final List<String> DAY_NAMES = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    static AwsCron parse(String expression, ZoneId zone) {
        if (!expression.startsWith("cron(") || !expression.endsWith(")")) {
            throw new IllegalArgumentException("not a cron expression: " + expression);
        }
        String[] f = expression.substring(5, expression.length() - 1).trim().split("\\s+");
        if (f.length != 6 || !anyDay(f[2]) || !f[3].equals("*") || !f[5].equals("*")) {
            throw new IllegalArgumentException("the local scheduler runs cron(M H ? * DAYS *) only, not " + expression);
        }
        LocalTime time = LocalTime.of(Integer.parseInt(f[1]), Integer.parseInt(f[0]));
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (anyDay(f[4])) {
            days.addAll(EnumSet.allOf(DayOfWeek.class));
        } else {
            for (String part : f[4].split(",")) {
                String[] range = part.split("-");
                int from = day(range[0], expression);
                int to = range.length == 2 ? day(range[1], expression) : from;
                for (int d = from; d <= to; d++) {
                    days.add(DayOfWeek.of(d));
                }
            }
        }
        return new AwsCron(expression, zone, time, Set.copyOf(days));
    }

    private static boolean anyDay(String field) {
        return field.equals("?") || field.equals("*");
    }

    private static int day(String name, String expression) {
        int index = DAY_NAMES.indexOf(name.toUpperCase(Locale.ROOT));
        if (index < 0) {
            throw new IllegalArgumentException("unknown day '" + name + "' in " + expression);
        }
        return index + 1;
    }

    /** The last time the expression fired at or before {@code now}. */
    ZonedDateTime latestAtOrBefore(ZonedDateTime now) {
        ZonedDateTime local = now.withZoneSameInstant(zone);
        for (LocalDate date = local.toLocalDate(); ; date = date.minusDays(1)) {
            if (days.contains(date.getDayOfWeek())) {
                // In a daylight-saving gap, ZonedDateTime moves the time forward, as Scheduler does.
                ZonedDateTime at = ZonedDateTime.of(date, time, zone);
                if (!at.isAfter(local)) {
                    return at;
                }
            }
        }
    }

    /** The first time the expression fires after {@code after}. */
    ZonedDateTime nextAfter(ZonedDateTime after) {
        ZonedDateTime local = after.withZoneSameInstant(zone);
        for (LocalDate date = local.toLocalDate(); ; date = date.plusDays(1)) {
            if (days.contains(date.getDayOfWeek())) {
                ZonedDateTime at = ZonedDateTime.of(date, time, zone);
                if (at.isAfter(local)) {
                    return at;
                }
            }
        }
    }
}
