package dev.pricelake.selector;

import static dev.pricelake.adapters.polygon.PolygonConfig.FREE_PLAN_REQUESTS_PER_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.InMemoryReferenceSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.InMemoryCorporateActionSource;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.core.reference.CacheEntry;
import dev.pricelake.core.reference.InMemoryCacheEntryStore;
import dev.pricelake.core.reference.InMemorySymbolStore;
import dev.pricelake.core.reference.ReferenceTables;
import dev.pricelake.core.reference.Symbol;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TickerSelectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-05T11:00:00Z"), ZoneOffset.UTC);
    private final InMemoryProgressStore progress = new InMemoryProgressStore();
    private final InMemoryObjectStore lake = new InMemoryObjectStore();

    /** A reference source listing some tickers out of order, of two types. */
    private static final ReferenceSource REFERENCE = new InMemoryReferenceSource(List.of(
            new ReferenceSource.ListedTicker(Ticker.of("ZZ"), "Z", "CS", "XNYS", true),
            new ReferenceSource.ListedTicker(Ticker.of("AA"), "A", "CS", "XNYS", true),
            new ReferenceSource.ListedTicker(Ticker.of("EE"), "E", "ETF", "ARCX", true)));

    private final TickerSelector selector = selector(Optional.empty(), Optional.empty());

    private TickerSelector selector(Optional<dev.pricelake.core.MentionsSource> mentions, Optional<ReferenceTables> tables) {
        return new TickerSelector(progress, REFERENCE, new InMemoryCorporateActionSource(), mentions, tables, Optional.empty(),
                lake, JSON.createObjectNode().put("url", "http://127.0.0.1:1"), FREE_PLAN_REQUESTS_PER_MINUTE, CLOCK,
                new SplittableRandom(3));
    }

    private Selection select(BackfillRequest request) {
        return selector.select(request, Optional.empty());
    }

    private BackfillRequest request(String json) throws Exception {
        return BackfillRequest.parse(JSON.readTree(json.replace('\'', '"')));
    }

    private static String tickers(int n) {
        return String.join(",", IntStream.range(0, n).mapToObj(i -> "'T" + i + "'").toList());
    }

    @Test
    void aNewRunRecordsEveryTickerPendingAndBatchesThem() throws Exception {
        Selection s = select(request("{'start':'2024-01-01','end':'2024-06-30','selection':{'tickers':[" + tickers(7)
                + "]},'batch_size':3,'max_concurrency':4}"));

        assertThat(s.runId().value()).startsWith("backfill-20260105-110000-");
        assertThat(s.epoch()).isEqualTo(1);
        assertThat(s.maxConcurrency()).isEqualTo(4);
        assertThat(s.batches()).extracting(b -> b.tickers().size()).containsExactly(3, 3, 1);
        assertThat(s.batches()).extracting(Batch::batch).containsExactly(0, 1, 2);
        assertThat(s.batches()).allSatisfy(b -> {
            assertThat(b.epoch()).isEqualTo(1);
            assertThat(b.range().end()).hasToString("2024-06-30");
        });
        assertThat(progress.run(s.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(progress.tickers(s.runId())).hasSize(7).allSatisfy(t -> assertThat(t.status()).isEqualTo(TickerStatus.PENDING));
        assertThat(progress.tickers(s.runId()).get(6).batch()).isEqualTo(2);
    }

    @Test
    void aResumeBatchesOnlyWhatIsNotSucceededWithTheRunsOwnSettings() throws Exception {
        Selection first = select(request("{'start':'2024-01-01','end':'2024-06-30','selection':{'tickers':["
                + tickers(5) + "]},'batch_size':2,'adjusted':false}"));
        RunId run = first.runId();
        for (String done : List.of("T0", "T3")) {
            progress.claim(run, Ticker.of(done), 1, 0, CLOCK.instant());
            progress.markFetched(run, Ticker.of(done), 1, 10, 0, CLOCK.instant());
            progress.markSucceeded(run, Ticker.of(done), 1, CLOCK.instant());
        }
        progress.markStopped(run, Ticker.of("T1"), 1, TickerStatus.RATE_LIMITED, "429", CLOCK.instant());

        Selection resumed = select(request("{'run_id':'" + run + "'}"));

        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.epoch()).isEqualTo(2);
        assertThat(resumed.batches()).flatExtracting(Batch::tickers).extracting(Ticker::value).containsExactly("T1", "T2", "T4");
        assertThat(resumed.batches()).extracting(b -> b.tickers().size()).containsExactly(2, 1);
        assertThat(resumed.batches()).allSatisfy(b -> {
            assertThat(b.adjusted()).isFalse();
            assertThat(b.range().start()).hasToString("2024-01-01");
        });
        assertThat(select(request("{'run_id':'" + run + "','batch_size':5}")).batches()).hasSize(1);
    }

    @Test
    void aBatchSizeNotGivenIsThePlansOwnOnEveryAttemptAndAGivenOneWins() throws Exception {
        String market = "{'start':'2024-01-01','end':'2024-06-30','selection':{'tickers':[" + tickers(300) + "]}";
        Selection grouped = select(request(market + ",'fetch':'grouped'}"));
        assertThat(grouped.batches()).extracting(b -> b.tickers().size()).containsExactly(250, 50);
        assertThat(JSON.readTree(progress.run(grouped.runId()).orElseThrow().input()).has("batch_size")).isFalse();
        Ticker done = grouped.batches().getFirst().tickers().getFirst();
        progress.claim(grouped.runId(), done, 1, 0, CLOCK.instant());
        progress.markFetched(grouped.runId(), done, 1, 10, 0, CLOCK.instant());
        progress.markSucceeded(grouped.runId(), done, 1, CLOCK.instant());
        assertThat(select(request("{'run_id':'" + grouped.runId() + "'}")).batches()).extracting(b -> b.tickers().size())
                .as("the resume re-batches by the plan's default, as the first attempt did").containsExactly(250, 49);
        assertThat(select(request("{'run_id':'" + grouped.runId() + "','batch_size':100}")).batches())
                .extracting(b -> b.tickers().size()).containsExactly(100, 100, 99);
        new RunControl(progress, CLOCK).finish(grouped.runId());

        Selection range = select(request(market + ",'fetch':'range'}"));
        assertThat(range.batches()).hasSize(6).allSatisfy(b -> assertThat(b.tickers()).hasSize(50));
        new RunControl(progress, CLOCK).finish(range.runId());

        Selection given = select(request(market + ",'fetch':'grouped','batch_size':120}"));
        assertThat(given.batches()).extracting(b -> b.tickers().size()).containsExactly(120, 120, 60);
        assertThat(select(request("{'run_id':'" + given.runId() + "'}")).batches()).extracting(b -> b.tickers().size())
                .as("the resume keeps the size the run was given").containsExactly(120, 120, 60);
    }

    @Test
    void aRunsOwnRateGoesWithEveryBatchAndItsResumeKeepsItUnlessToldOtherwise() throws Exception {
        Selection first = select(request("{'start':'2024-01-01','end':'2024-06-30','selection':{'tickers':["
                + tickers(3) + "]},'batch_size':2,'requests_per_minute':100}"));
        assertThat(first.batches()).hasSize(2).allSatisfy(b -> assertThat(b.requestsPerMinute()).isEqualTo(100));
        assertThat(first.requestsPerMinute()).isEqualTo(100);
        Selection resumed = select(request("{'run_id':'" + first.runId() + "'}"));
        assertThat(resumed.batches()).allSatisfy(b -> assertThat(b.requestsPerMinute()).isEqualTo(100));
        Selection slower = select(request("{'run_id':'" + first.runId() + "','requests_per_minute':5}"));
        assertThat(slower.batches()).allSatisfy(b -> assertThat(b.requestsPerMinute()).isEqualTo(5));
        new RunControl(progress, CLOCK).finish(first.runId());
        Selection byDefault = select(request("{'start':'2024-01-01','end':'2024-06-30','selection':{'tickers':['A']}}"));
        assertThat(byDefault.batches()).allSatisfy(b -> assertThat(b.requestsPerMinute()).as("the deployment's").isNull());
    }

    @Test
    void resumingACompleteRunHasNothingToDo() throws Exception {
        Selection first = select(request("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':['A']}}"));
        progress.claim(first.runId(), Ticker.of("A"), 1, 0, CLOCK.instant());
        progress.markFetched(first.runId(), Ticker.of("A"), 1, 1, 0, CLOCK.instant());
        progress.markSucceeded(first.runId(), Ticker.of("A"), 1, CLOCK.instant());
        assertThat(select(request("{'run_id':'" + first.runId() + "'}")).batches()).isEmpty();
    }

    @Test
    void anUnknownRunIdSaysSo() throws Exception {
        assertThatThrownBy(() -> select(request("{'run_id':'backfill-20240101-000000-0123abcd'}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("run_id: no run backfill-20240101-000000-0123abcd in the progress table");
    }

    @Test
    void aUniverseIsTheSortedListOfItsType() throws Exception {
        Selection cs = select(request("{'start':'2024-01-01','end':'2024-01-31','selection':{'universe':'cs'}}"));
        assertThat(cs.batches().getFirst().tickers()).extracting(Ticker::value).containsExactly("AA", "ZZ");
        new RunControl(progress, CLOCK).finish(cs.runId());
        Selection all = select(request("{'start':'2024-01-01','end':'2024-01-31','selection':{'universe':'all'}}"));
        assertThat(all.tickers()).isEqualTo(3);
    }

    @Test
    void topMentionsWithoutTheMentionsTableIsRefusedBeforeAnythingIsWritten() throws Exception {
        BackfillRequest mentions = request("{'start':'2024-01-01','end':'2024-01-31','selection':{'top_mentions':5}}");
        assertThatThrownBy(() -> select(mentions)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("selection.top_mentions: needs the PostgreSQL mentions table");
        TickerSelector withMentions = selector(Optional.of((count, min) -> List.of(Ticker.of("M1"), Ticker.of("M2"))),
                Optional.empty());
        assertThat(withMentions.select(mentions, Optional.empty()).batches().getFirst().tickers()).extracting(Ticker::value)
                .containsExactly("M1", "M2");
    }

    @Test
    void markingAFetchStopLeavesFetchedTickersForWriteBronze() throws Exception {
        Selection s = select(request("{'start':'2024-01-01','end':'2024-01-31','selection':{'tickers':['A','B','C']}}"));
        Batch batch = s.batches().getFirst();
        RunId run = s.runId();
        progress.claim(run, Ticker.of("A"), 1, 0, CLOCK.instant());
        progress.markFetched(run, Ticker.of("A"), 1, 20, 0, CLOCK.instant());
        RunControl control = new RunControl(progress, CLOCK);

        assertThat(control.markBatch(batch, TickerStatus.RATE_LIMITED, "429", false)).isEqualTo(2);
        assertThat(progress.tickers(run)).extracting(TickerProgress::status)
                .containsExactly(TickerStatus.FETCHED, TickerStatus.RATE_LIMITED, TickerStatus.RATE_LIMITED);
        assertThat(control.markBatch(batch, TickerStatus.FAILED, "write crashed", true)).isEqualTo(3);
        assertThat(control.finish(run).status()).isEqualTo(RunStatus.FAILED);
        assertThat(progress.run(run).orElseThrow().counts()).containsEntry("failed", 3L);
    }

    private static final Instant BUILT = Instant.parse("2026-01-04T10:00:00Z");

    /** The organized universes as a rebuild leaves them, with an application's settings beside them. */
    private static ReferenceTables tables() {
        InMemoryCacheEntryStore entries = new InMemoryCacheEntryStore();
        ObjectNode mega = JsonNodeFactory.instance.objectNode();
        mega.putArray("tickers").add("MSFT").add("AAPL");
        entries.upsert(List.of(new CacheEntry("stock_universe", "market_cap", "mega_cap", mega),
                new CacheEntry("stock_universe", "market_cap", "micro_cap", JsonNodeFactory.instance.objectNode().set("tickers",
                        JsonNodeFactory.instance.arrayNode())),
                new CacheEntry("themes", "AI", "list", JsonNodeFactory.instance.arrayNode().add("NVDA")),
                new CacheEntry("app_settings", "ui", "default", JsonNodeFactory.instance.objectNode().put("theme", "dark"))), BUILT);
        return new ReferenceTables(new InMemorySymbolStore(), entries);
    }

    @Test
    void aUniverseEntrySelectsItsTickersInItsOrder() throws Exception {
        TickerSelector withTables = selector(Optional.empty(), Optional.of(tables()));
        Selection s = withTables.select(request("{'start':'2024-01-01','end':'2024-01-31',"
                + "'selection':{'universe_entry':'stock_universe/market_cap/mega_cap'},'fetch':'range'}"), Optional.empty());
        assertThat(s.batches().getFirst().tickers()).extracting(Ticker::value).containsExactly("MSFT", "AAPL");
        assertThat(JSON.readTree(progress.run(s.runId()).orElseThrow().input()).at("/selection/universe_entry").asText())
                .isEqualTo("stock_universe/market_cap/mega_cap");
    }

    @Test
    void anUnknownEntryIsRefusedWithTheEntriesThatExistBeforeAnythingIsWritten() throws Exception {
        TickerSelector withTables = selector(Optional.empty(), Optional.of(tables()));
        BackfillRequest typo = request("{'start':'2024-01-01','end':'2024-01-31',"
                + "'selection':{'universe_entry':'stock_universe/market_cap/mega'}}");
        assertThatThrownBy(() -> withTables.select(typo, Optional.empty())).isInstanceOf(InvalidInputException.class)
                .hasMessage("selection.universe_entry: 'stock_universe/market_cap/mega' is not a universe entry; the entries are:"
                        + " stock_universe/market_cap/{mega_cap, micro_cap}; themes/AI/list");
        assertThat(lake.list("")).isEmpty();
        assertThatThrownBy(() -> select(typo)).hasMessageContaining("needs PostgreSQL's cache_entries");
        BackfillRequest empty = request("{'start':'2024-01-01','end':'2024-01-31',"
                + "'selection':{'universe_entry':'stock_universe/market_cap/micro_cap'}}");
        assertThatThrownBy(() -> withTables.select(empty, Optional.empty())).hasMessage("selection: selects no tickers");
    }

    @Test
    void aListedUniverseKeepsTheSymbolsTableCurrentAtNoApiCost() throws Exception {
        ReferenceTables tables = tables();
        TickerSelector withTables = selector(Optional.empty(), Optional.of(tables));
        withTables.select(request("{'start':'2024-01-01','end':'2024-01-31','selection':{'universe':'cs'}}"), Optional.empty());
        assertThat(tables.symbols().all()).containsExactly(
                Symbol.listed(Ticker.of("AA"), "A", "CS", "XNYS", true, CLOCK.instant()),
                Symbol.listed(Ticker.of("ZZ"), "Z", "CS", "XNYS", true, CLOCK.instant()));
    }

    @Test
    void aSymbolsRefreshIsNotResumedByTheStateMachine() {
        assertThatThrownBy(() -> select(BackfillRequest.parse(JSON.createObjectNode()
                .put("run_id", "symbols-20260105-110000-0123abcd"))))
                .hasMessageStartingWith("run_id: symbols-20260105-110000-0123abcd is a symbols refresh");
    }
}
