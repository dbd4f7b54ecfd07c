package dev.pricelake.fetcher;

import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidBar;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.MinuteBarSource;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.ValidatedBars;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.SymbolsHistory;
import dev.pricelake.core.bronze.Adjustment;
import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.bronze.Provenance;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.Claim;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * FetchPrices for one batch: each ticker's bars from one range call (all pages) or from the run's staged
 * grouped-daily sessions, validated, valid ones staged, invalid ones quarantined, the ticker FETCHED. A range or minute
 * ticker is saved before the next is fetched, and a grouped day batch saves what it staged when it stops, so a rate
 * limit or a stop loses nothing: the retried batch skips what this attempt already fetched, and a resume skips what an
 * earlier attempt fetched and staged (a grouped one derives it again from the run's staged sessions, with no call). A history fetched
 * again after a rename comes under each ticker it traded as, one range call per ticker. The staged file records how
 * its prices are adjusted, which dates were asked for and which sessions the source had no bar for.
 */
final class PriceFetcher {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Tickers claimed, and marked FETCHED, in one call to the progress table (DynamoDB: one transaction of 100). */
    private static final int PROGRESS_CHUNK = 100;
    private final PriceSource source;
    private final MinuteBarSource minutes;
    private final SessionFetcher sessions;
    private final ProgressStore progress;
    private final Staging staging;
    private final BarValidator validator;
    private final CorporateActionLake actions;
    private final WriterLease lease;
    private final TradingCalendar calendar;
    private final Clock clock;
    /** Sessions whose minute flat files FetchSessions is known to have staged for the run. */
    private final Set<LocalDate> stagedMinuteSessions = new HashSet<>();

    PriceFetcher(PriceSource source, SessionFetcher sessions, ProgressStore progress, Staging staging,
            BarValidator validator, CorporateActionLake actions, TradingCalendar calendar, Clock clock) {
        this(source, null, sessions, progress, staging, validator, actions, calendar, clock);
    }

    /** @param minutes where minute batches get their bars; null where there is none (day batches only) */
    PriceFetcher(PriceSource source, MinuteBarSource minutes, SessionFetcher sessions, ProgressStore progress, Staging staging,
            BarValidator validator, CorporateActionLake actions, TradingCalendar calendar, Clock clock) {
        this.source = source;
        this.minutes = minutes;
        this.sessions = sessions;
        this.progress = progress;
        this.staging = staging;
        this.validator = validator;
        this.actions = actions;
        this.lease = new WriterLease(progress, clock);
        this.calendar = calendar;
        this.clock = clock;
    }

    record Result(int fetched, int alreadyFetched, int skipped, int failed, long bars, long quarantined) {
    }

    /**
     * The whole batch, however long it takes (a local command). Rate limits and rejected keys propagate (the
     * state machine handles them); other ticker errors mark the ticker FAILED.
     */
    Result fetch(Batch batch) {
        return fetch(batch, Instant.MAX);
    }

    /**
     * As {@link #fetch(Batch)}, starting no ticker after {@code stopBy}: at the free plan's rate, shared by every
     * container, a large batch outlasts a Lambda invocation, so it stops in time with what it fetched saved, as a
     * rate limit, which the state machine retries after a pause; the retry goes on from the next ticker.
     */
    Result fetch(Batch batch, Instant stopBy) {
        int fetched = 0;
        int already = 0;
        int skipped = 0;
        int failed = 0;
        long bars = 0;
        long quarantined = 0;
        Function<Ticker, List<Bar>> barsOf = barsOf(batch);
        // A grouped day batch calls nothing per ticker: its claims go to the progress table many at a time, and its
        // tickers are staged in one file, written once, then marked FETCHED together. Range and minute batches, bound by
        // their calls, keep each ticker's file and mark as soon as it is fetched.
        OneFile oneFile = batch.stagedAsOneFile() ? new OneFile(batch) : null;
        int chunk = oneFile != null ? PROGRESS_CHUNK : 1;
        List<Ticker> tickers = batch.tickers();
        Map<Ticker, Claim> claims = new HashMap<>();
        List<ProgressStore.Fetched> marks = new ArrayList<>();
        try {
            for (int i = 0; i < tickers.size(); i++) {
                Ticker ticker = tickers.get(i);
                if (oneFile == null && !marks.isEmpty()) {
                    save(batch, marks, null);
                }
                if (clock.instant().isAfter(stopBy)) {
                    throw new RateLimitedException("stopped before the function's time limit with " + (fetched + already)
                            + " of the batch's " + tickers.size() + " tickers fetched; the rest wait for the rate limit");
                }
                lease.hold(batch.runId(), batch.epoch());
                if (!claims.containsKey(ticker)) {
                    List<Ticker> next = tickers.subList(i, Math.min(tickers.size(), i + chunk));
                    List<Claim> answers = progress.claim(batch.runId(), next, batch.epoch(), batch.batch(), clock.instant());
                    for (int j = 0; j < next.size(); j++) {
                        claims.put(next.get(j), answers.get(j));
                    }
                }
                Claim claim = claims.get(ticker);
                if (!claim.claimed()) {
                    skipped++;
                    continue;
                }
                if (oneFile != null ? oneFile.keeps(ticker, claim)
                        : (claim.alreadyFetchedIn(batch.epoch()) || stagedByEarlierAttempt(batch, ticker, claim))) {
                    already++;
                    continue;
                }
                DateRange asked = closed(batch.rangeOf(ticker));
                long[] staged;
                try {
                    staged = batch.timespan() == Timespan.MINUTE ? stageMinutes(batch, ticker, asked, claim)
                            : stageDays(batch, ticker, asked, claim, barsOf, oneFile);
                } catch (MalformedDataException | TransientUpstreamException e) {
                    progress.markStopped(batch.runId(), ticker, batch.epoch(), TickerStatus.FAILED, e.getMessage(), clock.instant());
                    failed++;
                    continue;
                }
                marks.add(new ProgressStore.Fetched(ticker, staged[0], staged[1]));
                fetched++;
                bars += staged[0];
                quarantined += staged[1];
            }
        } catch (RuntimeException e) {
            // What was staged before a rate limit or a stop keeps its mark, so the retry goes on from the next ticker.
            try {
                save(batch, marks, oneFile);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        save(batch, marks, oneFile);
        return new Result(fetched, already, skipped, failed, bars, quarantined);
    }

    /**
     * Writes the batch's one file, if it has one, then marks the newly staged tickers FETCHED (a ticker a newer attempt
     * took over is refused, as one mark would be): a ticker is never FETCHED without its bars in staging.
     */
    private void save(Batch batch, List<ProgressStore.Fetched> marks, OneFile oneFile) {
        if (!marks.isEmpty()) {
            if (oneFile != null) {
                oneFile.write();
            }
            progress.markFetched(batch.runId(), List.copyOf(marks), batch.epoch(), clock.instant());
            marks.clear();
        }
    }

    /**
     * The tickers a batch stages in one file: those this call stages, and those an earlier call of the same attempt (cut
     * short by a stop) staged and marked, taken from the file it wrote. A ticker an earlier attempt of the run staged is
     * derived again from the run's staged sessions, which costs no call: its bars are in that attempt's file.
     */
    private final class OneFile {
        private final Batch batch;
        private final Map<Ticker, BronzeFile> tickers = new TreeMap<>();
        private Map<Ticker, BronzeFile> written;

        OneFile(Batch batch) {
            this.batch = batch;
        }

        /** Whether the ticker is already staged and FETCHED by this attempt, now kept in the file. */
        boolean keeps(Ticker ticker, Claim claim) {
            if (!claim.alreadyFetchedIn(batch.epoch())) {
                return false;
            }
            if (written == null) {
                written = staging.readBatch(batch);
            }
            BronzeFile staged = written.get(ticker);
            if (staged != null) {
                tickers.put(ticker, staged);
            }
            return staged != null;
        }

        void stage(Ticker ticker, BronzeFile staged) {
            tickers.put(ticker, staged);
        }

        void write() {
            staging.writeBatch(batch, tickers);
        }
    }

    /**
     * An earlier attempt of the run (interrupted, or stopped by a rate limit) fetched and staged this ticker: its
     * staged bars are the run's answer, so this attempt takes them over instead of asking again.
     */
    private boolean stagedByEarlierAttempt(Batch batch, Ticker ticker, Claim claim) {
        boolean staged = batch.timespan() == Timespan.MINUTE ? staging.hasMinutes(batch.runId(), ticker)
                : staging.hasBars(batch.runId(), ticker);
        if (claim.previousStatus() != TickerStatus.FETCHED || claim.previousEpoch() >= batch.epoch() || !staged) {
            return false;
        }
        TickerProgress before = progress.tickers(batch.runId(), List.of(ticker)).getFirst();
        return progress.markFetched(batch.runId(), ticker, batch.epoch(), before.bars(), before.quarantined(), clock.instant());
    }

    /** The ticker's day bars validated and staged (in the batch's one file, or its own): {bars staged, bars quarantined}. */
    private long[] stageDays(Batch batch, Ticker ticker, DateRange asked, Claim claim, Function<Ticker, List<Bar>> barsOf,
            OneFile oneFile) {
        List<Bar> received = asked == null ? List.of() : barsOf.apply(ticker);
        ValidatedBars validated = validate(received, asked);
        Instant now = clock.instant();
        List<BronzeRow> rows = new ArrayList<>(validated.valid().size());
        for (Bar bar : validated.valid()) {
            rows.add(new BronzeRow(bar, now));
        }
        Map<String, String> metadata = asked == null ? Map.of()
                : provenance(batch, ticker, asked, received).toMetadata(calendar);
        if (oneFile != null) {
            oneFile.stage(ticker, new BronzeFile(rows, metadata));
        } else {
            staging.writeBars(batch.runId(), ticker, rows, metadata);
        }
        if (!validated.invalid().isEmpty()) {
            staging.writeQuarantine(batch.runId(), ticker, validated.invalid());
        } else if (claim.previousEpoch() > 0) {
            // An earlier attempt at this ticker may have quarantined bars this answer no longer has.
            staging.deleteQuarantine(batch.runId(), ticker);
        }
        return new long[] {rows.size(), validated.invalid().size()};
    }

    /**
     * A ticker's minutes over the closed part of its range (range calls, two months each, or the staged minute flat
     * files), validated as day bars are, a minute outside the sessions asked for or repeated in the answer quarantined
     * too; the valid ones staged with how their prices are adjusted. Returns the minutes staged and quarantined.
     */
    private long[] stageMinutes(Batch batch, Ticker ticker, DateRange asked, Claim claim) {
        List<MinuteBar> received = asked == null ? List.of() : minutesOf(batch, ticker, asked);
        Instant now = clock.instant();
        List<MinuteRow> rows = new ArrayList<>(received.size());
        List<Map.Entry<MinuteBar, List<String>>> invalid = new ArrayList<>();
        Set<Instant> seen = new HashSet<>();
        for (MinuteBar bar : received) {
            List<String> reasons = new ArrayList<>(validator.reasons(bar));
            LocalDate day = bar.start().atZone(NEW_YORK).toLocalDate();
            if (reasons.isEmpty() && !asked.contains(day)) {
                reasons.add("start " + bar.start() + " is on " + day + ", outside the range asked for, " + asked);
            }
            if (reasons.isEmpty() && !seen.add(bar.start())) {
                reasons.add("duplicate minute " + bar.start() + " for " + ticker + " in the same response");
            }
            if (reasons.isEmpty()) {
                rows.add(new MinuteRow(bar, now));
            } else {
                invalid.add(Map.entry(bar, reasons));
            }
        }
        Adjustment adjustment = asked == null ? null
                : batch.adjusted() ? Adjustment.splitsThrough(calendar.onOrBefore(asked.end())) : Adjustment.UNADJUSTED;
        staging.writeMinutes(batch.runId(), ticker, rows, adjustment == null ? Map.of() : Map.of(Adjustment.KEY, adjustment.encode()));
        if (!invalid.isEmpty()) {
            staging.writeMinuteQuarantine(batch.runId(), ticker, invalid);
        } else if (claim.previousEpoch() > 0) {
            staging.deleteMinuteQuarantine(batch.runId(), ticker);
        }
        return new long[] {rows.size(), invalid.size()};
    }

    /** A ticker's minutes from range calls, or from the sessions FetchSessions staged from the minute flat files. */
    private List<MinuteBar> minutesOf(Batch batch, Ticker ticker, DateRange asked) {
        if (batch.fetch() == FetchMethod.GROUPED) {
            for (LocalDate session : calendar.sessions(asked)) {
                if (!stagedMinuteSessions.contains(session) && !staging.minuteSessionStaged(batch.runId(), session)) {
                    throw new RateLimitedException("the minutes of " + session + " are not staged yet (FetchSessions stopped"
                            + " before it); a resume stages them");
                }
                stagedMinuteSessions.add(session);
            }
            return staging.readMinuteSessions(batch.runId(), ticker);
        }
        if (minutes == null) {
            throw new IllegalStateException("this function's price source serves no minute bars");
        }
        return minutes.minuteBars(ticker, asked, batch.adjusted());
    }

    /** The part of the range whose sessions have closed: none of today's or later bars is ever stored. */
    private DateRange closed(DateRange range) {
        LocalDate yesterday = clock.instant().atZone(NEW_YORK).toLocalDate().minusDays(1);
        if (range.start().isAfter(yesterday)) {
            return null;
        }
        return range.end().isAfter(yesterday) ? new DateRange(range.start(), yesterday) : range;
    }

    /** The validator's rules, and a bar dated outside what was asked for (today's, say) is quarantined too. */
    private ValidatedBars validate(List<Bar> received, DateRange asked) {
        ValidatedBars checked = validator.validate(received);
        List<Bar> valid = new ArrayList<>();
        List<InvalidBar> invalid = new ArrayList<>(checked.invalid());
        LocalDate today = clock.instant().atZone(NEW_YORK).toLocalDate();
        for (Bar bar : checked.valid()) {
            if (asked != null && asked.contains(bar.date())) {
                valid.add(bar);
            } else {
                invalid.add(new InvalidBar(bar, List.of(bar.date().isBefore(today)
                        ? "date " + bar.date() + " is outside the range asked for, " + (asked == null ? "none" : asked)
                        : "date " + bar.date() + " is a session that has not closed and been published yet (today in"
                                + " New York is " + today + ")")));
            }
        }
        return new ValidatedBars(valid, invalid);
    }

    private Provenance provenance(Batch batch, Ticker ticker, DateRange asked, List<Bar> received) {
        Set<LocalDate> dates = new HashSet<>();
        received.forEach(b -> dates.add(b.date()));
        Adjustment adjustment = batch.adjusted() ? Adjustment.splitsThrough(calendar.onOrBefore(asked.end())) : Adjustment.UNADJUSTED;
        String tradedAs = batch.replace() ? new SymbolsHistory(actions.tickerChanges()).tradedAs(ticker, asked) : "";
        return new Provenance(adjustment, asked, Provenance.sessionsWithout(asked, dates, calendar), tradedAs);
    }

    /**
     * Range calls ask per ticker (a history fetched again asks under each ticker it traded as); grouped batches read
     * the staged sessions, once, when a ticker first needs them.
     */
    private Function<Ticker, List<Bar>> barsOf(Batch batch) {
        if (batch.fetch() == FetchMethod.RANGE) {
            SymbolsHistory history = batch.replace() ? new SymbolsHistory(actions.tickerChanges()) : null;
            return ticker -> {
                DateRange range = closed(batch.rangeOf(ticker));
                if (history == null) {
                    return source.dailyBars(ticker, range, batch.adjusted());
                }
                List<Bar> bars = new ArrayList<>();
                for (SymbolsHistory.Segment segment : history.segments(ticker, range)) {
                    for (Bar b : source.dailyBars(segment.tradedAs(), segment.range(), batch.adjusted())) {
                        bars.add(new Bar(ticker, b.date(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.vwap(),
                                b.transactions()));
                    }
                }
                return bars;
            };
        }
        var staged = new Object() {
            Map<Ticker, List<Bar>> bars;
        };
        return ticker -> {
            if (staged.bars == null) {
                staged.bars = sessions.barsOf(batch);
            }
            return staged.bars.getOrDefault(ticker, List.of());
        };
    }
}
