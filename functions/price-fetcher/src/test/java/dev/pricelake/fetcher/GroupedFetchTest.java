package dev.pricelake.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.IncompleteDataException;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.bronze.BronzeRow;
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
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class GroupedFetchTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final DateRange WEEK = DateRange.parse("2024-03-04", "2024-03-08");
    private static final List<Ticker> MARKET = List.of(Ticker.of("AAA"), Ticker.of("BBB"), Ticker.of("CCC"), Ticker.of("ZZZ"));
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final Staging staging = new Staging(lake);
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
        for (int b = 0; b < 3; b++) {
            Batch batch = new Batch(run, epoch, b, List.of(tickers.get(b)), WEEK, true, null, FetchMethod.GROUPED, 0, null, false,
                    Map.of(), Map.of());
            bars += fetcher.fetch(batch).bars();
        }
        assertThat(groupedCalls).hasSize(5).doesNotHaveDuplicates();
        assertThat(bars).isEqualTo(15);
        assertThat(staging.readSession(run, LocalDate.of(2024, 3, 6)).orElseThrow())
                .extracting(r -> r.bar().symbol()).containsExactlyInAnyOrderElementsOf(tickers);
        assertThat(staging.readBars(run, Ticker.of("BBB"))).extracting(BronzeRow::bar)
                .isEqualTo(CALENDAR.sessions(WEEK).stream().map(d -> bar(Ticker.of("BBB"), d)).toList());
        assertThat(progress.tickers(run)).allSatisfy(t -> assertThat(t.status()).isEqualTo(TickerStatus.FETCHED));
    }

    @Test
    void stagingStopsWhileTimeIsLeftAndTheNextCallStagesOnlyWhatIsLeft() {
        RunId run = run(List.of(Ticker.of("AAA")));
        DateRange month = DateRange.parse("2024-03-01", "2024-03-28");
        SessionFetcher sessions = new SessionFetcher(source((d, call) -> MARKET), progress, staging, CALENDAR, CLOCK);
        // The context's remaining time, asked before every session after the first: ample twice, then within the margin.
        java.util.Iterator<Long> remaining = List.of(60_000L, 30_000L, SessionFetcher.MARGIN_MILLIS - 1).iterator();
        SessionFetcher.Result first = sessions.ensure(run, month, true, 0, remaining::next);
        assertThat(first.fetched()).isEqualTo(3);
        assertThat(first.remaining()).isEqualTo(CALENDAR.sessions(month).size() - 3);
        SessionFetcher.Result second = sessions.ensure(run, month, true, 0, () -> 60_000L);
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
        assertThatThrownBy(() -> sessions.ensure(run, WEEK, true, 3))
                .isInstanceOf(IncompleteDataException.class).hasMessageContaining("2024-03-07").hasMessageContaining("1 of");
        assertThat(staging.hasSession(run, late)).isFalse();
        assertThat(staging.hasSession(run, LocalDate.of(2024, 3, 6))).isTrue();
        SessionFetcher.Result retry = sessions.ensure(run, WEEK, true, 3);
        assertThat(retry.alreadyStaged()).isEqualTo(3);
        assertThat(retry.fetched()).isEqualTo(2);
        assertThat(staging.readSession(run, late).orElseThrow()).hasSize(3);
    }

    @Test
    void anEmptySessionIsNeverStoredAsASessionWithoutBars() {
        RunId run = run(List.of(Ticker.of("AAA")));
        SessionFetcher sessions = new SessionFetcher(source((d, call) -> List.of()), progress, staging, CALENDAR, CLOCK);
        assertThatThrownBy(() -> sessions.ensure(run, WEEK, true, 0))
                .isInstanceOf(IncompleteDataException.class).hasMessageContaining("2024-03-04").hasMessageContaining("not published");
        assertThat(staging.hasSession(run, LocalDate.of(2024, 3, 4))).isFalse();
    }
}
