package dev.pricelake.fetcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.FlatFileSource;
import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.MinuteBarSource;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.actions.Split;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Sessions from flat files: adjusted with the lake's splits, and grouped daily where a file cannot serve. */
class FlatFilePricesTest {
    private static final Ticker ABC = Ticker.of("ABC");
    private static final LocalDate BEFORE_SPLIT = LocalDate.of(2024, 6, 7);
    private final InMemoryObjectStore lake = new InMemoryObjectStore();
    private final CorporateActionLake actions = new CorporateActionLake(lake);
    private final Map<LocalDate, PriceSource.GroupedDay> files = new TreeMap<>();
    private final List<LocalDate> apiCalls = new ArrayList<>();

    private final FlatFileSource flatFiles = new FlatFileSource() {
        @Override
        public Optional<PriceSource.GroupedDay> day(LocalDate session) {
            return Optional.ofNullable(files.get(session));
        }

        @Override
        public Optional<List<MinuteBar>> minutes(LocalDate session, Set<Ticker> symbols) {
            return Optional.ofNullable(minuteFiles.get(session))
                    .map(all -> all.stream().filter(m -> symbols.contains(m.symbol())).toList());
        }

        @Override
        public String location() {
            return "http://files.test (bucket flatfiles)";
        }
    };

    private final Map<LocalDate, List<MinuteBar>> minuteFiles = new TreeMap<>();
    private final List<String> minuteCalls = new ArrayList<>();

    private interface RestApi extends PriceSource, MinuteBarSource {
    }

    private final PriceSource api = new RestApi() {
        @Override
        public List<MinuteBar> minuteBars(Ticker ticker, DateRange range, boolean adjusted) {
            minuteCalls.add(ticker + " " + range + " " + adjusted);
            return List.of(minute(ticker, range.start().atTime(9, 30), 1));
        }

        @Override
        public List<Bar> dailyBars(Ticker ticker, DateRange range, boolean adjusted) {
            throw new AssertionError("no range call");
        }

        @Override
        public GroupedDay groupedDaily(LocalDate date, boolean adjusted) {
            apiCalls.add(date);
            return new GroupedDay(date, List.of(bar(date, 1)), List.of());
        }
    };

    private static MinuteBar minute(Ticker ticker, java.time.LocalDateTime newYork, double price) {
        return new MinuteBar(ticker, newYork.atZone(java.time.ZoneId.of("America/New_York")).toInstant(), price, price, price, price,
                100, null, 3L);
    }

    private static Bar bar(LocalDate date, double price) {
        return new Bar(ABC, date, price, price, price, price, 100, null, 3L);
    }

    /** A 1-for-4 split of ABC on 2024-06-10, the lake's splits fetched from 2024-01-01 on. */
    private FlatFilePrices prices() {
        actions.replaceSplits(DateRange.parse("2024-01-01", "2024-12-31"), List.of(new Split(ABC, LocalDate.of(2024, 6, 10), 1, 4)));
        actions.save(new CorporateActionLake.State(Optional.of(new CorporateActionLake.Coverage(LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31), Instant.EPOCH)), Optional.empty(), Map.of()));
        return new FlatFilePrices(flatFiles, api, actions);
    }

    @Test
    void aFilesBarsBeforeASplitTheLakeKnowsAreAdjustedAndNoCallIsMade() {
        files.put(BEFORE_SPLIT, new PriceSource.GroupedDay(BEFORE_SPLIT, List.of(bar(BEFORE_SPLIT, 400)), List.of("BAD TICKER")));
        FlatFilePrices prices = prices();
        PriceSource.GroupedDay day = prices.groupedDaily(BEFORE_SPLIT, true);
        assertThat(day.bars()).containsExactly(new Bar(ABC, BEFORE_SPLIT, 100, 100, 100, 100, 400, null, 3L));
        assertThat(day.unrecognizedSymbols()).containsExactly("BAD TICKER");
        assertThat(prices.groupedDaily(BEFORE_SPLIT, false).bars()).containsExactly(bar(BEFORE_SPLIT, 400));
        assertThat(apiCalls).isEmpty();
        assertThat(prices.fallbacks()).isEmpty();
    }

    @Test
    void aDayWithoutAFileOrOlderThanTheKnownSplitsComesFromGroupedDailyAndIsRecorded() {
        LocalDate old = LocalDate.of(2023, 12, 29);
        files.put(old, new PriceSource.GroupedDay(old, List.of(bar(old, 400)), List.of()));
        FlatFilePrices prices = prices();
        assertThat(prices.atRate(7).groupedDaily(BEFORE_SPLIT, true).bars()).containsExactly(bar(BEFORE_SPLIT, 1));
        assertThat(prices.groupedDaily(old, true).bars()).containsExactly(bar(old, 1));
        assertThat(prices.groupedDaily(old, false).bars()).as("unadjusted needs no split").containsExactly(bar(old, 400));
        assertThat(apiCalls).containsExactly(BEFORE_SPLIT, old);
        assertThat(prices.fallbacks()).extracting(FlatFilePrices.Fallback::session).containsExactly(BEFORE_SPLIT, old);
        assertThat(prices.fallbacks().get(0).reason()).isEqualTo("no flat file at http://files.test (bucket flatfiles)");
        assertThat(prices.fallbacks().get(1).reason()).contains("splits from 2024-01-01 on");
    }

    @Test
    void aSessionsMinutesComeFromItsFileOnlyTheTickersAskedForAdjustedAsItsDayBarIs() {
        Ticker other = Ticker.of("XYZ");
        minuteFiles.put(BEFORE_SPLIT, List.of(minute(ABC, BEFORE_SPLIT.atTime(9, 30), 400), minute(ABC, BEFORE_SPLIT.atTime(9, 31), 404),
                minute(other, BEFORE_SPLIT.atTime(9, 30), 50)));
        FlatFilePrices prices = prices();
        Map<Ticker, List<MinuteBar>> adjusted = prices.minutes(BEFORE_SPLIT, Set.of(ABC), true);
        // The 1-for-4 split after the session: prices divided by 4, volume multiplied by 4, trades kept.
        assertThat(adjusted).containsOnlyKeys(ABC);
        assertThat(adjusted.get(ABC)).containsExactly(
                new MinuteBar(ABC, minute(ABC, BEFORE_SPLIT.atTime(9, 30), 0).start(), 100, 100, 100, 100, 400, null, 3L),
                new MinuteBar(ABC, minute(ABC, BEFORE_SPLIT.atTime(9, 31), 0).start(), 101, 101, 101, 101, 400, null, 3L));
        assertThat(prices.minutes(BEFORE_SPLIT, Set.of(ABC, other), false).get(other))
                .containsExactly(minute(other, BEFORE_SPLIT.atTime(9, 30), 50));
        assertThat(minuteCalls).isEmpty();
        assertThat(prices.fallbacks()).isEmpty();
    }

    @Test
    void aSessionWithoutAMinuteFileOrOlderThanTheKnownSplitsComesFromEachTickersRangeCallAndIsRecorded() {
        LocalDate old = LocalDate.of(2023, 12, 29);
        minuteFiles.put(old, List.of(minute(ABC, old.atTime(9, 30), 400)));
        FlatFilePrices prices = prices();
        assertThat(prices.atRate(7).minutes(BEFORE_SPLIT, Set.of(ABC), true).get(ABC))
                .containsExactly(minute(ABC, BEFORE_SPLIT.atTime(9, 30), 1));
        assertThat(prices.minutes(old, Set.of(ABC), true).get(ABC)).containsExactly(minute(ABC, old.atTime(9, 30), 1));
        assertThat(minuteCalls).containsExactly("ABC 2024-06-07..2024-06-07 true", "ABC 2023-12-29..2023-12-29 true");
        assertThat(prices.fallbacks()).extracting(FlatFilePrices.Fallback::session).containsExactly(BEFORE_SPLIT, old);
        assertThat(prices.fallbacks()).extracting(FlatFilePrices.Fallback::instead).containsOnly("range calls");
        assertThat(prices.fallbacks().get(0).reason()).isEqualTo("no minute flat file at http://files.test (bucket flatfiles)");
        assertThat(prices.fallbacks().get(1).reason()).contains("splits from 2024-01-01 on");
    }
}
