package dev.pricelake.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.MovableClock;
import dev.pricelake.core.IncompleteDataException;
import dev.pricelake.core.ObservedObjectStore;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.SessionChunk;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class GroupedFetchTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final DateRange WEEK = DateRange.parse("2024-03-04", "2024-03-08");
    private static final List<Ticker> MARKET = List.of(Ticker.of("AAA"), Ticker.of("BBB"), Ticker.of("CCC"), Ticker.of("ZZZ"));
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final List<String> reads = new ArrayList<>();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final Staging staging = new Staging(ObservedObjectStore.reads(lake, reads::add));
    private final List<LocalDate> groupedCalls = new ArrayList<>();

    private static Bar bar(Ticker t, LocalDate d) {
        return new Bar(t, d, 10, 11, 9, 10.5, 1000, 10.2, 50L);
    }

    private PriceSource source(BiFunction<LocalDate, Integer, List<Ticker>> symbolsOnCall) {
        return new PriceSource() {
            @Override
            public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
                throw new AssertionError("a grouped batch made a range call for " + ticker);
            }

            @Override
            public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
                groupedCalls.add(date);
                int call = (int) groupedCalls.stream().filter(date::equals).count();
                return new GroupedDay(date, symbolsOnCall.apply(date, call).stream().map(t -> bar(t, date)).toList(), List.of());
            }
        };
    }

    private RunId run(List<Ticker> tickers) {
        RunId run = RunId.backfill(CLOCK.instant(), new SplittableRandom(7));
        Map<Ticker, Integer> batches = new HashMap<>();
        tickers.forEach(t -> batches.put(t, 0));
        progress.createRun(new RunRecord(run, "{}", tickers, RunStatus.RUNNING, 0, CLOCK.instant(), null, Map.of(), null), batches);
        progress.acquireLease(run, CLOCK.instant(), WriterLease.TTL);
        return run;
    }

    private PriceFetcher fetcher(PriceSource source) {
        return new PriceFetcher(source, new SessionFetcher(source, progress, staging, CALENDAR, CLOCK), progress, staging,
                new BarValidator(CALENDAR), new CorporateActionLake(lake), CALENDAR, CLOCK);
    }

    @Test
    void batchesShareOneGroupedCallPerSessionAndStageOnlyTheRunsTickers() {
        List<Ticker> tickers = List.of(Ticker.of("AAA"), Ticker.of("BBB"), Ticker.of("CCC"));
        RunId run = run(tickers);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        PriceFetcher fetcher = fetcher(source((d, call) -> MARKET));
        long bars = 0;
        List<Batch> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            Batch batch = new Batch(run, epoch, b, List.of(tickers.get(b)), WEEK, true, null, FetchMethod.GROUPED, 0, null, false,
                    Map.of(), Map.of());
            bars += fetcher.fetch(batch).bars();
            batches.add(batch);
        }
        assertThat(groupedCalls).hasSize(5).doesNotHaveDuplicates();
        assertThat(bars).isEqualTo(15);
        assertThat(staging.readSession(run, LocalDate.of(2024, 3, 6)).orElseThrow())
                .extracting(r -> r.bar().symbol()).containsExactlyInAnyOrderElementsOf(tickers);
        assertThat(staging.readBatch(batches.get(1)).get(Ticker.of("BBB")).rows()).extracting(BronzeRow::bar)
                .isEqualTo(CALENDAR.sessions(WEEK).stream().map(d -> bar(Ticker.of("BBB"), d)).toList());
        assertThat(progress.tickers(run)).allSatisfy(t -> assertThat(t.status()).isEqualTo(TickerStatus.FETCHED));
    }

    @Test
    void aLargeGroupedBatchClaimsAndMarksManyAtATimeKeepingEachTickersConditionAndWhatAStopStaged() {
        List<Ticker> tickers = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            tickers.add(Ticker.of("T" + i));
        }
        RunId run = run(tickers);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        Ticker succeeded = tickers.get(5);
        progress.claim(run, succeeded, epoch, 0, CLOCK.instant());
        progress.markFetched(run, succeeded, epoch, 5, 0, CLOCK.instant());
        progress.markSucceeded(run, succeeded, epoch, CLOCK.instant());
        Batch batch = new Batch(run, epoch, 0, tickers, WEEK, true, null, FetchMethod.GROUPED, 0, null);
        // Every reading of the fetcher's clock is a second later: the batch stops part of the way through.
        MovableClock ticking = new MovableClock(CLOCK.instant());
        ticking.advanceOnEveryRead(java.time.Duration.ofSeconds(1));
        PriceSource source = source((d, call) -> tickers);
        PriceFetcher stopping = new PriceFetcher(source, new SessionFetcher(source, progress, staging, CALENDAR, CLOCK), progress,
                staging, new BarValidator(CALENDAR), new CorporateActionLake(lake), CALENDAR, ticking);
        assertThatThrownBy(() -> stopping.fetch(batch, CLOCK.instant().plusSeconds(700)))
                .isInstanceOf(dev.pricelake.core.RateLimitedException.class);
        List<Ticker> staged = List.copyOf(new java.util.TreeSet<>(staging.readBatch(batch).keySet()));
        assertThat(staged).as("stopped part of the way, inside the second chunk of 100 claims").hasSizeBetween(101, 198)
                .doesNotContain(succeeded);
        assertThat(lake.list(Staging.STAGING_PREFIX + run + "/symbol=")).as("no file a ticker").isEmpty();
        assertThat(progress.tickers(run, staged)).as("every ticker staged before the stop keeps its FETCHED mark")
                .allSatisfy(p -> assertThat(p.status()).isEqualTo(TickerStatus.FETCHED));

        // A newer attempt takes one unfetched ticker over; the retry of this attempt goes on from where it stopped.
        Ticker takenOver = tickers.stream().filter(t -> !t.equals(succeeded) && !staged.contains(t)).findFirst().orElseThrow();
        int newer = progress.beginAttempt(run, CLOCK.instant());
        assertThat(progress.claim(run, takenOver, newer, 0, CLOCK.instant()).claimed()).isTrue();
        PriceFetcher.Result retry = fetcher(source).fetch(batch);
        assertThat(retry.alreadyFetched()).isEqualTo(staged.size());
        assertThat(retry.skipped()).as("the SUCCEEDED ticker and the one the newer attempt owns").isEqualTo(2);
        assertThat(retry.fetched()).isEqualTo(230 - 2 - staged.size());
        for (var p : progress.tickers(run)) {
            TickerStatus expected = p.ticker().equals(succeeded) ? TickerStatus.SUCCEEDED
                    : p.ticker().equals(takenOver) ? TickerStatus.PENDING : TickerStatus.FETCHED;
            assertThat(p.status()).as(p.ticker().value()).isEqualTo(expected);
            if (expected == TickerStatus.FETCHED) {
                assertThat(p.bars()).as(p.ticker().value()).isEqualTo(5);
                assertThat(p.epoch()).isEqualTo(epoch);
            }
        }
        // The retry rewrote the batch's one file: every ticker this attempt FETCHED, with its bars and provenance.
        Map<Ticker, dev.pricelake.core.bronze.BronzeFile> file = staging.readBatch(batch);
        assertThat(file.keySet()).hasSize(228).doesNotContain(succeeded, takenOver);
        file.forEach((t, f) -> {
            assertThat(f.rows()).extracting(BronzeRow::bar).as(t.value()).isEqualTo(sourceBars(t, WEEK));
            assertThat(f.metadata()).as(t.value()).containsEntry("pricelake.covered", "2024-03-04..2024-03-08")
                    .containsEntry("pricelake.adjustment", "splits-through:2024-03-08");
        });
        assertThat(lake.list(Staging.STAGING_PREFIX + run + "/")).as("one file for the batch")
                .filteredOn(k -> k.contains("/batch-bars/")).containsExactly(Staging.batchKey(run, epoch, 0));
    }

    @Test
    void aResumeStagesTheTickersLeftInItsOwnBatchFileWithoutACallAndARetryRewritesItTheSame() {
        List<Ticker> tickers = MARKET.subList(0, 3);
        RunId run = run(tickers);
        PriceFetcher fetcher = fetcher(source((d, call) -> MARKET));
        int first = progress.beginAttempt(run, CLOCK.instant());
        Batch firstBatch = new Batch(run, first, 0, tickers, WEEK, true, null, FetchMethod.GROUPED, 0, null);
        assertThat(fetcher.fetch(firstBatch).fetched()).isEqualTo(3);
        byte[] firstFile = lake.get(Staging.batchKey(run, first, 0)).orElseThrow();
        // AAA reached PostgreSQL; WriteBronze failed BBB; the run stopped before CCC was written.
        progress.markSucceeded(run, tickers.get(0), first, CLOCK.instant());
        progress.markStopped(run, tickers.get(1), first, TickerStatus.FAILED, "bronze refused it", CLOCK.instant());

        int second = progress.beginAttempt(run, CLOCK.instant());
        Batch resumed = new Batch(run, second, 0, tickers.subList(1, 3), WEEK, true, null, FetchMethod.GROUPED, 0, null);
        PriceFetcher.Result result = fetcher.fetch(resumed);
        assertThat(List.of(result.fetched(), result.alreadyFetched())).as("CCC derived again, not taken over").containsExactly(2, 0);
        assertThat(groupedCalls).as("from the run's staged sessions").hasSize(5).doesNotHaveDuplicates();
        Map<Ticker, dev.pricelake.core.bronze.BronzeFile> file = staging.readBatch(resumed);
        assertThat(file.keySet()).containsExactlyInAnyOrderElementsOf(tickers.subList(1, 3));
        file.forEach((t, f) -> assertThat(f.rows()).extracting(BronzeRow::bar).isEqualTo(sourceBars(t, WEEK)));
        assertThat(lake.get(Staging.batchKey(run, first, 0)).orElseThrow()).as("the first attempt's file as it was")
                .isEqualTo(firstFile);
        assertThat(progress.tickers(run, tickers.subList(1, 3))).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(TickerStatus.FETCHED);
            assertThat(p.epoch()).isEqualTo(second);
        });

        byte[] staged = lake.get(Staging.batchKey(run, second, 0)).orElseThrow();
        PriceFetcher.Result retry = fetcher.fetch(resumed);
        assertThat(List.of(retry.fetched(), retry.alreadyFetched())).containsExactly(0, 2);
        assertThat(lake.get(Staging.batchKey(run, second, 0)).orElseThrow()).isEqualTo(staged);
    }

    private List<Batch> batches(RunId run, int epoch, List<List<Ticker>> tickers, DateRange range) {
        List<Batch> batches = new ArrayList<>();
        for (List<Ticker> slice : tickers) {
            batches.add(new Batch(run, epoch, batches.size(), slice, range, true, null, FetchMethod.GROUPED, 0, null));
        }
        return batches;
    }

    private List<Bar> sourceBars(Ticker ticker, DateRange range) {
        return CALENDAR.sessions(range).stream().map(d -> bar(ticker, d)).toList();
    }

    @Test
    void eachBatchReadsOnlyItsOwnPiecesSoEveryBarIsReadOnceByItsBatch() {
        List<Ticker> tickers = MARKET;
        RunId run = run(tickers);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        PriceSource source = source((d, call) -> MARKET);
        List<Batch> batches = batches(run, epoch, List.of(tickers.subList(0, 2), tickers.subList(2, 3), tickers.subList(3, 4)), WEEK);
        SessionFetcher.Result staged = new SessionFetcher(source, progress, staging, CALENDAR, CLOCK)
                .ensure(run, epoch, batches, WEEK, true, 0);
        assertThat(staged.fetched()).isEqualTo(5);
        reads.clear();
        PriceFetcher fetcher = fetcher(source);
        for (Batch batch : batches) {
            fetcher.fetch(batch);
        }
        assertThat(reads).as("the batches read no whole session").noneMatch(k -> k.contains("/sessions/date="));
        assertThat(reads.stream().filter(k -> k.endsWith(".parquet")).toList()).as("one piece per batch, each read once")
                .containsExactlyInAnyOrder(Staging.sessionPieceKey(run, epoch, 0, new SessionChunk(CALENDAR.sessions(WEEK))),
                        Staging.sessionPieceKey(run, epoch, 1, new SessionChunk(CALENDAR.sessions(WEEK))),
                        Staging.sessionPieceKey(run, epoch, 2, new SessionChunk(CALENDAR.sessions(WEEK))));
        assertThat(groupedCalls).hasSize(5).doesNotHaveDuplicates();
        for (Batch batch : batches) {
            Map<Ticker, dev.pricelake.core.bronze.BronzeFile> file = staging.readBatch(batch);
            assertThat(file.keySet()).containsExactlyInAnyOrderElementsOf(batch.tickers());
            file.forEach((t, f) -> assertThat(f.rows()).extracting(BronzeRow::bar).isEqualTo(sourceBars(t, WEEK)));
        }
    }

    @Test
    void aNewAttemptCutsTheRunsStagedSessionsForItsOwnBatchesWithoutCallingAgain() {
        List<Ticker> tickers = MARKET;
        RunId run = run(tickers);
        PriceSource source = source((d, call) -> MARKET);
        SessionFetcher sessions = new SessionFetcher(source, progress, staging, CALENDAR, CLOCK);
        int first = progress.beginAttempt(run, CLOCK.instant());
        sessions.ensure(run, first, batches(run, first, List.of(tickers), WEEK), WEEK, true, 0);
        int second = progress.beginAttempt(run, CLOCK.instant());
        List<Batch> resumed = batches(run, second, List.of(tickers.subList(1, 2), tickers.subList(3, 4)), WEEK);
        SessionFetcher.Result again = sessions.ensure(run, second, resumed, WEEK, true, 0);
        assertThat(again.fetched()).isZero();
        assertThat(again.restaged()).isEqualTo(5);
        assertThat(groupedCalls).hasSize(5);
        assertThat(sessions.ensure(run, second, resumed, WEEK, true, 0).alreadyStaged()).as("a retry of the attempt").isEqualTo(5);
        assertThat(sessions.barsOf(resumed.get(1))).isEqualTo(Map.of(tickers.get(3), sourceBars(tickers.get(3), WEEK)));
    }

    @Test
    void childrenStagingSomeSessionsEachLeaveTheRestAndBatchesReadEveryBarOnce() {
        List<Ticker> tickers = MARKET;
        RunId run = run(tickers);
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        List<Batch> batches = batches(run, epoch, List.of(tickers.subList(0, 2), tickers.subList(2, 4)), WEEK);
        SessionFetcher sessions = new SessionFetcher(source((d, call) -> MARKET), progress, staging, CALENDAR, CLOCK);
        List<LocalDate> week = CALENDAR.sessions(WEEK);
        // Two children of the flat files' Map, each with its own sessions, then the serial call that checks the rest.
        SessionFetcher.Result firstChild = sessions.ensure(run, epoch, batches, WEEK, Optional.of(week.subList(0, 2)), true, 0,
                () -> Long.MAX_VALUE);
        SessionFetcher.Result secondChild = sessions.ensure(run, epoch, batches, WEEK, Optional.of(week.subList(3, 5)), true, 0,
                () -> Long.MAX_VALUE);
        assertThat(List.of(firstChild.sessions(), firstChild.fetched(), secondChild.fetched())).containsExactly(2, 2, 2);
        assertThat(groupedCalls).containsExactlyElementsOf(List.of(week.get(0), week.get(1), week.get(3), week.get(4)));
        SessionFetcher.Result rest = sessions.ensure(run, epoch, batches, WEEK, true, 0);
        assertThat(List.of(rest.alreadyStaged(), rest.fetched(), rest.remaining())).containsExactly(4, 1, 0);
        assertThat(groupedCalls).hasSize(5).doesNotHaveDuplicates();
        for (Batch batch : batches) {
            for (Ticker t : batch.tickers()) {
                assertThat(sessions.barsOf(batch).get(t)).isEqualTo(sourceBars(t, WEEK));
            }
        }
        assertThatThrownBy(() -> sessions.ensure(run, epoch, batches, WEEK, Optional.of(List.of(LocalDate.of(2024, 3, 9))),
                true, 0, () -> Long.MAX_VALUE)).hasMessageContaining("sessions").hasMessageContaining("2024-03-09");
    }

    @Test
    void sessionsTheSourceServesAgainFreelyAreCutPerBatchButNotStagedAlone() {
        List<Ticker> tickers = MARKET;
        RunId run = run(tickers);
        // As flat files: every session but 6 March comes from its file; that one fell back to the rate-limited API.
        LocalDate fellBack = LocalDate.of(2024, 3, 6);
        SessionFetcher sessions = new SessionFetcher(source((d, call) -> MARKET), progress, staging, CALENDAR, CLOCK,
                d -> !d.equals(fellBack));
        int epoch = progress.beginAttempt(run, CLOCK.instant());
        List<Batch> batches = batches(run, epoch, List.of(tickers.subList(0, 2), tickers.subList(2, 4)), WEEK);
        assertThat(sessions.ensure(run, epoch, batches, WEEK, true, 0).fetched()).isEqualTo(5);
        assertThat(CALENDAR.sessions(WEEK)).allSatisfy(d -> assertThat(staging.hasSession(run, d)).isEqualTo(d.equals(fellBack)));
        for (Batch batch : batches) {
            for (Ticker t : batch.tickers()) {
                assertThat(sessions.barsOf(batch).get(t)).isEqualTo(sourceBars(t, WEEK));
            }
        }
        // The local S3 stand-in lists an object another Map child is still writing under its key and a random suffix.
        lake.put("staging/" + run + "/sessions/epoch=" + epoch + "/chunks/2024-03-04_2024-03-08.txt-4408e0d1",
                "half written".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(sessions.ensure(run, epoch, batches, WEEK, true, 0).alreadyStaged()).isEqualTo(5);
        // A resume cuts again: the files are read again, the session that came from the API is taken from staging.
        int resumedEpoch = progress.beginAttempt(run, CLOCK.instant());
        List<Batch> resumed = batches(run, resumedEpoch, List.of(tickers), WEEK);
        SessionFetcher.Result again = sessions.ensure(run, resumedEpoch, resumed, WEEK, true, 0);
        assertThat(List.of(again.fetched(), again.restaged())).containsExactly(4, 1);
        assertThat(groupedCalls).hasSize(9).containsOnlyOnce(fellBack);
        for (Ticker t : tickers) {
            assertThat(sessions.barsOf(resumed.getFirst()).get(t)).isEqualTo(sourceBars(t, WEEK));
        }
    }

    @Test
    void stagingStopsWhileTimeIsLeftAndTheNextCallStagesOnlyWhatIsLeft() {
        RunId run = run(List.of(Ticker.of("AAA")));
        DateRange month = DateRange.parse("2024-03-01", "2024-03-28");
        SessionFetcher sessions = new SessionFetcher(source((d, call) -> MARKET), progress, staging, CALENDAR, CLOCK);
        // The context's remaining time, asked before every session after the first: ample twice, then within the margin.
        java.util.Iterator<Long> remaining = List.of(60_000L, 30_000L, SessionFetcher.MARGIN_MILLIS - 1).iterator();
        SessionFetcher.Result first = sessions.ensure(run, 1, List.of(), month, Optional.empty(), true, 0, remaining::next);
        assertThat(first.fetched()).isEqualTo(3);
        assertThat(first.remaining()).isEqualTo(CALENDAR.sessions(month).size() - 3);
        SessionFetcher.Result second = sessions.ensure(run, 1, List.of(), month, Optional.empty(), true, 0, () -> 60_000L);
        assertThat(second.alreadyStaged()).isEqualTo(3);
        assertThat(second.fetched()).isEqualTo(first.remaining());
        assertThat(second.remaining()).isZero();
        assertThat(groupedCalls).hasSize(CALENDAR.sessions(month).size()).doesNotHaveDuplicates();
        assertThat(CALENDAR.sessions(month)).allSatisfy(d -> assertThat(staging.hasSession(run, d)).isTrue());
    }

    @Test
    void aPartialSessionIsRefusedUnstagedAndFetchedAgainByTheRetry() {
        List<Ticker> tickers = List.of(Ticker.of("AAA"), Ticker.of("BBB"), Ticker.of("CCC"));
        RunId run = run(tickers);
        LocalDate late = LocalDate.of(2024, 3, 7);
        // The first answer for 7 March has one of three symbols: the day is still being published.
        SessionFetcher sessions = new SessionFetcher(source((d, call) -> d.equals(late) && call == 1 ? MARKET.subList(0, 1) : MARKET),
                progress, staging, CALENDAR, CLOCK);
        assertThatThrownBy(() -> sessions.ensure(run, 1, List.of(), WEEK, true, 3))
                .isInstanceOf(IncompleteDataException.class).hasMessageContaining("2024-03-07").hasMessageContaining("1 of");
        assertThat(staging.hasSession(run, late)).isFalse();
        assertThat(staging.hasSession(run, LocalDate.of(2024, 3, 6))).isTrue();
        SessionFetcher.Result retry = sessions.ensure(run, 1, List.of(), WEEK, true, 3);
        assertThat(retry.restaged()).as("sessions the failed attempt staged before the partial one").isEqualTo(3);
        assertThat(retry.fetched()).isEqualTo(2);
        assertThat(staging.readSession(run, late).orElseThrow()).hasSize(3);
    }

    @Test
    void anEmptySessionIsNeverStoredAsASessionWithoutBars() {
        RunId run = run(List.of(Ticker.of("AAA")));
        SessionFetcher sessions = new SessionFetcher(source((d, call) -> List.of()), progress, staging, CALENDAR, CLOCK);
        assertThatThrownBy(() -> sessions.ensure(run, 1, List.of(), WEEK, true, 0))
                .isInstanceOf(IncompleteDataException.class).hasMessageContaining("2024-03-04").hasMessageContaining("not published");
        assertThat(staging.hasSession(run, LocalDate.of(2024, 3, 4))).isFalse();
    }
}
