package dev.pricelake.fetcher;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.IncompleteDataException;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Grouped-daily fetching: one call per session for every ticker of the run, each session staged once per run
 * (only the run's tickers kept), so the batches that follow call nothing and a retry calls only for sessions
 * still missing. A session whose answer is empty or lacks too many of the run's tickers is not published yet:
 * it is refused, never staged, so no session is ever recorded without its bars.
 */
final class SessionFetcher {
    private final PriceSource source;
    private final ProgressStore progress;
    private final Staging staging;
    private final TradingCalendar calendar;
    private final Clock clock;

    SessionFetcher(PriceSource source, ProgressStore progress, Staging staging, TradingCalendar calendar, Clock clock) {
        this.source = source;
        this.progress = progress;
        this.staging = staging;
        this.calendar = calendar;
        this.clock = clock;
    }

    /** @param remaining sessions this call did not reach because its time ran low: call again for them */
    record Result(int sessions, int fetched, int alreadyStaged, long bars, int remaining) {
    }

    /** Time kept in hand besides twice the slowest session so far: a write, a pause, the answer's way back. */
    static final long MARGIN_MILLIS = 5_000;

    /** Stages every session of the range not staged yet; rate limits and unpublished days propagate. */
    Result ensure(RunId runId, DateRange range, boolean adjusted, int expectedSymbols) {
        return ensure(runId, range, adjusted, expectedSymbols, () -> Long.MAX_VALUE);
    }

    /**
     * Stages the range's sessions not staged yet while the time left ({@code remainingMillis}, a Lambda context's
     * remaining time) allows one more: at least one per call, then none that twice the slowest so far plus
     * {@link #MARGIN_MILLIS} would not fit. What is left is counted in the result for the next call.
     */
    Result ensure(RunId runId, DateRange range, boolean adjusted, int expectedSymbols, LongSupplier remainingMillis) {
        Set<Ticker> runTickers = null;
        int fetched = 0;
        int already = 0;
        long bars = 0;
        long slowest = 0;
        List<LocalDate> sessions = calendar.sessions(range);
        for (int i = 0; i < sessions.size(); i++) {
            LocalDate session = sessions.get(i);
            if (staging.hasSession(runId, session)) {
                already++;
                continue;
            }
            if (fetched > 0 && remainingMillis.getAsLong() < 2 * slowest + MARGIN_MILLIS) {
                return new Result(sessions.size(), fetched, already, bars, sessions.size() - i);
            }
            long started = System.nanoTime();
            if (runTickers == null) {
                runTickers = runTickers(runId);
            }
            PriceSource.GroupedDay day = source.groupedDaily(session, adjusted);
            if (day.bars().isEmpty()) {
                throw new IncompleteDataException("grouped daily bars of " + session
                        + " are empty: not published yet, so the session is left to a later attempt");
            }
            Instant now = clock.instant();
            List<BronzeRow> rows = new ArrayList<>();
            for (Bar bar : day.bars()) {
                if (runTickers.contains(bar.symbol())) {
                    rows.add(new BronzeRow(bar, now));
                }
            }
            if (rows.size() < expectedSymbols) {
                throw new IncompleteDataException("grouped daily bars of " + session + " have " + rows.size()
                        + " of the run's tickers where at least " + expectedSymbols + " traded on the lake's last"
                        + " session: not fully published yet, so the session is left to a later attempt");
            }
            staging.writeSession(runId, session, rows);
            fetched++;
            bars += rows.size();
            slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
        }
        return new Result(sessions.size(), fetched, already, bars, 0);
    }

    /**
     * The batch's tickers' bars from the run's staged sessions. FetchSessions has normally staged them all; a
     * session still missing (FetchSessions gave up) is fetched here, by the same rules.
     */
    Map<Ticker, List<Bar>> barsOf(Batch batch) {
        Set<Ticker> wanted = new HashSet<>(batch.tickers());
        Map<Ticker, List<Bar>> bars = new HashMap<>();
        for (LocalDate session : calendar.sessions(batch.range())) {
            List<BronzeRow> rows = staging.readSession(batch.runId(), session).orElseGet(() -> {
                ensure(batch.runId(), batch.range(), batch.adjusted(), batch.expectedSymbols());
                return staging.readSession(batch.runId(), session).orElseThrow(() -> new IllegalStateException(
                        "session " + session + " of run " + batch.runId() + " vanished from staging"));
            });
            for (BronzeRow row : rows) {
                if (wanted.contains(row.bar().symbol())) {
                    bars.computeIfAbsent(row.bar().symbol(), t -> new ArrayList<>()).add(row.bar());
                }
            }
        }
        return bars;
    }

    private Set<Ticker> runTickers(RunId runId) {
        RunRecord run = progress.run(runId).orElseThrow(() -> new InvalidInputException("run_id",
                "no run " + runId + " in the progress table"));
        return new HashSet<>(run.tickers());
    }
}
