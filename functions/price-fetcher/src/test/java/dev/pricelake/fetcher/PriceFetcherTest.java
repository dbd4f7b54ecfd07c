package dev.pricelake.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
        return new Batch(run, progress.beginAttempt(run, CLOCK.instant()), 0, tickers, RANGE, true, null);
    }

    private PriceFetcher fetcher(PriceSource source) {
        return new PriceFetcher(source, new SessionFetcher(source, progress, staging, TradingCalendar.nyse(), CLOCK), progress,
                staging, new BarValidator(TradingCalendar.nyse()), CLOCK);
    }

    @Test
    void aBatchStopsBeforeTheTimeLimitAsARateLimitAndItsRetryGoesOnFromTheNextTicker() {
        Batch batch = batchOf("AAA", "BBB", "CCC");
        Instant[] now = {CLOCK.instant()};
        Clock ticking = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        PriceSource slow = source(t -> {
            now[0] = now[0].plusSeconds(60);
            return week(t);
        });
        PriceFetcher fetcher = new PriceFetcher(slow, new SessionFetcher(slow, progress, staging, TradingCalendar.nyse(), ticking),
                progress, staging, new BarValidator(TradingCalendar.nyse()), ticking);
        Instant stopBy = now[0].plusSeconds(90);
        assertThatThrownBy(() -> fetcher.fetch(batch, stopBy)).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("2 of the batch's 3 tickers fetched");
        assertThat(calls).extracting(Ticker::value).containsExactly("AAA", "BBB");
        assertThat(fetcher.fetch(batch, now[0].plusSeconds(90)).fetched()).isEqualTo(1);
        assertThat(calls).extracting(Ticker::value).containsExactly("AAA", "BBB", "CCC");
    }

    @Test
    void stagesValidBarsAndMarksEachTickerFetched() {
        Batch batch = batchOf("AAA", "BBB");
        PriceFetcher.Result r = fetcher(source(PriceFetcherTest::week)).fetch(batch);
        assertThat(r.fetched()).isEqualTo(2);
        assertThat(r.bars()).isEqualTo(10);
        assertThat(staging.readBars(batch.runId(), Ticker.of("AAA"))).extracting(BronzeRow::bar).isEqualTo(week(Ticker.of("AAA")));
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
