package dev.pricelake.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.LeaseLostException;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.MinuteBarSource;
import dev.pricelake.core.MovableClock;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.TickerChange;
import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.MinuteRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.progress.WriterLease;
import dev.pricelake.core.recent.RetentionWindow;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PriceFetcherTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private static final DateRange RANGE = DateRange.parse("2024-03-04", "2024-03-08");
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final Staging staging = new Staging(lake);
    private final List<Ticker> calls = new ArrayList<>();

    private static List<Bar> week(Ticker t) {
        List<Bar> bars = new ArrayList<>();
        for (LocalDate d : TradingCalendar.nyse().sessions(RANGE)) {
            bars.add(new Bar(t, d, 10, 11, 9, 10.5, 1000, 10.2, 50L));
        }
        return bars;
    }

    /** A source answering per ticker; calls are recorded so a test can see what was fetched again. */
    private PriceSource source(Function<Ticker, List<Bar>> answer) {
        return new PriceSource() {
            @Override
            public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
                calls.add(ticker);
                return answer.apply(ticker);
            }

            @Override
            public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private Batch batchOf(String... symbols) {
        List<Ticker> tickers = java.util.Arrays.stream(symbols).map(Ticker::of).toList();
        RunId run = RunId.backfill(CLOCK.instant(), new SplittableRandom(1));
        Map<Ticker, Integer> batches = new HashMap<>();
        tickers.forEach(t -> batches.put(t, 0));
        progress.createRun(new RunRecord(run, "{}", tickers, RunStatus.RUNNING, 0, CLOCK.instant(), null, Map.of(), null), batches);
        progress.acquireLease(run, CLOCK.instant(), WriterLease.TTL);
        return new Batch(run, progress.beginAttempt(run, CLOCK.instant()), 0, tickers, RANGE, true, null);
    }

    private PriceFetcher fetcher(PriceSource source) {
        return fetcher(source, CLOCK);
    }

    private PriceFetcher fetcher(PriceSource source, Clock clock) {
        return new PriceFetcher(source, new SessionFetcher(source, progress, staging, TradingCalendar.nyse(), clock), progress,
                staging, new BarValidator(TradingCalendar.nyse()), new CorporateActionLake(lake), TradingCalendar.nyse(), clock);
    }

    @Test
    void aMinuteBatchStagesTheValidMinutesAndQuarantinesTheRestWithTheirReasons() {
        Batch day = batchOf("ABC");
        Batch batch = new Batch(day.runId(), day.epoch(), 0, day.tickers(), RANGE, true, null, FetchMethod.RANGE, 0, null,
                false, Map.of(), Map.of(), Timespan.MINUTE, RetentionWindow.DEFAULT_MINUTE_DAYS);
        Ticker abc = Ticker.of("ABC");
        MinuteBar good = new MinuteBar(abc, Instant.parse("2024-03-04T14:30:00Z"), 10, 11, 9, 10.5, 100, 10.2, 5L);
        MinuteBar next = new MinuteBar(abc, Instant.parse("2024-03-04T14:31:00Z"), 10.5, 11, 10, 10.8, 120, 10.6, 6L);
        MinuteBar inverted = new MinuteBar(abc, Instant.parse("2024-03-04T14:32:00Z"), 10, 9, 11, 10.5, 100, 10.2, 5L);
        MinuteBar outside = new MinuteBar(abc, Instant.parse("2024-03-11T14:30:00Z"), 10, 11, 9, 10.5, 100, 10.2, 5L);
        List<String> asked = new ArrayList<>();
        MinuteBarSource minutes = (ticker, range, adjusted) -> {
            asked.add(ticker + " " + range + " " + adjusted);
            return List.of(good, next, inverted, next, outside);
        };
        PriceSource days = source(t -> {
            throw new AssertionError("a minute batch asks for no day bars");
        });
        PriceFetcher fetcher = new PriceFetcher(days, minutes, new SessionFetcher(days, progress, staging, TradingCalendar.nyse(),
                CLOCK), progress, staging, new BarValidator(TradingCalendar.nyse()), new CorporateActionLake(lake),
                TradingCalendar.nyse(), CLOCK);

        PriceFetcher.Result result = fetcher.fetch(batch);

        assertThat(asked).containsExactly("ABC " + RANGE + " true");
        assertThat(result.bars()).isEqualTo(2);
        assertThat(result.quarantined()).isEqualTo(3);
        assertThat(staging.readMinutes(batch.runId(), abc).rows()).extracting(MinuteRow::bar).containsExactly(good, next);
        assertThat(staging.readMinutes(batch.runId(), abc).metadata()).containsEntry("pricelake.adjustment", "splits-through:2024-03-08");
        assertThat(staging.hasBars(batch.runId(), abc)).as("no day staging").isFalse();
        String quarantine = new String(lake.get(Staging.minuteQuarantineKey(batch.runId(), abc)).orElseThrow(), StandardCharsets.UTF_8);
        assertThat(quarantine.lines()).hasSize(3);
        assertThat(quarantine).contains("\"ts\":\"2024-03-04T14:32:00Z\"").contains("high 9.0 is below low 11.0")
                .contains("duplicate minute 2024-03-04T14:31:00Z").contains("outside the range asked for");
        assertThat(progress.tickers(batch.runId()).getFirst().status()).isEqualTo(TickerStatus.FETCHED);
    }

    /** A source that answers each ticker with every session of what it is asked for, and records the ranges asked. */
    private PriceSource everySession(List<String> asked) {
        return new PriceSource() {
            @Override
            public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
                asked.add(ticker + " " + range);
                return TradingCalendar.nyse().sessions(range).stream()
                        .map(d -> new Bar(ticker, d, 10, 11, 9, 10.5, 1000, 10.2, 50L)).toList();
            }

            @Override
            public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void noBarOfASessionThatHasNotClosedIsStagedWhateverTheSourceSends() {
        // Thursday 2024-03-07 at 15:00 in New York: that day's session is still open.
        Clock duringTheSession = Clock.fixed(Instant.parse("2024-03-07T20:00:00Z"), ZoneOffset.UTC);
        Batch batch = batchOf("AAA");
        List<String> asked = new ArrayList<>();
        PriceSource servesToday = new PriceSource() {
            @Override
            public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
                asked.add(range.toString());
                return week(ticker).subList(0, 4);
            }

            @Override
            public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
                throw new UnsupportedOperationException();
            }
        };
        PriceFetcher.Result r = fetcher(servesToday, duringTheSession).fetch(batch);
        assertThat(asked).as("the range asked stops at yesterday").containsExactly("2024-03-04..2024-03-06");
        assertThat(staging.readFile(batch.runId(), Ticker.of("AAA")).rows()).extracting(row -> row.bar().date().toString())
                .containsExactly("2024-03-04", "2024-03-05", "2024-03-06");
        assertThat(r.quarantined()).isEqualTo(1);
        assertThat(new String(lake.get(Staging.quarantineKey(batch.runId(), Ticker.of("AAA"))).orElseThrow(), StandardCharsets.UTF_8))
                .contains("2024-03-07").contains("has not closed");
    }

    @Test
    void theStagedFileSaysHowItsPricesAreAdjustedWhatWasAskedAndWhereTheSourceHadNoBar() {
        Batch batch = batchOf("AAA");
        fetcher(source(t -> week(t).stream().filter(b -> b.date().getDayOfMonth() != 6).toList())).fetch(batch);
        BronzeFile staged = staging.readFile(batch.runId(), Ticker.of("AAA"));
        assertThat(staged.metadata()).containsEntry("pricelake.adjustment", "splits-through:2024-03-08")
                .containsEntry("pricelake.covered", "2024-03-04..2024-03-08")
                .containsEntry("pricelake.no_bar_sessions", "2024-03-06");
    }

    @Test
    void aResumeTakesOverWhatAnEarlierAttemptFetchedWithoutAskingAgain() {
        Batch batch = batchOf("AAA", "BBB");
        fetcher(source(PriceFetcherTest::week)).fetch(batch);
        progress.markStopped(batch.runId(), Ticker.of("BBB"), batch.epoch(), TickerStatus.RATE_LIMITED, "429", CLOCK.instant());
        calls.clear();
        Batch resumed = new Batch(batch.runId(), progress.beginAttempt(batch.runId(), CLOCK.instant()), 0, batch.tickers(),
                RANGE, true, null);
        PriceFetcher.Result r = fetcher(source(PriceFetcherTest::week)).fetch(resumed);
        assertThat(calls).extracting(Ticker::value).as("only the one that was not fetched").containsExactly("BBB");
        assertThat(r.alreadyFetched()).isEqualTo(1);
        assertThat(progress.tickers(batch.runId()).getFirst()).satisfies(t -> {
            assertThat(t.status()).isEqualTo(TickerStatus.FETCHED);
            assertThat(t.epoch()).isEqualTo(resumed.epoch());
            assertThat(t.bars()).isEqualTo(5);
        });
    }

    @Test
    void aRenamedHistoryIsFetchedUnderEachTickerItTradedAsAndKeptUnderTheCurrentOne() {
        new CorporateActionLake(lake).addTickerChanges(List.of(new TickerChange(Ticker.of("OLD"), Ticker.of("NEW"),
                LocalDate.of(2024, 3, 6), "BBG000000001", "0000000001")));
        Batch plain = batchOf("NEW");
        Batch replace = new Batch(plain.runId(), plain.epoch(), 0, plain.tickers(), RANGE, true, null, FetchMethod.RANGE, 0,
                null, true, Map.of(), Map.of(Ticker.of("OLD"), Ticker.of("NEW")));
        List<String> asked = new ArrayList<>();
        fetcher(everySession(asked)).fetch(replace);
        assertThat(asked).containsExactly("OLD 2024-03-04..2024-03-05", "NEW 2024-03-06..2024-03-08");
        BronzeFile staged = staging.readFile(plain.runId(), Ticker.of("NEW"));
        assertThat(staged.rows()).hasSize(5).allSatisfy(r -> assertThat(r.bar().symbol()).isEqualTo(Ticker.of("NEW")));
        assertThat(staged.metadata()).containsEntry("pricelake.traded_as", "OLD:2024-03-04..2024-03-05,NEW:2024-03-06..2024-03-08");
    }

    @Test
    void anAttemptThatLostTheLakesLeaseFetchesNothing() {
        Batch batch = batchOf("AAA");
        progress.releaseLease(batch.runId());
        progress.acquireLease(RunId.backfill(CLOCK.instant(), new SplittableRandom(9)), CLOCK.instant(), WriterLease.TTL);
        assertThatThrownBy(() -> fetcher(source(PriceFetcherTest::week)).fetch(batch)).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("no longer holds the lake's writer lease");
        assertThat(calls).isEmpty();
    }

    @Test
    void aBatchStopsBeforeTheTimeLimitAsARateLimitAndItsRetryGoesOnFromTheNextTicker() {
        Batch batch = batchOf("AAA", "BBB", "CCC");
        MovableClock ticking = new MovableClock(CLOCK.instant());
        PriceSource slow = source(t -> {
            ticking.advance(Duration.ofSeconds(60));
            return week(t);
        });
        PriceFetcher fetcher = fetcher(slow, ticking);
        Instant stopBy = ticking.instant().plusSeconds(90);
        assertThatThrownBy(() -> fetcher.fetch(batch, stopBy)).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("2 of the batch's 3 tickers fetched");
        assertThat(calls).extracting(Ticker::value).containsExactly("AAA", "BBB");
        assertThat(fetcher.fetch(batch, ticking.instant().plusSeconds(90)).fetched()).isEqualTo(1);
        assertThat(calls).extracting(Ticker::value).containsExactly("AAA", "BBB", "CCC");
    }

    @Test
    void stagesValidBarsAndMarksEachTickerFetched() {
        Batch batch = batchOf("AAA", "BBB");
        PriceFetcher.Result r = fetcher(source(PriceFetcherTest::week)).fetch(batch);
        assertThat(r.fetched()).isEqualTo(2);
        assertThat(r.bars()).isEqualTo(10);
        assertThat(staging.readFile(batch.runId(), Ticker.of("AAA")).rows()).extracting(BronzeRow::bar).isEqualTo(week(Ticker.of("AAA")));
        assertThat(progress.tickers(batch.runId())).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TickerStatus.FETCHED);
            assertThat(t.bars()).isEqualTo(5);
        });
    }

    @Test
    void aRateLimitKeepsTheTickersAlreadyFetchedAndTheRetrySkipsThem() {
        Batch batch = batchOf("AAA", "BBB", "CCC");
        PriceSource limitedAtThird = source(t -> {
            if (t.value().equals("CCC") && calls.size() < 4) {
                throw new RateLimitedException("429");
            }
            return week(t);
        });
        PriceFetcher fetcher = fetcher(limitedAtThird);

        assertThatThrownBy(() -> fetcher.fetch(batch)).isInstanceOf(RateLimitedException.class);
        assertThat(progress.tickers(batch.runId())).extracting(TickerProgress::status)
                .containsExactly(TickerStatus.FETCHED, TickerStatus.FETCHED, TickerStatus.PENDING);

        PriceFetcher.Result retry = fetcher.fetch(batch);
        assertThat(retry.alreadyFetched()).isEqualTo(2);
        assertThat(retry.fetched()).isEqualTo(1);
        assertThat(calls).extracting(Ticker::value).containsExactly("AAA", "BBB", "CCC", "CCC");
    }

    @Test
    void invalidBarsAreQuarantinedWithTheirReasons() {
        Batch batch = batchOf("AAA");
        PriceFetcher.Result r = fetcher(source(t -> {
            List<Bar> bars = new ArrayList<>(week(t));
            Bar first = bars.getFirst();
            bars.set(0, new Bar(t, first.date(), 10, 9, 11, 10, 1000, null, null));
            bars.add(new Bar(t, LocalDate.of(2024, 3, 9), 10, 11, 9, 10, 1000, null, null));
            return bars;
        })).fetch(batch);
        assertThat(r.bars()).isEqualTo(4);
        assertThat(r.quarantined()).isEqualTo(2);
        String quarantine = new String(lake.get(Staging.quarantineKey(batch.runId(), Ticker.of("AAA"))).orElseThrow(),
                StandardCharsets.UTF_8);
        assertThat(quarantine.lines()).hasSize(2);
        assertThat(quarantine).contains("\"date\":\"2024-03-04\"").contains("high 9.0 is below low 11.0")
                .contains("\"date\":\"2024-03-09\"").contains("is not an NYSE session");
        assertThat(progress.tickers(batch.runId()).getFirst().quarantined()).isEqualTo(2);

        // Stopped before it was written (a failed write, say): the next attempt asks again.
        progress.markStopped(batch.runId(), Ticker.of("AAA"), batch.epoch(), TickerStatus.FAILED, "write failed", CLOCK.instant());
        Batch resumed = new Batch(batch.runId(), progress.beginAttempt(batch.runId(), CLOCK.instant()), 0, batch.tickers(),
                RANGE, true, null);
        fetcher(source(PriceFetcherTest::week)).fetch(resumed);
        assertThat(lake.get(Staging.quarantineKey(batch.runId(), Ticker.of("AAA"))))
                .as("a later clean answer leaves no stale quarantine").isEmpty();
    }

    @Test
    void aTickerWithOnlyValidBarsWritesNoQuarantineObject() {
        Batch batch = batchOf("AAA");
        fetcher(source(PriceFetcherTest::week)).fetch(batch);
        assertThat(lake.list(Staging.QUARANTINE_PREFIX)).isEmpty();
    }

    @Test
    void aTickerWithBadDataFailsAloneAndTheBatchGoesOn() {
        Batch batch = batchOf("AAA", "BBB");
        PriceFetcher.Result r = fetcher(source(t -> {
            if (t.value().equals("AAA")) {
                throw new MalformedDataException("GET /v2/aggs/ticker/AAA", "response is not valid JSON");
            }
            return week(t);
        })).fetch(batch);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.fetched()).isEqualTo(1);
        TickerProgress aaa = progress.tickers(batch.runId()).getFirst();
        assertThat(aaa.status()).isEqualTo(TickerStatus.FAILED);
        assertThat(aaa.error()).contains("not valid JSON");
    }

    @Test
    void aRejectedKeyStopsTheBatchWithoutWritingAnything() {
        Batch batch = batchOf("AAA");
        assertThatThrownBy(() -> fetcher(source(t -> {
            throw new NotAuthorizedException(NotAuthorizedException.Reason.BAD_KEY, "Unknown API Key");
        })).fetch(batch)).isInstanceOf(NotAuthorizedException.class);
        assertThat(lake.list("")).isEmpty();
    }

    @Test
    void anOlderAttemptSkipsTickersANewerOneOwns() {
        Batch batch = batchOf("AAA");
        progress.beginAttempt(batch.runId(), CLOCK.instant());
        progress.claim(batch.runId(), Ticker.of("AAA"), batch.epoch() + 1, 0, CLOCK.instant());
        assertThat(fetcher(source(PriceFetcherTest::week)).fetch(batch).skipped()).isEqualTo(1);
        assertThat(calls).isEmpty();
    }
}
