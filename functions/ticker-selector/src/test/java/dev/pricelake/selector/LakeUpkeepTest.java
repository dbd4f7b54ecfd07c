package dev.pricelake.selector;

import static dev.pricelake.adapters.polygon.PolygonConfig.FREE_PLAN_REQUESTS_PER_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.LakeBusyException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.InMemoryCorporateActionSource;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.TickerChange;
import dev.pricelake.core.bronze.Adjustment;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.bronze.Provenance;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.TickerStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What every run decides before it fetches: the lease, a named run, and the histories a split or a rename made stale. */
class LakeUpkeepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-20T11:00:00Z"), ZoneOffset.UTC);
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final InMemoryCorporateActionSource actions = new InMemoryCorporateActionSource();
    private final TickerSelector selector = new TickerSelector(progress, new InMemoryReferenceSource(List.of()), actions,
            Optional.empty(), Optional.empty(), Optional.empty(), lake, JSON.createObjectNode().put("url", "http://127.0.0.1:1"),
            FREE_PLAN_REQUESTS_PER_MINUTE, CLOCK, new SplittableRandom(11));

    /** A bronze file with a bar on every session of the range, fetched split-adjusted as of its last day. */
    private void inLake(String symbol, String first, String last) {
        List<BronzeRow> rows = new ArrayList<>();
        DateRange range = DateRange.parse(first, last);
        for (LocalDate d : CALENDAR.sessions(range)) {
            rows.add(new BronzeRow(new Bar(Ticker.of(symbol), d, 10, 11, 9, 10, 100, null, null), CLOCK.instant()));
        }
        new BronzeLake(lake).merge(Ticker.of(symbol), rows, new Provenance(Adjustment.splitsThrough(range.end()), range,
                new TreeSet<>(), "").toMetadata(CALENDAR));
    }

    private Selection daily(String asOf) throws Exception {
        return selector.daily(DailyRequest.parse(JSON.readTree("{\"mode\":\"daily\",\"as_of\":\"" + asOf + "\"}"), CLOCK),
                Optional.empty());
    }

    private Selection backfill(String json) throws Exception {
        return selector.select(BackfillRequest.parse(JSON.readTree(json.replace('\'', '"'))), Optional.empty());
    }

    @Test
    void aSplitAfterAFileWasFetchedMakesTheRunFetchItsWholeHistoryAgain() throws Exception {
        inLake("AAA", "2024-01-02", "2024-06-14");
        inLake("BBB", "2024-01-02", "2024-06-14");
        actions.add(new Split(Ticker.of("AAA"), LocalDate.of(2024, 6, 17), 1, 4))
                .add(new Split(Ticker.of("BBB"), LocalDate.of(2024, 3, 1), 1, 2));
        Selection s = daily("2024-06-19");
        assertThat(s.batches()).filteredOn(Batch::replace).singleElement().satisfies(b -> {
            assertThat(b.tickers()).extracting(Ticker::value).containsExactly("AAA");
            assertThat(b.rangeOf(Ticker.of("AAA"))).hasToString("2024-01-02..2024-06-18");
        });
        assertThat(s.batches()).filteredOn(b -> !b.replace()).flatExtracting(Batch::tickers).extracting(Ticker::value)
                .as("BBB's split predates its file: it is caught up only").containsExactly("BBB");
        assertThat(s.upkeep().orElseThrow().replace().get(Ticker.of("AAA")).reasons()).containsExactly("split AAA 2024-06-17 4-for-1");
        assertThat(progress.run(s.runId()).orElseThrow().input()).contains("\"replace\":{\"AAA\"").contains("4-for-1");
    }

    @Test
    void aSilentSymbolIsLookedIntoOnceAndARenameMovesItsHistoryUnderTheNewTicker() throws Exception {
        inLake("FB", "2024-01-02", "2024-06-07");
        inLake("ZZZ", "2024-01-02", "2024-06-14");
        // The lake asked about FB through the 14th and the source had nothing after the 7th.
        new BronzeLake(lake).merge(Ticker.of("FB"), List.of(), new Provenance(Adjustment.splitsThrough(LocalDate.of(2024, 6, 7)),
                DateRange.parse("2024-01-02", "2024-06-14"), new TreeSet<>(CALENDAR.sessions(DateRange.parse("2024-06-10",
                "2024-06-14"))), "").toMetadata(CALENDAR));
        actions.add(new TickerChange(Ticker.of("FB"), Ticker.of("META"), LocalDate.of(2024, 6, 10), "BBG000MM2P62", "1326801"));

        Selection s = daily("2024-06-19");
        assertThat(actions.asked()).contains("changes FB 2024-06-07").noneMatch(a -> a.startsWith("changes ZZZ"));
        assertThat(s.upkeep().orElseThrow().retire()).containsEntry(Ticker.of("FB"), Ticker.of("META"));
        assertThat(s.batches()).filteredOn(Batch::replace).singleElement().satisfies(b -> {
            assertThat(b.tickers()).extracting(Ticker::value).containsExactly("META");
            assertThat(b.rangeOf(Ticker.of("META"))).hasToString("2024-01-02..2024-06-18");
            assertThat(b.retire()).containsEntry(Ticker.of("FB"), Ticker.of("META"));
        });
        assertThat(new CorporateActionLake(lake).tickerChanges()).hasSize(1);
        new RunControl(progress, CLOCK).finish(s.runId());
        daily("2024-06-20");
        assertThat(actions.asked().stream().filter(a -> a.startsWith("changes FB"))).as("looked into once").hasSize(1);
    }

    @Test
    void anotherRunCannotStartWhileOneHoldsTheLakeAndADeadOnesLeaseLapses() throws Exception {
        inLake("AAA", "2024-01-02", "2024-06-14");
        Selection first = daily("2024-06-19");
        assertThatThrownBy(() -> backfill("{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['BBB']}}"))
                .isInstanceOf(LakeBusyException.class).hasMessageContaining("run " + first.runId() + " is writing the lake");
        assertThat(progress.runs()).as("nothing recorded for the refused start").hasSize(1);
        TickerSelector later = new TickerSelector(progress, new InMemoryReferenceSource(List.of()), actions, Optional.empty(),
                Optional.empty(), Optional.empty(), lake, JSON.createObjectNode(), FREE_PLAN_REQUESTS_PER_MINUTE, Clock.offset(CLOCK, java.time.Duration.ofMinutes(21)),
                new SplittableRandom(12));
        assertThat(later.select(BackfillRequest.parse(JSON.readTree("{\"start\":\"2024-01-01\",\"end\":\"2024-02-01\","
                + "\"selection\":{\"tickers\":[\"BBB\"]}}")), Optional.empty()).batches()).isNotEmpty();
    }

    @Test
    void aNamedRunStartedAgainResumesItAndWithAnotherInputIsRefusedNamingTheDifference() throws Exception {
        String start = "{'run_id':'sp500-h1','start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['AAA','BBB']}}";
        Selection first = backfill(start);
        assertThat(first.runId()).isEqualTo(new RunId("sp500-h1"));
        progress.claim(first.runId(), Ticker.of("AAA"), 1, 0, CLOCK.instant());
        progress.markFetched(first.runId(), Ticker.of("AAA"), 1, 20, 0, CLOCK.instant());
        progress.markSucceeded(first.runId(), Ticker.of("AAA"), 1, CLOCK.instant());

        Selection again = backfill(start);
        assertThat(again.resumed()).isTrue();
        assertThat(again.epoch()).isEqualTo(2);
        assertThat(again.batches()).flatExtracting(Batch::tickers).extracting(Ticker::value).containsExactly("BBB");
        assertThat(progress.tickers(first.runId()).getFirst().status()).isEqualTo(TickerStatus.SUCCEEDED);

        assertThatThrownBy(() -> backfill(start.replace("2024-02-01", "2024-03-01").replace("'AAA',", "")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("run sp500-h1 exists with another input")
                .hasMessageContaining("end 2024-02-01 then, 2024-03-01 now")
                .hasMessageContaining("selection {\"tickers\":[\"AAA\",\"BBB\"]} then, {\"tickers\":[\"BBB\"]} now");
    }

    @Test
    void anUnadjustedRunIsRefusedOnASplitAdjustedLake() throws Exception {
        inLake("AAA", "2024-01-02", "2024-06-14");
        assertThatThrownBy(() -> backfill("{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['AAA']},'adjusted':false}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("adjusted: false: the lake holds split-adjusted (through 2024-06-14) bars");
    }

    @Test
    void aBackfillEndingTodayPlansNothingOfTodaysSession() throws Exception {
        Selection s = backfill("{'start':'2024-06-03','end':'2024-06-20','selection':{'tickers':['AAA']}}");
        assertThat(s.batches()).singleElement().satisfies(b -> assertThat(b.range().end()).isEqualTo(LocalDate.of(2024, 6, 19)));
        assertThatThrownBy(() -> backfill("{'start':'2024-06-20','end':'2024-06-21','selection':{'tickers':['AAA']}}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("start: 2024-06-20 has no closed session yet");
    }
}
