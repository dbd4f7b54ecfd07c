package dev.pricelake.core.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Refreshing the corporate actions: only what is new since the last refresh, whole windows, the same data twice. */
class CorporateActionsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-06-20T11:00:00Z"), ZoneOffset.UTC);
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final CorporateActionLake lake = new CorporateActionLake(objects);
    private final InMemoryCorporateActionStore database = new InMemoryCorporateActionStore();
    private final InMemoryCorporateActionSource source = new InMemoryCorporateActionSource()
            .add(new Split(Ticker.of("OLD"), LocalDate.of(2023, 2, 1), 1, 2))
            .add(new Split(Ticker.of("AAA"), LocalDate.of(2024, 6, 3), 1, 4))
            .add(new Split(Ticker.of("BBB"), LocalDate.of(2024, 6, 18), 10, 1))
            .add(new Dividend(Ticker.of("AAA"), LocalDate.of(2024, 6, 14), LocalDate.of(2024, 6, 28), null, null, 0.25, "USD", 4, "CD"));
    private final CorporateActions actions = new CorporateActions(source, lake, Optional.of(database), CLOCK);

    @Test
    void aFirstRefreshLooksBackAFewWeeksAndALaterOneOnlyAtWhatIsNew() {
        CorporateActions.Refresh first = actions.refresh(LocalDate.of(2024, 6, 17), LocalDate.of(2024, 6, 17), Duration.ZERO);
        assertThat(source.asked()).containsExactly("splits 2024-05-18..2024-06-17", "dividends 2024-06-10..2024-06-17");
        assertThat(first.newSplits()).extracting(Split::ticker).containsExactly(Ticker.of("AAA"));
        assertThat(first.newDividends()).isEqualTo(1);
        assertThat(lake.splits()).isEqualTo(database.splits()).extracting(Split::ticker).containsExactly(Ticker.of("AAA"));
        assertThat(objects.list("reference/")).contains("reference/splits/year=2024/splits.jsonl",
                "reference/dividends/year=2024/dividends.jsonl", CorporateActionLake.STATE_KEY);

        CorporateActions.Refresh same = actions.refresh(LocalDate.of(2024, 6, 17), LocalDate.of(2024, 6, 17), Duration.ZERO);
        assertThat(same.windows()).as("nothing new to ask").isEmpty();

        CorporateActions.Refresh next = actions.refresh(LocalDate.of(2024, 6, 18), LocalDate.of(2024, 6, 17), Duration.ZERO);
        assertThat(source.asked().subList(2, 4)).containsExactly("splits 2024-05-18..2024-06-18", "dividends 2024-06-10..2024-06-18");
        assertThat(next.newSplits()).extracting(Split::ticker).as("what was seen before is not new").containsExactly(Ticker.of("BBB"));
        assertThat(lake.state().splits()).hasValueSatisfying(c -> assertThat(c.through()).isEqualTo(LocalDate.of(2024, 6, 18)));
    }

    @Test
    void olderHistoryComesAWindowAtATimeWhileTheBudgetLasts() {
        actions.refresh(LocalDate.of(2024, 6, 17), LocalDate.of(2023, 1, 1), Duration.ofDays(1));
        assertThat(lake.splits()).extracting(Split::ticker).containsExactly(Ticker.of("OLD"), Ticker.of("AAA"));
        assertThat(lake.state().splits()).hasValueSatisfying(c -> assertThat(c.since()).isEqualTo(LocalDate.of(2023, 1, 1)));
        assertThat(lake.state().dividends()).hasValueSatisfying(c -> assertThat(c.since()).isEqualTo(LocalDate.of(2023, 1, 1)));
        int asked = source.asked().size();
        actions.refresh(LocalDate.of(2024, 6, 17), LocalDate.of(2023, 1, 1), Duration.ofDays(1));
        assertThat(source.asked()).as("covered: nothing asked again").hasSize(asked);
    }

    @Test
    void aRateLimitOnOlderHistoryPausesItAndTheNextRefreshGoesOn() {
        int[] allowed = {3};
        CorporateActionSource limited = new CorporateActionSource() {
            private void request() {
                if (allowed[0]-- <= 0) {
                    throw new dev.pricelake.core.RateLimitedException("429");
                }
            }

            public List<Split> splits(dev.pricelake.core.DateRange window) {
                request();
                return source.splits(window);
            }

            public List<Dividend> dividends(dev.pricelake.core.DateRange window) {
                request();
                return source.dividends(window);
            }

            public List<TickerChange> tickerChanges(Ticker ticker, LocalDate tradedOn) {
                request();
                return source.tickerChanges(ticker, tradedOn);
            }
        };
        CorporateActions refresher = new CorporateActions(limited, lake, Optional.of(database), CLOCK);
        CorporateActions.Refresh paused = refresher.refresh(LocalDate.of(2024, 6, 17), LocalDate.of(2023, 1, 1), Duration.ofDays(1));
        assertThat(paused.windows()).hasSize(4).last().isEqualTo("older records paused at the rate limit");
        assertThat(source.asked().get(2)).as("a year of older splits was fetched and kept").isEqualTo("splits 2023-05-18..2024-05-17");
        assertThat(lake.state().splits()).hasValueSatisfying(c -> assertThat(c.since()).isEqualTo(LocalDate.of(2023, 5, 18)));
        assertThat(lake.state().dividends()).hasValueSatisfying(c -> assertThat(c.since()).isEqualTo(LocalDate.of(2024, 6, 10)));

        allowed[0] = Integer.MAX_VALUE;
        refresher.refresh(LocalDate.of(2024, 6, 17), LocalDate.of(2023, 1, 1), Duration.ofDays(1));
        assertThat(source.asked().get(3)).as("the next refresh goes on from there").isEqualTo("splits 2023-01-01..2023-05-17");
        assertThat(lake.splits()).extracting(Split::ticker).containsExactly(Ticker.of("OLD"), Ticker.of("AAA"));

        allowed[0] = 0;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> refresher.refresh(LocalDate.of(2024, 6, 18),
                LocalDate.of(2023, 1, 1), Duration.ofDays(1))).as("new dates are the run's to retry")
                .isInstanceOf(dev.pricelake.core.RateLimitedException.class);
    }

    @Test
    void aWithdrawnRecordLeavesTheLakeWithItsWindow() {
        actions.refresh(LocalDate.of(2024, 6, 17), LocalDate.of(2024, 6, 17), Duration.ZERO);
        byte[] before = objects.get("reference/splits/year=2024/splits.jsonl").orElseThrow();
        assertThat(lake.replaceSplits(new dev.pricelake.core.DateRange(LocalDate.of(2024, 5, 18), LocalDate.of(2024, 6, 17)),
                lake.splits())).as("the same records again change nothing").isEmpty();
        assertThat(objects.get("reference/splits/year=2024/splits.jsonl").orElseThrow()).isEqualTo(before);
        lake.replaceSplits(new dev.pricelake.core.DateRange(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 5)), List.of());
        assertThat(lake.splits()).isEmpty();
    }

    @Test
    void tickerChangesGiveTheSymbolsHistory() {
        TickerChange rename = new TickerChange(Ticker.of("FB"), Ticker.of("META"), LocalDate.of(2022, 6, 9), "BBG000MM2P62", "1326801");
        actions.recordTickerChanges(List.of(rename));
        actions.recordTickerChanges(List.of(rename));
        assertThat(lake.tickerChanges()).containsExactly(rename);
        assertThat(database.symbolsHistory()).hasSize(2);
        SymbolsHistory history = new SymbolsHistory(lake.tickerChanges());
        assertThat(history.renamedAfter(Ticker.of("FB"), LocalDate.of(2022, 6, 8))).contains(rename);
        assertThat(history.renamedAfter(Ticker.of("META"), LocalDate.of(2024, 1, 2))).isEmpty();
        assertThat(history.segments(Ticker.of("META"), dev.pricelake.core.DateRange.parse("2022-01-03", "2022-12-30")))
                .extracting(s -> s.tradedAs() + " " + s.range())
                .containsExactly("FB 2022-01-03..2022-06-08", "META 2022-06-09..2022-12-30");
        assertThat(history.tradedAs(Ticker.of("META"), dev.pricelake.core.DateRange.parse("2023-01-03", "2023-12-29"))).isEmpty();
    }
}
