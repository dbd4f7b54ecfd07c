package dev.pricelake.core.progress;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.recent.RetentionWindow;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One item of the state machine's Map: a slice of a run's tickers, with everything a step needs so no step
 * reads the run header. Only symbols and dates travel through the state machine, never bars.
 *
 * @param asOf            the date the retention window ends at, or null for today in New York
 * @param fetch           range calls per ticker, or the run's staged grouped-daily sessions (for minutes: the run's
 *                        staged minute flat files, one a session for every symbol as grouped daily is for days)
 * @param expectedSymbols for grouped fetching: the fewest of the run's tickers a published session has (fewer
 *                        means the source has not published the whole day yet)
 * @param requestsPerMinute the run's own limit on calls to the source (0: none), or null for the deployment's
 * @param replace         the tickers' whole history is fetched again and replaces their bronze file and
 *                        PostgreSQL rows (a split made the stored prices stale, or a rename moved the history)
 * @param starts          tickers whose fetch starts later than the range's start (a daily run catching up a
 *                        symbol from its own last bar, a history re-fetched from its own first date)
 * @param retire          old tickers whose history a ticker of this batch took over (a rename), to the new ticker:
 *                        their bronze files and PostgreSQL rows go once the new ticker's are written
 * @param timespan        day bars (the daily lake) or minute bars (minute bronze and ohlcv_minute)
 * @param minuteRetentionDays for minute bars: the calendar days before {@code asOf} whose minutes go to ohlcv_minute
 */
public record Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
                    LocalDate asOf, FetchMethod fetch, int expectedSymbols, Integer requestsPerMinute, boolean replace,
                    Map<Ticker, LocalDate> starts, Map<Ticker, Ticker> retire, Timespan timespan, int minuteRetentionDays) {
    public Batch {
        Objects.requireNonNull(runId, "run_id");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(timespan, "timespan");
        if (timespan == Timespan.MINUTE && replace) {
            throw new IllegalArgumentException("minute bars never replace a history");
        }
        RetentionWindow.requireMinuteDays(minuteRetentionDays);
        tickers = List.copyOf(tickers);
        starts = Collections.unmodifiableMap(new TreeMap<>(starts));
        retire = Collections.unmodifiableMap(new TreeMap<>(retire));
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, not " + epoch);
        }
        if (expectedSymbols < 0) {
            throw new IllegalArgumentException("expected_symbols cannot be negative");
        }
        if (requestsPerMinute != null && requestsPerMinute < 0) {
            throw new IllegalArgumentException("requests_per_minute cannot be negative");
        }
        for (Map.Entry<Ticker, LocalDate> start : starts.entrySet()) {
            if (!range.contains(start.getValue())) {
                throw new IllegalArgumentException("the start " + start.getValue() + " of " + start.getKey()
                        + " is outside the batch's range " + range);
            }
        }
    }

    /** A batch of day bars. */
    public Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
            LocalDate asOf, FetchMethod fetch, int expectedSymbols, Integer requestsPerMinute, boolean replace,
            Map<Ticker, LocalDate> starts, Map<Ticker, Ticker> retire) {
        this(runId, epoch, batch, tickers, range, adjusted, asOf, fetch, expectedSymbols, requestsPerMinute, replace, starts,
                retire, Timespan.DAY, RetentionWindow.DEFAULT_MINUTE_DAYS);
    }

    /** A batch whose tickers are all fetched over the whole range, adding to their history. */
    public Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
            LocalDate asOf, FetchMethod fetch, int expectedSymbols, Integer requestsPerMinute) {
        this(runId, epoch, batch, tickers, range, adjusted, asOf, fetch, expectedSymbols, requestsPerMinute, false, Map.of(),
                Map.of());
    }

    /** A batch fetched with one range call per ticker. */
    public Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
            LocalDate asOf) {
        this(runId, epoch, batch, tickers, range, adjusted, asOf, FetchMethod.RANGE, 0, null);
    }

    /**
     * Whether FetchPrices stages the batch's tickers in one file rather than one a ticker: a grouped day batch calls
     * nothing per ticker, so a file a ticker would be most of its cost (hundreds of tickers, a few hundred bars each);
     * range and minute batches, bound by their calls, keep each ticker's file as soon as it is fetched.
     */
    public boolean stagedAsOneFile() {
        return fetch == FetchMethod.GROUPED && timespan == Timespan.DAY;
    }

    /** Which of a minute batch's minutes go to ohlcv_minute. */
    public RetentionWindow minuteWindow() {
        return RetentionWindow.minutes(asOf, minuteRetentionDays);
    }

    /** The old tickers whose history moved under this one. */
    public List<Ticker> retiredInto(Ticker ticker) {
        return retire.entrySet().stream().filter(e -> e.getValue().equals(ticker)).map(Map.Entry::getKey).toList();
    }

    /** The dates this ticker's bars are fetched for. */
    public DateRange rangeOf(Ticker ticker) {
        LocalDate start = starts.get(ticker);
        return start == null ? range : new DateRange(start, range.end());
    }
}
