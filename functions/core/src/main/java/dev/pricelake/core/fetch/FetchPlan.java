package dev.pricelake.core.fetch;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The calls a set of tickers over a set of sessions costs each way, and the way chosen. Range calls cost one
 * call per ticker per page of {@link #RANGE_PAGE_BARS} bars; grouped calls cost one call per session whatever
 * the number of tickers. Ties go to grouped: one answer for every symbol is one snapshot of the market.
 *
 * @param forced   true when the run asked for this method rather than the cheaper one
 * @param timespan day bars, or minute bars (range calls only)
 */
public record FetchPlan(FetchMethod method, int tickers, int sessions, long rangeCalls, long groupedCalls,
                        boolean forced, Timespan timespan) {
    /** The most bars Polygon returns in one aggregates page, which the client asks for. */
    public static final int RANGE_PAGE_BARS = 50_000;
    /**
     * Months of minutes asked for in one range call: a month has at most 23 sessions, and even with every pre- and
     * post-market minute (04:00 to 20:00 New York, 960 a session) two months are 44,160 bars, inside one page.
     */
    public static final int MINUTE_MONTHS_PER_CALL = 2;
    /** The free plan's pace: 5 requests a minute. */
    public static final Duration FREE_PLAN_CALL_INTERVAL = Duration.ofSeconds(12);

    public FetchPlan {
        if (tickers < 0 || sessions < 0) {
            throw new IllegalArgumentException("tickers and sessions cannot be negative");
        }
    }

    /** @param forced the method to use whatever it costs, or null for the cheaper one */
    public static FetchPlan choose(int tickers, int sessions, FetchMethod forced) {
        long pages = Math.max(1, (sessions + RANGE_PAGE_BARS - 1) / RANGE_PAGE_BARS);
        long range = (long) tickers * pages;
        long grouped = tickers == 0 ? 0 : sessions;
        FetchMethod cheaper = grouped <= range ? FetchMethod.GROUPED : FetchMethod.RANGE;
        return new FetchPlan(forced != null ? forced : cheaper, tickers, sessions, range, grouped, forced != null, Timespan.DAY);
    }

    /**
     * Minute bars of the tickers over the range: one range call per ticker and {@link #MINUTE_MONTHS_PER_CALL} calendar
     * months (counted from the range's first month), the only way minutes are fetched.
     */
    public static FetchPlan minutes(int tickers, int sessions, LocalDate start, LocalDate end) {
        long months = ChronoUnit.MONTHS.between(start.withDayOfMonth(1), end.withDayOfMonth(1)) + 1;
        long calls = (long) tickers * ((months + MINUTE_MONTHS_PER_CALL - 1) / MINUTE_MONTHS_PER_CALL);
        return new FetchPlan(FetchMethod.RANGE, tickers, sessions, calls, 0, true, Timespan.MINUTE);
    }

    public long calls() {
        return method == FetchMethod.GROUPED ? groupedCalls : rangeCalls;
    }

    /** The least time these calls take at the free plan's 5 requests a minute. */
    public Duration freePlanFloor() {
        return FREE_PLAN_CALL_INTERVAL.multipliedBy(calls());
    }

    public String reason() {
        if (timespan == Timespan.MINUTE) {
            return String.format(Locale.ROOT, "%,d tickers x %,d sessions of minutes: %,d range call%s (one per ticker and %d"
                    + " months)", tickers, sessions, rangeCalls, rangeCalls == 1 ? "" : "s", MINUTE_MONTHS_PER_CALL);
        }
        String range = String.format(Locale.ROOT, "%,d range call%s (one per ticker)", rangeCalls, rangeCalls == 1 ? "" : "s");
        String grouped = String.format(Locale.ROOT, "%,d grouped-daily call%s (one per session)", groupedCalls,
                groupedCalls == 1 ? "" : "s");
        String chosen = method == FetchMethod.GROUPED ? grouped : range;
        String other = method == FetchMethod.GROUPED ? range : grouped;
        return String.format(Locale.ROOT, "%,d tickers x %,d sessions: %s %s %s%s", tickers, sessions, chosen,
                forced ? "(forced) instead of" : "rather than", other,
                forced && calls() > Math.min(rangeCalls, groupedCalls) ? ", the cheaper way" : "");
    }
}
