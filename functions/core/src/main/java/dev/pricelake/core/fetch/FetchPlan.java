package dev.pricelake.core.fetch;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The calls a set of tickers over a set of sessions costs each way, what they cost in seconds, and the way chosen.
 * Range calls cost one call per ticker per page of {@link #RANGE_PAGE_BARS} bars; grouped calls cost one call per
 * session whatever the number of tickers, and each grouped session is a whole-market answer that is read, validated,
 * staged and cut per batch once ({@link #WHOLE_MARKET_SESSION_SECONDS}). A call costs the rate limit's spacing, or a
 * request's round trip ({@link #REQUEST_SECONDS}) where no limit spaces them. The cheaper way in seconds is chosen;
 * ties, and as many calls either way, go to grouped: one answer for every symbol is one snapshot of the market. What
 * each ticker costs after its bars arrive (its claim and marks in the progress table, its staged file, its bronze
 * merge, its rows in PostgreSQL) is the same either way, so it does not enter the comparison.
 *
 * @param forced         true when the run asked for this method rather than the cheaper one
 * @param timespan       day bars, or minute bars (range calls, or grouped: the minute flat files)
 * @param rangeSeconds   what the range calls cost, by the model above (NaN for minutes, which are not compared)
 * @param groupedSeconds what the grouped sessions cost, by the model above (NaN for minutes)
 * @param flatFiles      true when the grouped way reads a flat file a session, which no rate limit spaces, instead of
 *                       calling grouped daily
 */
public record FetchPlan(FetchMethod method, int tickers, int sessions, long rangeCalls, long groupedCalls,
                        boolean forced, Timespan timespan, double rangeSeconds, double groupedSeconds, boolean flatFiles) {
    /** The most bars Polygon returns in one aggregates page, which the client asks for. */
    public static final int RANGE_PAGE_BARS = 50_000;
    /**
     * Months of minutes asked for in one range call: a month has at most 23 sessions, and even with every pre- and
     * post-market minute (04:00 to 20:00 New York, 960 a session) two months are 44,160 bars, inside one page.
     */
    public static final int MINUTE_MONTHS_PER_CALL = 2;
    /** The free plan's pace: 5 requests a minute. */
    public static final Duration FREE_PLAN_CALL_INTERVAL = Duration.ofSeconds(12);
    /**
     * One request's round trip when no rate limit spaces the calls (a paid plan's unlimited rate, the local simulator):
     * 500 range calls of 5 years each took 5.47 s against the simulator (README, backfill benchmark), 0.011 s each;
     * over the internet from a Lambda function a request takes longer, so the model takes 0.05 s.
     */
    public static final double REQUEST_SECONDS = 0.05;
    /**
     * Reading one whole-market session (a grouped-daily answer or a flat file): validating, staging and cutting it per
     * batch; FetchSessions took 42.0 s for the 252 sessions of the simulator's 3,000-ticker market (0.17 s a session).
     */
    public static final double WHOLE_MARKET_SESSION_SECONDS = 0.17;

    public FetchPlan {
        if (tickers < 0 || sessions < 0) {
            throw new IllegalArgumentException("tickers and sessions cannot be negative");
        }
    }

    /**
     * @param forced            the method to use whatever it costs, or null for the cheaper one
     * @param requestsPerMinute the rate the calls will be made at (0: no limit): the run's own, else the deployment's
     * @param flatFiles         the grouped way reads flat files: a session costs a request's round trip, not a call
     */
    public static FetchPlan choose(int tickers, int sessions, FetchMethod forced, int requestsPerMinute,
            boolean flatFiles) {
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requests per minute must be 0 (no limit) or more, not " + requestsPerMinute);
        }
        long pages = Math.max(1, (sessions + RANGE_PAGE_BARS - 1) / RANGE_PAGE_BARS);
        long range = (long) tickers * pages;
        long grouped = tickers == 0 ? 0 : sessions;
        double call = callSeconds(requestsPerMinute);
        double rangeSeconds = range * call;
        double groupedSeconds = grouped * ((flatFiles ? REQUEST_SECONDS : call) + WHOLE_MARKET_SESSION_SECONDS);
        // As many calls either way: grouped, whose one answer for every symbol is one snapshot of the market.
        FetchMethod cheaper = grouped == range || groupedSeconds <= rangeSeconds ? FetchMethod.GROUPED : FetchMethod.RANGE;
        return new FetchPlan(forced != null ? forced : cheaper, tickers, sessions, range, grouped, forced != null, Timespan.DAY,
                rangeSeconds, groupedSeconds, flatFiles);
    }

    /** What one call costs: the rate limit's spacing, or a request's round trip where there is no limit. */
    static double callSeconds(int requestsPerMinute) {
        return requestsPerMinute == 0 ? REQUEST_SECONDS : Math.max(REQUEST_SECONDS, 60.0 / requestsPerMinute);
    }

    /**
     * Minute bars of the tickers over the range: one range call per ticker and {@link #MINUTE_MONTHS_PER_CALL} calendar
     * months (counted from the range's first month), the only way minutes are fetched.
     */
    public static FetchPlan minutes(int tickers, int sessions, LocalDate start, LocalDate end) {
        long months = ChronoUnit.MONTHS.between(start.withDayOfMonth(1), end.withDayOfMonth(1)) + 1;
        long calls = (long) tickers * ((months + MINUTE_MONTHS_PER_CALL - 1) / MINUTE_MONTHS_PER_CALL);
        return new FetchPlan(FetchMethod.RANGE, tickers, sessions, calls, 0, true, Timespan.MINUTE, Double.NaN, Double.NaN, false);
    }

    /**
     * Minute bars of the tickers over the range from the minute flat files: one file a session for every ticker, as
     * grouped daily is for days, rather than the range calls {@link #minutes} counts.
     */
    public static FetchPlan minuteFiles(int tickers, int sessions, LocalDate start, LocalDate end) {
        return new FetchPlan(FetchMethod.GROUPED, tickers, sessions, minutes(tickers, sessions, start, end).rangeCalls(),
                tickers == 0 ? 0 : sessions, true, Timespan.MINUTE, Double.NaN, Double.NaN, true);
    }

    public long calls() {
        return method == FetchMethod.GROUPED ? groupedCalls : rangeCalls;
    }

    /** The calls the REST rate limit spaces: a plan that reads flat files makes none. */
    public long restCalls() {
        return method == FetchMethod.GROUPED && flatFiles ? 0 : calls();
    }

    /** The least time these calls take at the free plan's 5 requests a minute. */
    public Duration freePlanFloor() {
        return FREE_PLAN_CALL_INTERVAL.multipliedBy(restCalls());
    }

    public String reason() {
        if (timespan == Timespan.MINUTE && method == FetchMethod.GROUPED) {
            return String.format(Locale.ROOT, "%,d tickers x %,d sessions of minutes: %,d minute flat file%s (one per session)"
                    + " instead of %,d range call%s", tickers, sessions, groupedCalls, groupedCalls == 1 ? "" : "s", rangeCalls,
                    rangeCalls == 1 ? "" : "s");
        }
        if (timespan == Timespan.MINUTE) {
            return String.format(Locale.ROOT, "%,d tickers x %,d sessions of minutes: %,d range call%s (one per ticker and %d"
                    + " months)", tickers, sessions, rangeCalls, rangeCalls == 1 ? "" : "s", MINUTE_MONTHS_PER_CALL);
        }
        String range = String.format(Locale.ROOT, "%,d range call%s (one per ticker)", rangeCalls, rangeCalls == 1 ? "" : "s");
        String grouped = String.format(Locale.ROOT, flatFiles ? "%,d flat file%s (one per session)"
                : "%,d grouped-daily call%s (one per session)", groupedCalls, groupedCalls == 1 ? "" : "s");
        String chosen = method == FetchMethod.GROUPED ? grouped : range;
        String other = method == FetchMethod.GROUPED ? range : grouped;
        double chosenSeconds = method == FetchMethod.GROUPED ? groupedSeconds : rangeSeconds;
        double otherSeconds = method == FetchMethod.GROUPED ? rangeSeconds : groupedSeconds;
        return String.format(Locale.ROOT, "%,d tickers x %,d sessions: %s %s %s%s (about %,.0f s against %,.0f s)", tickers,
                sessions, chosen, forced ? "(forced) instead of" : "rather than", other,
                forced && chosenSeconds > otherSeconds ? ", the cheaper way" : "", chosenSeconds, otherSeconds);
    }
}
