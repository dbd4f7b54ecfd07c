package dev.pricelake.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource.GroupedDay;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.ValidatedBars;
import dev.pricelake.core.actions.Dividend;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.TickerChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolygonSimulatorTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate LAST = LocalDate.of(2025, 6, 30);
    private final List<PolygonSimulator> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(PolygonSimulator::close);
    }

    private PolygonSimulator simulator(long seed, PolygonSimulator.Options options) throws Exception {
        PolygonSimulator simulator = PolygonSimulator.start(new SyntheticMarket(seed, 400, LAST, CALENDAR), options, 0);
        started.add(simulator);
        return simulator;
    }

    private static PolygonClient client(PolygonSimulator simulator, String key) {
        PolygonConfig config = new PolygonConfig(simulator.baseUrl(), key, 0, Duration.ofSeconds(10), 2, Duration.ofMillis(5));
        return new PolygonClient(HttpClient.newHttpClient(), config, RequestThrottle.inProcess());
    }

    private static SyntheticMarket.Listing listedThrough(SyntheticMarket market, LocalDate from, LocalDate to) {
        return market.listings().stream()
                .filter(l -> l.firstSession() <= CALENDAR.sessionIndex(CALENDAR.onOrAfter(from)))
                .filter(l -> l.lastSession() >= CALENDAR.sessionIndex(CALENDAR.onOrBefore(to)))
                .filter(l -> l.haltRate() == 0 && l.splits().isEmpty() && market.rename(l).isEmpty())
                .findFirst().orElseThrow();
    }

    @Test
    void aRangeHasExactlyTheSessionsOfTheCalendar() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        DateRange range = DateRange.parse("2022-01-01", "2024-12-31");
        SyntheticMarket.Listing listing = listedThrough(simulator.market(), range.start(), range.end());

        List<Bar> bars = client(simulator, "local").dailyBars(listing.ticker(), range, true);

        assertThat(bars).extracting(Bar::date).containsExactlyElementsOf(CALENDAR.sessions(range));
        ValidatedBars validated = new BarValidator(CALENDAR).validate(bars);
        assertThat(validated.invalid()).isEmpty();
    }

    @Test
    void theSameSeedServesTheSameMarket() throws Exception {
        PolygonSimulator a = simulator(7, PolygonSimulator.Options.defaults());
        PolygonSimulator b = simulator(7, PolygonSimulator.Options.defaults());
        PolygonSimulator c = simulator(8, PolygonSimulator.Options.defaults());
        DateRange range = DateRange.parse("2024-01-01", "2024-03-31");
        SyntheticMarket.Listing listing = listedThrough(a.market(), range.start(), range.end());
        List<Bar> fromA = client(a, "k").dailyBars(listing.ticker(), range, true);
        assertThat(client(b, "k").dailyBars(listing.ticker(), range, true)).isEqualTo(fromA).isNotEmpty();
        assertThat(c.market().listings()).isNotEqualTo(a.market().listings());
    }

    @Test
    void aBarDoesNotDependOnTheRangeItWasAskedFor() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        SyntheticMarket.Listing listing = listedThrough(simulator.market(), LocalDate.of(2020, 1, 1), LAST);
        PolygonClient client = client(simulator, "k");
        List<Bar> year = client.dailyBars(listing.ticker(), DateRange.parse("2024-01-01", "2024-12-31"), true);
        List<Bar> week = client.dailyBars(listing.ticker(), DateRange.parse("2024-06-03", "2024-06-07"), true);
        assertThat(year).containsAll(week);
        assertThat(week).hasSize(5);
    }

    /**
     * A session's flat file walks every listing to that session, starting where an earlier walk stopped; two readers
     * taking the files in date order from two places, and one going back, must see the bars of a market asked once.
     */
    @Test
    void sessionsAskedOneAtATimeInAnyOrderGiveTheBarsOfOneRange() {
        SyntheticMarket asked = new SyntheticMarket(42, 400, LAST, CALENDAR);
        SyntheticMarket once = new SyntheticMarket(42, 400, LAST, CALENDAR);
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(LocalDate.of(2024, 1, 1)));
        int sessions = 150;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sessions / 2; i++) {
            order.add(first + i);
            order.add(first + sessions / 2 + i);
        }
        order.addAll(List.of(first + 3, first + 2, first + 1));
        for (SyntheticMarket.Listing listing : asked.listings()) {
            java.util.Map<LocalDate, Bar> bySession = new java.util.TreeMap<>();
            for (int session : order) {
                asked.bars(listing, session, session, false).forEach(bar -> bySession.put(bar.date(), bar));
            }
            assertThat(List.copyOf(bySession.values())).as(listing.ticker().value())
                    .isEqualTo(once.bars(once.listing(listing.ticker()).orElseThrow(), first, first + sessions - 1, false));
        }
    }

    @Test
    void pagesWithNextUrlWhenARangeExceedsTheLimit() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        DateRange range = DateRange.parse("2023-01-01", "2024-12-31");
        SyntheticMarket.Listing listing = listedThrough(simulator.market(), range.start(), range.end());
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        List<LocalDate> dates = new ArrayList<>();
        URI next = URI.create(simulator.baseUrl() + "/v2/aggs/ticker/" + listing.ticker() + "/range/1/day/"
                + range.start() + "/" + range.end() + "?adjusted=true&sort=asc&limit=100");
        int pages = 0;
        while (next != null) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(next).header("Authorization", "Bearer k").build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(response.body());
            pages++;
            assertThat(body.get("results").size()).isLessThanOrEqualTo(100);
            body.get("results").forEach(r -> dates.add(java.time.Instant.ofEpochMilli(r.get("t").asLong())
                    .atZone(PolygonSimulator.NEW_YORK).toLocalDate()));
            next = body.hasNonNull("next_url") ? URI.create(body.get("next_url").asText()) : null;
        }
        assertThat(pages).isEqualTo((CALENDAR.sessionsBetween(range) + 99) / 100);
        assertThat(dates).containsExactlyElementsOf(CALENDAR.sessions(range));
    }

    @Test
    void answersPastTheRateLimitWithPolygons429() throws Exception {
        PolygonSimulator simulator = simulator(42, new PolygonSimulator.Options(3, 0, 0, null, 0));
        PolygonClient client = client(simulator, "k");
        SyntheticMarket.Listing listing = simulator.market().listings().getFirst();
        DateRange range = DateRange.parse("2024-01-02", "2024-01-05");
        for (int i = 0; i < 3; i++) {
            client.dailyBars(listing.ticker(), range, true);
        }
        assertThatThrownBy(() -> client.dailyBars(listing.ticker(), range, true))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("exceeded the maximum requests per minute");
    }

    @Test
    void failsOnDemandAsTransient() throws Exception {
        PolygonSimulator simulator = simulator(42, new PolygonSimulator.Options(0, 1.0, 0, null, 0));
        assertThatThrownBy(() -> client(simulator, "k").dailyBars(simulator.market().listings().getFirst().ticker(),
                DateRange.parse("2024-01-02", "2024-01-05"), true))
                .isInstanceOf(TransientUpstreamException.class).hasMessageContaining("503");
        assertThat(simulator.requestCounts().get("range")).isEqualTo(2L);
    }

    @Test
    void servesInvalidBarsOnDemandTheSameWayEveryTime() throws Exception {
        PolygonSimulator simulator = simulator(42, new PolygonSimulator.Options(0, 0, 0.2, null, 0));
        DateRange range = DateRange.parse("2024-01-01", "2024-12-31");
        SyntheticMarket.Listing listing = listedThrough(simulator.market(), range.start(), range.end());
        PolygonClient client = client(simulator, "k");
        BarValidator validator = new BarValidator(CALENDAR);
        ValidatedBars first = validator.validate(client.dailyBars(listing.ticker(), range, true));
        ValidatedBars second = validator.validate(client.dailyBars(listing.ticker(), range, true));
        assertThat(first.invalid().size()).isBetween(25, 80);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void rejectsAWrongKeyWith401() throws Exception {
        PolygonSimulator simulator = simulator(42, new PolygonSimulator.Options(0, 0, 0, "right-key", 0));
        assertThatThrownBy(() -> client(simulator, "wrong-key").dailyBars(simulator.market().listings().getFirst().ticker(),
                DateRange.parse("2024-01-02", "2024-01-05"), true))
                .isInstanceOfSatisfying(NotAuthorizedException.class,
                        e -> assertThat(e.reason()).isEqualTo(NotAuthorizedException.Reason.BAD_KEY))
                .hasMessageContaining("Unknown API Key");
    }

    @Test
    void splitsShowInUnadjustedPricesAndAreRemovedFromAdjustedOnes() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        PolygonClient client = client(simulator, "k");
        SyntheticMarket.Listing listing = simulator.market().listings().stream()
                .filter(l -> !l.splits().isEmpty() && l.haltRate() == 0 && simulator.market().rename(l).isEmpty())
                .findFirst().orElseThrow();
        SyntheticMarket.SplitEvent split = listing.splits().getFirst();
        LocalDate day = CALENDAR.session(split.session());
        DateRange around = new DateRange(CALENDAR.session(split.session() - 1), day);
        List<Bar> raw = client.dailyBars(listing.ticker(), around, false);
        List<Bar> adjusted = client.dailyBars(listing.ticker(), around, true);
        double ratio = split.splitTo() / split.splitFrom();
        assertThat(adjusted.get(0).close()).isCloseTo(raw.get(0).close() / ratio, org.assertj.core.data.Offset.offset(0.001));
        assertThat(adjusted.get(1).close()).isCloseTo(raw.get(1).close(), org.assertj.core.data.Offset.offset(0.0001));
        assertThat(client.splits(new DateRange(day, day))).contains(
                new Split(listing.ticker(), day, split.splitFrom(), split.splitTo()));
        assertThat(new BarValidator(CALENDAR).validate(client.dailyBars(listing.ticker(),
                new DateRange(TradingCalendar.FIRST_SESSION, LAST), false)).invalid()).isEmpty();
    }

    @Test
    void publishingLaterSessionsShowsTheirBarsAndAdjustsEarlierPricesForTheSplitsThatExecuted() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        SyntheticMarket market = simulator.market();
        SyntheticMarket.Listing listing = market.listings().stream()
                .filter(l -> !l.splits().isEmpty() && l.haltRate() == 0 && market.rename(l).isEmpty()).findFirst().orElseThrow();
        SyntheticMarket.SplitEvent split = listing.splits().getFirst();
        LocalDate before = CALENDAR.session(split.session() - 2);
        LocalDate executed = CALENDAR.session(split.session());
        PolygonClient client = client(simulator, "k");
        DateRange early = new DateRange(CALENDAR.session(split.session() - 5), before);

        market.publishThrough(before);
        List<Bar> earlier = client.dailyBars(listing.ticker(), early, true);
        assertThat(earlier).hasSize(4).last().extracting(Bar::date).isEqualTo(before);
        assertThat(client.dailyBars(listing.ticker(), new DateRange(before, executed), true)).as("nothing after it yet").hasSize(1);
        assertThat(client.splits(new DateRange(executed, executed))).isEmpty();
        assertThat(client.dailyBars(listing.ticker(), early, true)).isEqualTo(client.dailyBars(listing.ticker(), early, false));

        HttpResponse<String> moved = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
                + "/_simulator/publish-through?date=" + executed)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(moved.body()).contains(executed.toString());
        List<Bar> later = client.dailyBars(listing.ticker(), early, true);
        assertThat(later).extracting(Bar::date).isEqualTo(earlier.stream().map(Bar::date).toList());
        assertThat(later.getFirst().close()).isCloseTo(earlier.getFirst().close() * split.splitFrom() / split.splitTo(),
                org.assertj.core.data.Offset.offset(0.001));
        assertThat(client.splits(new DateRange(executed, executed))).contains(new Split(listing.ticker(), executed,
                split.splitFrom(), split.splitTo()));
    }

    @Test
    void dividendsArePagedByCursorInPolygonsShape() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        DateRange quarter = DateRange.parse("2024-01-01", "2024-03-31");
        List<Dividend> dividends = client(simulator, "k").dividends(quarter);
        List<SyntheticMarket.DividendEvent> expected = simulator.market().dividends(CALENDAR.sessionIndex(CALENDAR.onOrAfter(quarter.start())),
                CALENDAR.sessionIndex(CALENDAR.onOrBefore(quarter.end())));
        assertThat(dividends).hasSize(expected.size()).hasSizeGreaterThan(10);
        assertThat(dividends).extracting(Dividend::exDividendDate).allSatisfy(d -> assertThat(quarter.contains(d)).isTrue());
        assertThat(dividends.getFirst().cashAmount()).isEqualTo(expected.getFirst().cash());
        assertThat(dividends.getFirst().payDate()).isAfter(dividends.getFirst().exDividendDate());
        assertThat(simulator.requestCounts().get("dividends")).as("ten a page by default, all pages followed")
                .isEqualTo((long) Math.ceil(expected.size() / 1000.0));
    }

    @Test
    void aRenamedCompanyTradesUnderItsOldTickerUntilTheChangeAndItsEventsSaySo() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        SyntheticMarket market = simulator.market();
        SyntheticMarket.Listing renamed = market.listings().stream().filter(l -> market.rename(l).isPresent())
                .filter(l -> market.rename(l).get().session() < CALENDAR.sessionIndex(LAST) - 5).findFirst().orElseThrow();
        SyntheticMarket.Rename rename = market.rename(renamed).orElseThrow();
        LocalDate on = CALENDAR.session(rename.session());
        LocalDate dayBefore = CALENDAR.session(rename.session() - 1);
        PolygonClient client = client(simulator, "k");
        DateRange around = new DateRange(CALENDAR.session(rename.session() - 3), CALENDAR.session(rename.session() + 2));

        assertThat(client.dailyBars(rename.previous(), around, true)).extracting(Bar::date).allSatisfy(d -> assertThat(d).isBefore(on));
        assertThat(client.dailyBars(renamed.ticker(), around, true)).extracting(Bar::date).allSatisfy(d -> assertThat(d).isAfterOrEqualTo(on));
        assertThat(client.groupedDaily(dayBefore, true).bars()).extracting(Bar::symbol).contains(rename.previous())
                .doesNotContain(renamed.ticker());
        assertThat(client.tickerChanges(rename.previous(), dayBefore)).containsExactly(new TickerChange(rename.previous(),
                renamed.ticker(), on, renamed.company().compositeFigi(), renamed.company().cik()));
        assertThat(client.tickerChanges(renamed.ticker(), on)).hasSize(1);
    }

    @Test
    void listsTickersByCursorAndServesDetails() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        PolygonClient client = client(simulator, "k");
        ReferenceSource.Listing cs = client.tickers(new ReferenceSource.TickerQuery("CS", true));
        ReferenceSource.Listing etf = client.tickers(new ReferenceSource.TickerQuery("ETF", true));
        ReferenceSource.Listing delisted = client.tickers(new ReferenceSource.TickerQuery(null, false));
        assertThat(cs.tickers().size() + etf.tickers().size() + delisted.tickers().size()).isEqualTo(400);
        assertThat(cs.tickers()).isNotEmpty().allSatisfy(t -> assertThat(t.type()).isEqualTo("CS"));
        assertThat(etf.tickers()).isNotEmpty();
        ReferenceSource.ListedTicker first = cs.tickers().getFirst();
        ReferenceSource.TickerDetails details = client.details(first.ticker()).orElseThrow();
        assertThat(details.name()).isEqualTo(first.name());
        assertThat(details.marketCap()).isPositive();
        assertThat(client.details(dev.pricelake.core.Ticker.of("ZZZZZZZZ"))).isEmpty();
    }

    @Test
    void detailsLookLikePolygonsWithSharesThatGiveTheMarketCapAtTheLastClose() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        PolygonClient client = client(simulator, "k");
        SyntheticMarket market = simulator.market();
        ReferenceSource.TickerDetails apple = client.details(dev.pricelake.core.Ticker.of("AAPL")).orElseThrow();
        assertThat(apple.name()).isEqualTo("Apple Inc.");
        assertThat(apple.sicCode()).isEqualTo("3571");
        assertThat(apple.cik()).matches("\\d{10}");
        assertThat(apple.compositeFigi()).matches("BBG[0-9A-Z]{9}");
        double lastClose = client.dailyBars(apple.ticker(), new DateRange(LAST.minusDays(10), LAST), true).getLast().close();
        assertThat(apple.marketCap()).isCloseTo(apple.shareClassSharesOutstanding() * lastClose, org.assertj.core.data.Offset.offset(1.0))
                .isCloseTo(3.4e12, org.assertj.core.data.Percentage.withPercentage(0.01));
        assertThat(apple.weightedSharesOutstanding()).isPositive();

        SyntheticMarket.Listing delisted = market.listings().stream().filter(l -> !l.active()).findFirst().orElseThrow();
        ReferenceSource.TickerDetails gone = client.details(delisted.ticker()).orElseThrow();
        assertThat(gone.active()).isFalse();
        assertThat(gone.marketCap()).isNull();
        assertThat(gone.delistedUtc()).isNotNull();
        SyntheticMarket.Listing fund = market.listings().stream().filter(l -> l.type().equals("ETF")).findFirst().orElseThrow();
        assertThat(client.details(fund.ticker()).orElseThrow().sicCode()).isNull();
    }

    @Test
    void theDefaultMarketHasEveryTierEverySectorAndEveryKindOfEtf() {
        SyntheticMarket market = new SyntheticMarket(42, 3000, LAST, CALENDAR);
        List<SyntheticMarket.Listing> stocks = market.listings().stream().filter(l -> l.type().equals("CS") && l.active()).toList();
        // The bounds: $200B+, $10B-$200B, $2B-$10B, $300M-$2B, under $300M.
        double[][] tiers = {{200e9, Double.MAX_VALUE}, {10e9, 200e9}, {2e9, 10e9}, {300e6, 2e9}, {0, 300e6}};
        for (double[] tier : tiers) {
            assertThat(stocks).as("stocks from %s to %s", tier[0], tier[1])
                    .anyMatch(l -> l.marketCap() >= tier[0] && l.marketCap() < tier[1]);
        }
        assertThat(stocks.stream().map(SyntheticMarket.Listing::sector).distinct()).hasSize(11);
        assertThat(stocks).allMatch(l -> l.company().sicCode() != null && l.company().sicDescription() != null);
        assertThat(market.listings().stream().filter(l -> l.type().equals("ETF")).map(l -> l.company().etfKind()).distinct())
                .containsExactlyInAnyOrderElementsOf(SyntheticCompanies.ETF_KINDS);
        assertThat(new SyntheticMarket(42, 3000, LAST, CALENDAR).listings()).as("the same seed, the same details")
                .isEqualTo(market.listings());
    }

    @Test
    void groupedDailyHasEveryTradingSymbolOnASessionAndNothingOnAHoliday() throws Exception {
        PolygonSimulator simulator = simulator(42, PolygonSimulator.Options.defaults());
        PolygonClient client = client(simulator, "k");
        LocalDate session = LocalDate.of(2024, 7, 3);
        int index = CALENDAR.sessionIndex(session);
        long expected = simulator.market().listings().stream()
                .filter(l -> !simulator.market().bars(l, index, index, true).isEmpty()).count();
        GroupedDay day = client.groupedDaily(session, true);
        assertThat(day.bars()).hasSize((int) expected).isNotEmpty();
        assertThat(day.bars()).allSatisfy(b -> assertThat(b.date()).isEqualTo(session));
        assertThat(client.groupedDaily(LocalDate.of(2024, 7, 4), true).bars()).isEmpty();
        assertThat(client.groupedDaily(LAST.plusDays(1), true).bars()).as("not published yet").isEmpty();
    }
}
