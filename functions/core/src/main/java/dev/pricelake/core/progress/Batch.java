package dev.pricelake.core.progress;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.fetch.FetchMethod;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One item of the state machine's Map: a slice of a run's tickers, with everything a step needs so no step
 * reads the run header. Only symbols and dates travel through the state machine, never bars.
 *
 * @param asOf            the date the retention window ends at, or null for today in New York
 * @param fetch           range calls per ticker, or the run's staged grouped-daily sessions
 * @param expectedSymbols for grouped fetching: the fewest of the run's tickers a published session has (fewer
 *                        means the source has not published the whole day yet)
 * @param requestsPerMinute the run's own limit on calls to the source (0: none), or null for the deployment's
 */
public record Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
                    LocalDate asOf, FetchMethod fetch, int expectedSymbols, Integer requestsPerMinute) {
    public Batch {
        Objects.requireNonNull(runId, "run_id");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(fetch, "fetch");
        tickers = List.copyOf(tickers);
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, not " + epoch);
        }
        if (expectedSymbols < 0) {
            throw new IllegalArgumentException("expected_symbols cannot be negative");
        }
        if (requestsPerMinute != null && requestsPerMinute < 0) {
            throw new IllegalArgumentException("requests_per_minute cannot be negative");
        }
    }

    /** A batch at the deployment's request rate. */
    public Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
            LocalDate asOf, FetchMethod fetch, int expectedSymbols) {
        this(runId, epoch, batch, tickers, range, adjusted, asOf, fetch, expectedSymbols, null);
    }

    /** A batch fetched with one range call per ticker. */
    public Batch(RunId runId, int epoch, int batch, List<Ticker> tickers, DateRange range, boolean adjusted,
            LocalDate asOf) {
        this(runId, epoch, batch, tickers, range, adjusted, asOf, FetchMethod.RANGE, 0, null);
    }
}
