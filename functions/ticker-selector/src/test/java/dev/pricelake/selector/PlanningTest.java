package dev.pricelake.selector;

import static dev.pricelake.adapters.polygon.PolygonConfig.FREE_PLAN_REQUESTS_PER_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.InMemoryCorporateActionSource;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.reference.CacheEntry;
import dev.pricelake.core.reference.InMemoryCacheEntryStore;
import dev.pricelake.core.reference.InMemorySymbolStore;
import dev.pricelake.core.reference.ReferenceTables;
import dev.pricelake.core.universe.UniverseCache;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a run plans its calls, and what a daily run decides to fetch from the lake it finds. */
class PlanningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-03T11:00:00Z"), ZoneOffset.UTC);
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();

    private final InMemoryReferenceSource reference = new InMemoryReferenceSource(List.of(
            new ReferenceSource.ListedTicker(Ticker.of("AAA"), "A", "CS", "XNYS", true),
            new ReferenceSource.ListedTicker(Ticker.of("NEW"), "N", "CS", "XNAS", true),
            new ReferenceSource.ListedTicker(Ticker.of("OLD"), "O", "CS", "XNAS", false)));

    private final InMemoryCorporateActionSource actions = new InMemoryCorporateActionSource();
    private final TickerSelector selector = new TickerSelector(progress, reference, actions, Optional.empty(), Optional.empty(),
            Optional.empty(), lake, JSON.createObjectNode().put("url", "http://127.0.0.1:1"), FREE_PLAN_REQUESTS_PER_MINUTE, CLOCK,
            new SplittableRandom(5));

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private Selection backfill(String json) throws Exception {
        return selector.select(BackfillRequest.parse(json(json)), Optional.empty());
    }

    private Selection daily(String json) throws Exception {
        return selector.daily(DailyRequest.parse(json(json), CLOCK), Optional.empty());
    }

    private static String tickers(int n) {
        return String.join(",", IntStream.range(0, n).mapToObj(i -> "'T" + i + "'").toList());
    }

    private void inLake(String symbol, String first, String last) {
        inLake(lake, symbol, first, last, CLOCK);
    }

    /** A bronze file with a bar on every session from {@code first} through {@code last}. */
    static void inLake(InMemoryObjectStore lake, String symbol, String first, String last, Clock clock) {
        List<BronzeRow> rows = new ArrayList<>();
        for (LocalDate d : TradingCalendar.nyse().sessions(dev.pricelake.core.DateRange.parse(first, last))) {
            rows.add(new BronzeRow(new Bar(Ticker.of(symbol), d, 10, 11, 9, 10, 100, null, null), clock.instant()));
        }
        new BronzeLake(lake).merge(Ticker.of(symbol), rows);
    }

    @Test
    void manyTickersOverFewSessionsUseGroupedCallsStagedOnceForAllBatches() throws Exception {
        Selection s = backfill("{'start':'2024-01-01','end':'2024-02-29','selection':{'tickers':[" + tickers(200) + "]}}");
        FetchPlan plan = s.plans().getFirst();
        assertThat(plan.method()).isEqualTo(FetchMethod.GROUPED);
        assertThat(plan.calls()).isEqualTo(41);
        assertThat(plan.rangeCalls()).isEqualTo(200);
        assertThat(plan.freePlanFloor().toSeconds()).isEqualTo(41 * 12);
        assertThat(plan.reason()).contains("41 grouped-daily calls").contains("rather than 200 range calls");
        assertThat(s.sessions()).hasValueSatisfying(f -> assertThat(f.range()).hasToString("2024-01-02..2024-02-29"));
        assertThat(s.batches()).as("a grouped plan's default batch holds 250 tickers").hasSize(1)
                .allSatisfy(b -> assertThat(b.fetch()).isEqualTo(FetchMethod.GROUPED))
                .allSatisfy(b -> assertThat(b.tickers()).hasSize(200));
    }

    @Test
    void withoutARateLimitReadingWholeMarketSessionsOutweighsTheirFewerCalls() throws Exception {
        // January and February 2024: 41 sessions. By the README's model with no limit, 100 tickers cost 100 x 0.05 = 5 s
        // of range calls against 41 x (0.05 + 0.17) = 9.02 s of grouped sessions; on the free plan 1,200 s against 498.97 s.
        String range = "'start':'2024-01-01','end':'2024-02-29','selection':{'tickers':[" + tickers(100) + "]}";
        Selection first = backfill("{" + range + ",'requests_per_minute':0}");
        progress.releaseLease(first.runId());
        FetchPlan unlimited = first.plans().getFirst();
        assertThat(unlimited.method()).isEqualTo(FetchMethod.RANGE);
        assertThat(unlimited.groupedCalls()).isLessThan(unlimited.rangeCalls());
        FetchPlan free = backfill("{" + range + "}").plans().getFirst();
        assertThat(free.method()).isEqualTo(FetchMethod.GROUPED);
        assertThat(free.groupedSeconds()).isCloseTo(498.97, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void fewTickersOverManySessionsUseRangeCalls() throws Exception {
        Selection s = backfill("{'start':'2019-01-01','end':'2023-12-31','selection':{'tickers':['A','B','C']}}");
        assertThat(s.plans().getFirst().method()).isEqualTo(FetchMethod.RANGE);
        assertThat(s.plans().getFirst().calls()).isEqualTo(3);
        assertThat(s.sessions()).isEmpty();
        assertThat(s.batches()).allSatisfy(b -> assertThat(b.range()).hasToString("2019-01-01..2023-12-31"));
    }

    @Test
    void eitherWayCanBeForcedAndTheReasonSaysSo() throws Exception {
        Selection s = backfill("{'start':'2024-01-01','end':'2024-02-29','selection':{'tickers':[" + tickers(200)
                + "]},'fetch':'range'}");
        assertThat(s.plans().getFirst().method()).isEqualTo(FetchMethod.RANGE);
        assertThat(s.plans().getFirst().reason()).contains("(forced) instead of 41 grouped-daily calls");
        new RunControl(progress, CLOCK).finish(s.runId());
        Selection grouped = backfill("{'start':'2019-01-01','end':'2023-12-31','selection':{'tickers':['A']},'fetch':'grouped'}");
        assertThat(grouped.plans().getFirst().calls()).isEqualTo(1258);
    }

    @Test
    void groupedCallsStopBeforeTodayInNewYork() throws Exception {
        Selection s = backfill("{'start':'2024-05-20','end':'2024-12-31','selection':{'tickers':[" + tickers(50) + "]}}");
        assertThat(s.sessions()).hasValueSatisfying(f -> assertThat(f.range()).hasToString("2024-05-20..2024-05-31"));
    }

    @Test
    void aDailyRunCatchesEachSymbolUpFromItsOwnLastSession() throws Exception {
        List<String> traded = List.of("AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH");
        traded.forEach(t -> inLake(t, "2024-05-01", "2024-05-22"));
        inLake("LATE", "2024-05-01", "2024-05-10");
        Selection s = daily("{'mode':'daily'}");
        assertThat(s.runId().value()).isEqualTo("daily-20240603");
        // 27 May was Memorial Day: the 23rd, 24th, 28th..31st remain, one grouped call each for all eight.
        assertThat(s.sessions()).hasValueSatisfying(f -> {
            assertThat(f.range()).hasToString("2024-05-23..2024-05-31");
            assertThat(f.expectedSymbols()).isEqualTo(8);
        });
        assertThat(s.plans().getFirst().calls()).isEqualTo(6);
        // The one that fell behind is caught up from its own last session, by one range call rather than 7 more grouped.
        assertThat(s.plans().get(1).method()).isEqualTo(FetchMethod.RANGE);
        assertThat(s.batches()).filteredOn(b -> b.fetch() == FetchMethod.RANGE).singleElement().satisfies(b -> {
            assertThat(b.tickers()).extracting(Ticker::value).containsExactly("LATE");
            assertThat(b.rangeOf(Ticker.of("LATE"))).hasToString("2024-05-13..2024-05-31");
        });
        assertThat(s.batches()).flatExtracting(Batch::tickers).extracting(Ticker::value).hasSize(9);
        assertThat(s.done()).isFalse();
    }

    @Test
    void aSmallLakeCatchingUpAWeekUsesOneRangeCallPerSymbolInstead() throws Exception {
        inLake("AAA", "2024-05-01", "2024-05-22");
        inLake("BBB", "2024-05-01", "2024-05-22");
        Selection s = daily("{'mode':'daily'}");
        assertThat(s.plans().getFirst().method()).isEqualTo(FetchMethod.RANGE);
        assertThat(s.sessions()).isEmpty();
        assertThat(s.batches()).allSatisfy(b -> assertThat(b.range()).hasToString("2024-05-23..2024-05-31"));
        assertThat(s.done()).isFalse();
    }

    @Test
    void aRepeatedTriggerForTheSameDayIsANoOp() throws Exception {
        inLake("AAA", "2024-05-01", "2024-05-30");
        Selection first = daily("{'mode':'daily','scheduled_time':'2024-06-03T10:00:00Z'}");
        assertThat(first.runId().value()).isEqualTo("daily-20240603");
        int epoch = progress.run(first.runId()).orElseThrow().epoch();
        Selection again = daily("{'mode':'daily','as_of':'2024-06-03'}");
        assertThat(again.done()).isTrue();
        assertThat(again.batches()).isEmpty();
        assertThat(again.message()).contains("already exists (RUNNING)").contains("resume it");
        assertThat(progress.run(first.runId()).orElseThrow().epoch()).isEqualTo(epoch);
    }

    @Test
    void forceRunsADayAgainUnderANumberedRunId() throws Exception {
        inLake("AAA", "2024-05-01", "2024-05-30");
        Selection first = daily("{'mode':'daily','as_of':'2024-06-03'}");
        new RunControl(progress, CLOCK).finish(first.runId());
        Selection forced = daily("{'mode':'daily','as_of':'2024-06-03','force':true}");
        assertThat(forced.done()).isFalse();
        assertThat(forced.runId().value()).isEqualTo("daily-20240603-2");
        new RunControl(progress, CLOCK).finish(forced.runId());
        assertThat(daily("{'mode':'daily','as_of':'2024-06-03','force':true}").runId().value()).isEqualTo("daily-20240603-3");
    }

    @Test
    void aHolidayOrWeekendHasNothingToFetchAndEndsCompleteSayingWhy() throws Exception {
        inLake("AAA", "2024-03-01", "2024-03-28");
        Selection s = daily("{'mode':'daily','as_of':'2024-04-01'}");
        assertThat(s.done()).isTrue();
        assertThat(s.message()).isEqualTo("nothing to fetch: no session between the lake's last session 2024-03-28 and"
                + " 2024-04-01: 2024-03-29 (an exchange holiday), 2024-03-30 (a weekend), 2024-03-31 (a weekend)");
        assertThat(progress.run(s.runId())).as("a day with nothing to do records no run").isEmpty();
        assertThat(progress.lease()).as("and holds no lease").isEmpty();
        Selection saturday = daily("{'mode':'daily','as_of':'2024-03-30'}");
        assertThat(saturday.message()).endsWith("2024-03-30 itself is a weekend");
        // A symbol backfilled later that day gives the same day's next run work: it is not blocked by the first.
        inLake("BBB", "2024-03-01", "2024-03-20");
        Selection later = daily("{'mode':'daily','as_of':'2024-04-01'}");
        assertThat(later.done()).isFalse();
        assertThat(later.runId().value()).isEqualTo("daily-20240401");
        assertThat(later.batches()).flatExtracting(Batch::tickers).extracting(Ticker::value).containsExactly("BBB");
    }

    @Test
    void newUniverseMembersGetTheirHistoryByRangeCallsAndKeepItOnResume() throws Exception {
        inLake("AAA", "2024-05-01", "2024-05-30");
        Selection s = daily("{'mode':'daily','universe':'cs','include_delisted':true,'history_start':'2020-01-01'}");
        assertThat(s.batches()).extracting(b -> b.tickers() + ":" + b.fetch().json() + ":" + b.range())
                .containsExactly("[AAA]:grouped:2024-05-31..2024-05-31", "[NEW, OLD]:range:2020-01-01..2024-05-31");
        assertThat(lake.list(UniverseCache.PREFIX)).containsExactly("reference/universe/cs-with-delisted.json");

        var progressOfAaa = s.batches().getFirst();
        progress.claim(s.runId(), Ticker.of("AAA"), s.epoch(), 0, CLOCK.instant());
        progress.markFetched(s.runId(), Ticker.of("AAA"), s.epoch(), 1, 0, CLOCK.instant());
        progress.markSucceeded(s.runId(), Ticker.of("AAA"), progressOfAaa.epoch(), CLOCK.instant());
        Selection resumed = selector.select(BackfillRequest.parse(json("{'run_id':'" + s.runId() + "'}")), Optional.empty());
        assertThat(resumed.batches()).extracting(b -> b.tickers() + ":" + b.fetch().json()).containsExactly("[NEW, OLD]:range");
        assertThat(reference.queries()).hasSize(2);
    }

    @Test
    void aDailyRunTracksTheMembersOfAUniverseEntry() throws Exception {
        inLake("AAA", "2024-05-01", "2024-05-30");
        InMemoryCacheEntryStore entries = new InMemoryCacheEntryStore();
        entries.upsert(List.of(new CacheEntry("themes", "AI", "list", JSON.createArrayNode().add("NEW").add("AAA"))),
                CLOCK.instant());
        TickerSelector withTables = new TickerSelector(progress, reference, actions, Optional.empty(),
                Optional.of(new ReferenceTables(new InMemorySymbolStore(), entries)), Optional.empty(), lake,
                JSON.createObjectNode(), FREE_PLAN_REQUESTS_PER_MINUTE, CLOCK, new SplittableRandom(5));
        Selection s = withTables.daily(DailyRequest.parse(json("{'mode':'daily','universe_entry':'themes/AI/list',"
                + "'history_start':'2020-01-01'}"), CLOCK), Optional.empty());
        assertThat(s.batches()).extracting(b -> b.tickers() + ":" + b.fetch().json())
                .containsExactly("[AAA]:grouped", "[NEW]:range");
        assertThat(JSON.readTree(progress.run(s.runId()).orElseThrow().input()).path("universe_entry").asText())
                .isEqualTo("themes/AI/list");
        assertThatThrownBy(() -> daily("{'mode':'daily','universe':'cs','universe_entry':'themes/AI/list'}"))
                .hasMessageStartingWith("universe_entry: give universe or universe_entry, not both");
    }

    @Test
    void dailyInputErrorsNameTheField() {
        assertThatThrownBy(() -> daily("{'mode':'daily','as_of':'2024-06-03','scheduled_time':'2024-06-03T10:00:00Z'}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("as_of: cannot be given with scheduled_time");
        assertThatThrownBy(() -> daily("{'mode':'daily','scheduled_time':'tomorrow'}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("scheduled_time: 'tomorrow'");
        assertThatThrownBy(() -> daily("{'mode':'daily','universe':'stocks'}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("universe: 'stocks'");
        assertThatThrownBy(() -> daily("{'mode':'daily','history_start':'2030-01-01'}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("history_start:");
    }
}
