package dev.pricelake.fetcher;

import dev.pricelake.core.DateRange;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * FetchSessions for a minute run from the flat files: each session's minute file is read once for the whole run (a
 * whole-market file streamed, only the run's tickers that need the session kept), each ticker's minutes of the session
 * staged apart, then the session recorded as staged. So a file is read once whatever the number of batches, no more
 * than one session's minutes of the run's tickers are held at a time, and the batches read only their own tickers'
 * minutes. A later invocation (or attempt) skips the sessions already recorded.
 */
final class MinuteSessionFetcher {
    private final FlatFilePrices files;
    private final Staging staging;
    private final TradingCalendar calendar;
    private final Clock clock;

    MinuteSessionFetcher(FlatFilePrices files, Staging staging, TradingCalendar calendar, Clock clock) {
        this.files = files;
        this.staging = staging;
        this.calendar = calendar;
        this.clock = clock;
    }

    /**
     * Stages the range's sessions not staged yet, while the time left allows one more (twice the slowest so far plus
     * {@link SessionFetcher#MARGIN_MILLIS}), at least one per call; what is left is counted for the next call.
     *
     * @param batches the run's minute batches, whose tickers (each over its own range) the sessions are staged for
     * @param only    the range's sessions to stage, when not all of them (a child of the state machine's Map over the files)
     */
    SessionFetcher.Result ensure(RunId runId, List<Batch> batches, DateRange range, Optional<List<LocalDate>> only,
            boolean adjusted, LongSupplier remainingMillis) {
        List<LocalDate> sessions = SessionFetcher.sessions(calendar, range, only);
        int fetched = 0;
        int already = 0;
        long bars = 0;
        long slowest = 0;
        for (int i = 0; i < sessions.size(); i++) {
            LocalDate session = sessions.get(i);
            if (staging.minuteSessionStaged(runId, session)) {
                already++;
                continue;
            }
            if (fetched > 0 && remainingMillis.getAsLong() < 2 * slowest + SessionFetcher.MARGIN_MILLIS) {
                return new SessionFetcher.Result(sessions.size(), fetched, 0, already, bars, sessions.size() - i);
            }
            long started = System.nanoTime();
            Set<Ticker> tickers = tickersOn(session, batches);
            if (!tickers.isEmpty()) {
                for (Map.Entry<Ticker, List<MinuteBar>> minutes : files.minutes(session, tickers, adjusted).entrySet()) {
                    staging.writeMinuteSession(runId, minutes.getKey(), session, minutes.getValue(), clock.instant());
                    bars += minutes.getValue().size();
                }
            }
            staging.markMinuteSessionStaged(runId, session);
            fetched++;
            slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
        }
        return new SessionFetcher.Result(sessions.size(), fetched, 0, already, bars, 0);
    }

    /** The tickers whose range takes in the session (a daily run catches each symbol up from its own last session). */
    private static Set<Ticker> tickersOn(LocalDate session, List<Batch> batches) {
        Set<Ticker> tickers = new TreeSet<>();
        for (Batch batch : batches) {
            for (Ticker ticker : batch.tickers()) {
                if (batch.rangeOf(ticker).contains(session)) {
                    tickers.add(ticker);
                }
            }
        }
        return tickers;
    }
}
