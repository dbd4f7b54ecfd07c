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
import dev.pricelake.core.bronze.SessionChunk;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Grouped-daily fetching: one call per session for every ticker of the run, each session staged once per run
 * (only the run's tickers kept), so the batches that follow call nothing and a retry calls only for sessions
 * still missing. A session whose answer is empty or lacks too many of the run's tickers is not published yet:
 * it is refused, never staged, so no session is ever recorded without its bars.
 *
 * <p>Each attempt also cuts its sessions per batch as it stages them, in chunks of at most {@link #CHUNK_ROWS} bars,
 * so a batch reads its own tickers' bars only: a bar is read once by FetchSessions (from its answer, or from the
 * run's staged session when an earlier attempt fetched it) and once by its batch, never once per batch per session.
 */
final class SessionFetcher {
    private final PriceSource source;
    private final ProgressStore progress;
    private final Staging staging;
    private final TradingCalendar calendar;
    private final Clock clock;
    private final Predicate<LocalDate> servedAgainFreely;

    SessionFetcher(PriceSource source, ProgressStore progress, Staging staging, TradingCalendar calendar, Clock clock) {
        this(source, progress, staging, calendar, clock, session -> false);
    }

    /**
     * @param servedAgainFreely whether the source just served the session from where it can serve it again with no
     *                          rate limit (a flat file): such a session is not staged on its own, since a retry reads it
     *                          again at the cost of staging it, and only its per-batch pieces are written
     */
    SessionFetcher(PriceSource source, ProgressStore progress, Staging staging, TradingCalendar calendar, Clock clock,
            Predicate<LocalDate> servedAgainFreely) {
        this.source = source;
        this.progress = progress;
        this.staging = staging;
        this.calendar = calendar;
        this.clock = clock;
        this.servedAgainFreely = servedAgainFreely;
    }

    /**
     * @param fetched   sessions this call asked the source for
     * @param restaged  sessions this call took from the run's staging (an earlier attempt fetched them)
     * @param remaining sessions this call did not reach because its time ran low: call again for them
     */
    record Result(int sessions, int fetched, int restaged, int alreadyStaged, long bars, int remaining) {
    }

    /** Time kept in hand besides twice the slowest session so far: a write, a pause, the answer's way back. */
    static final long MARGIN_MILLIS = 5_000;
    /** Bars held before they are written as a chunk: a few hundred bytes of heap each, well inside the function's memory. */
    static final int CHUNK_ROWS = 1_000_000;
    /** What writing a held bar is guessed to cost before the first chunk has measured it. */
    private static final double FIRST_GUESS_MILLIS_PER_ROW = 0.02;

    /** The range's sessions, or those of them {@code only} names (one child's share of the state machine's Map). */
    static List<LocalDate> sessions(TradingCalendar calendar, DateRange range, Optional<List<LocalDate>> only) {
        List<LocalDate> sessions = calendar.sessions(range);
        if (only.isEmpty()) {
            return sessions;
        }
        Set<LocalDate> wanted = new HashSet<>(only.get());
        wanted.removeAll(sessions);
        if (!wanted.isEmpty()) {
            throw new InvalidInputException("sessions", "holds " + new TreeSet<>(wanted) + ", not sessions of " + range);
        }
        return sessions.stream().filter(only.get()::contains).toList();
    }

    /** Stages every session of the range not staged yet, cut per batch; rate limits and unpublished days propagate. */
    Result ensure(RunId runId, int epoch, List<Batch> batches, DateRange range, boolean adjusted, int expectedSymbols) {
        return ensure(runId, epoch, batches, range, Optional.empty(), adjusted, expectedSymbols, () -> Long.MAX_VALUE);
    }

    /**
     * Stages the range's sessions this attempt has not cut per batch yet, while the time left ({@code remainingMillis},
     * a Lambda context's remaining time) allows one more and the write of what is held: at least one per call, then
     * none that twice the slowest so far plus the held bars' write plus {@link #MARGIN_MILLIS} would not fit. What is
     * left is counted in the result for the next call.
     *
     * @param batches the attempt's grouped batches, whose pieces this cuts
     * @param only     the range's sessions to stage, when not all of them
     */
    Result ensure(RunId runId, int epoch, List<Batch> batches, DateRange range, Optional<List<LocalDate>> only,
            boolean adjusted, int expectedSymbols, LongSupplier remainingMillis) {
        Map<Ticker, Integer> batchOf = new HashMap<>();
        for (Batch batch : batches) {
            batch.tickers().forEach(t -> batchOf.put(t, batch.batch()));
        }
        Set<LocalDate> cut = new HashSet<>();
        staging.sessionChunks(runId, epoch).forEach(chunk -> cut.addAll(chunk.sessions()));
        Set<LocalDate> stagedBefore = staging.stagedSessions(runId);
        Chunk held = new Chunk(runId, epoch, batchOf);
        Set<Ticker> runTickers = null;
        int fetched = 0;
        int restaged = 0;
        int already = 0;
        long bars = 0;
        long slowest = 0;
        List<LocalDate> sessions = sessions(calendar, range, only);
        for (int i = 0; i < sessions.size(); i++) {
            LocalDate session = sessions.get(i);
            if (cut.contains(session)) {
                already++;
                continue;
            }
            if (fetched + restaged > 0
                    && remainingMillis.getAsLong() < 2 * slowest + held.writeEstimateMillis() + MARGIN_MILLIS) {
                held.write();
                return new Result(sessions.size(), fetched, restaged, already, bars, sessions.size() - i);
            }
            long started = System.nanoTime();
            Optional<List<BronzeRow>> staged = stagedBefore.contains(session) ? staging.readSession(runId, session)
                    : Optional.empty();
            List<BronzeRow> rows;
            if (staged.isPresent()) {
                rows = staged.get();
                restaged++;
            } else {
                if (runTickers == null) {
                    runTickers = runTickers(runId);
                }
                rows = fetchAndStage(runId, session, adjusted, expectedSymbols, runTickers);
                fetched++;
            }
            held.add(session, rows);
            bars += rows.size();
            slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
            if (held.rows >= CHUNK_ROWS) {
                held.write();
            }
        }
        held.write();
        return new Result(sessions.size(), fetched, restaged, already, bars, 0);
    }

    /** Sessions held for one chunk, already cut per batch. */
    private final class Chunk {
        private final RunId runId;
        private final int epoch;
        private final Map<Ticker, Integer> batchOf;
        private final List<LocalDate> sessions = new ArrayList<>();
        private final Map<Integer, List<BronzeRow>> pieces = new HashMap<>();
        private long rows;
        private double millisPerRow = FIRST_GUESS_MILLIS_PER_ROW;

        Chunk(RunId runId, int epoch, Map<Ticker, Integer> batchOf) {
            this.runId = runId;
            this.epoch = epoch;
            this.batchOf = batchOf;
        }

        void add(LocalDate session, List<BronzeRow> sessionRows) {
            sessions.add(session);
            for (BronzeRow row : sessionRows) {
                Integer batch = batchOf.get(row.bar().symbol());
                if (batch != null) {
                    pieces.computeIfAbsent(batch, b -> new ArrayList<>()).add(row);
                    rows++;
                }
            }
        }

        long writeEstimateMillis() {
            return (long) (rows * millisPerRow);
        }

        void write() {
            if (sessions.isEmpty()) {
                return;
            }
            long started = System.nanoTime();
            staging.writeSessionChunk(runId, epoch, new SessionChunk(sessions), pieces);
            if (rows > 0) {
                millisPerRow = Math.max(millisPerRow, (System.nanoTime() - started) / 1e6 / rows);
            }
            sessions.clear();
            pieces.clear();
            rows = 0;
        }
    }

    /** One grouped-daily call, the run's tickers kept and staged for the run; refused when not fully published. */
    private List<BronzeRow> fetchAndStage(RunId runId, LocalDate session, boolean adjusted, int expectedSymbols,
            Set<Ticker> runTickers) {
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
        if (!servedAgainFreely.test(session)) {
            staging.writeSession(runId, session, rows);
        }
        return rows;
    }

    /**
     * The batch's tickers' bars, sorted by date: from its pieces of the attempt's chunks, which FetchSessions has
     * normally cut for every session. A session no chunk holds (FetchSessions gave up on it) is read from the run's
     * staged sessions, or fetched here by the same rules.
     */
    Map<Ticker, List<Bar>> barsOf(Batch batch) {
        Set<Ticker> wanted = new HashSet<>(batch.tickers());
        Map<Ticker, List<Bar>> bars = new HashMap<>();
        Set<LocalDate> cut = new HashSet<>();
        for (SessionChunk chunk : staging.sessionChunks(batch.runId(), batch.epoch())) {
            cut.addAll(chunk.sessions());
            addWanted(staging.readSessionPiece(batch.runId(), batch.epoch(), batch.batch(), chunk), wanted, bars);
        }
        Set<Ticker> runTickers = null;
        for (LocalDate session : calendar.sessions(batch.range())) {
            if (cut.contains(session)) {
                continue;
            }
            Optional<List<BronzeRow>> staged = staging.readSession(batch.runId(), session);
            if (staged.isEmpty() && runTickers == null) {
                runTickers = runTickers(batch.runId());
            }
            Set<Ticker> forRun = runTickers;
            addWanted(staged.orElseGet(() -> fetchAndStage(batch.runId(), session, batch.adjusted(), batch.expectedSymbols(),
                    forRun)), wanted, bars);
        }
        bars.values().forEach(list -> list.sort(Comparator.comparing(Bar::date)));
        return bars;
    }

    private static void addWanted(List<BronzeRow> rows, Set<Ticker> wanted, Map<Ticker, List<Bar>> bars) {
        for (BronzeRow row : rows) {
            if (wanted.contains(row.bar().symbol())) {
                bars.computeIfAbsent(row.bar().symbol(), t -> new ArrayList<>()).add(row.bar());
            }
        }
    }

    private Set<Ticker> runTickers(RunId runId) {
        RunRecord run = progress.run(runId).orElseThrow(() -> new InvalidInputException("run_id",
                "no run " + runId + " in the progress table"));
        return new HashSet<>(run.tickers());
    }
}
