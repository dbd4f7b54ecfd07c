package dev.pricelake.adapters.polygon;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.MalformedDataException;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.PriceSource.GroupedDay;
import dev.pricelake.core.RateLimitedException;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TransientUpstreamException;
import dev.pricelake.core.actions.Dividend;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.TickerChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolygonClientTest {
    private static final String KEY = "sekret-key-123";
    private static final Ticker ABC = Ticker.of("ABC");
    private static final DateRange JUNE = DateRange.parse("2024-06-01", "2024-06-30");
    private WireMockServer server;
    private PolygonClient client;

    @BeforeEach
    void start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        PolygonConfig config = new PolygonConfig(URI.create(server.baseUrl()), KEY, 0, Duration.ofMillis(500), 3,
                Duration.ofMillis(10));
        client = new PolygonClient(HttpClient.newHttpClient(), config, RequestThrottle.inProcess());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Polygon stamps a daily bar with midnight New York time, in epoch milliseconds. */
    private static long midnightNewYork(String date) {
        return LocalDate.parse(date).atStartOfDay(ZoneId.of("America/New_York")).toInstant().toEpochMilli();
    }

    private static String aggBar(String date, double o, double h, double l, double c, String extra) {
        return "{\"o\":" + o + ",\"h\":" + h + ",\"l\":" + l + ",\"c\":" + c + ",\"t\":" + midnightNewYork(date) + extra + "}";
    }

    @Test
    void dailyBarsMapTimestampsToNewYorkDatesAcrossTheDstChange() {
        // 2024-03-10 is the spring-forward Sunday: midnight is 05:00Z before it and 04:00Z after it.
        assertThat(Instant.ofEpochMilli(midnightNewYork("2024-03-08")).toString()).isEqualTo("2024-03-08T05:00:00Z");
        assertThat(Instant.ofEpochMilli(midnightNewYork("2024-03-11")).toString()).isEqualTo("2024-03-11T04:00:00Z");
        server.stubFor(get(urlPathEqualTo("/v2/aggs/ticker/ABC/range/1/day/2024-03-07/2024-03-12")).willReturn(okJson(
                "{\"ticker\":\"ABC\",\"status\":\"OK\",\"adjusted\":true,\"resultsCount\":2,\"results\":["
                        + aggBar("2024-03-08", 10, 11, 9, 10.5, ",\"v\":1234.5,\"vw\":10.2,\"n\":77") + ","
                        + aggBar("2024-03-11", 10.5, 12, 10, 11, ",\"v\":99") + "]}")));

        List<Bar> bars = client.dailyBars(ABC, DateRange.parse("2024-03-07", "2024-03-12"), true);

        assertThat(bars).containsExactly(
                new Bar(ABC, LocalDate.of(2024, 3, 8), 10, 11, 9, 10.5, 1234.5, 10.2, 77L),
                new Bar(ABC, LocalDate.of(2024, 3, 11), 10.5, 12, 10, 11, 99, null, null));
        server.verify(getRequestedFor(urlPathEqualTo("/v2/aggs/ticker/ABC/range/1/day/2024-03-07/2024-03-12"))
                .withQueryParam("adjusted", equalTo("true"))
                .withQueryParam("sort", equalTo("asc"))
                .withQueryParam("limit", equalTo("50000"))
                .withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void followsNextUrlOnTheConfiguredHostOnly() {
        String path = "/v2/aggs/ticker/ABC/range/1/day/2024-01-02/2024-01-04";
        server.stubFor(get(urlPathEqualTo(path)).withQueryParam("adjusted", equalTo("false")).willReturn(okJson(
                "{\"status\":\"OK\",\"results\":[" + aggBar("2024-01-02", 1, 2, 1, 2, ",\"v\":1") + "],"
                        + "\"next_url\":\"https://api.massive.com" + path + "?cursor=PAGE2\"}")));
        server.stubFor(get(urlPathEqualTo(path)).withQueryParam("cursor", equalTo("PAGE2")).willReturn(okJson(
                "{\"status\":\"OK\",\"results\":[" + aggBar("2024-01-03", 2, 3, 2, 3, ",\"v\":1") + ","
                        + aggBar("2024-01-04", 3, 4, 3, 4, ",\"v\":1") + "]}")));

        List<Bar> bars = client.dailyBars(ABC, DateRange.parse("2024-01-02", "2024-01-04"), false);

        assertThat(bars).extracting(Bar::date).containsExactly(LocalDate.of(2024, 1, 2), LocalDate.of(2024, 1, 3),
                LocalDate.of(2024, 1, 4));
        server.verify(2, getRequestedFor(urlPathEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void absentOrNullResultsMeanNoBars() {
        server.stubFor(get(urlPathMatching("/v2/aggs/ticker/ABC/.*")).willReturn(okJson(
                "{\"ticker\":\"ABC\",\"queryCount\":0,\"resultsCount\":0,\"status\":\"OK\"}")));
        server.stubFor(get(urlPathMatching("/v2/aggs/ticker/XYZ/.*")).willReturn(okJson(
                "{\"ticker\":\"XYZ\",\"results\":null,\"status\":\"OK\"}")));
        DateRange range = DateRange.parse("2024-01-02", "2024-01-04");
        assertThat(client.dailyBars(ABC, range, true)).isEmpty();
        assertThat(client.dailyBars(Ticker.of("XYZ"), range, true)).isEmpty();
    }

    @Test
    void aMissingPriceBecomesNaNForValidationToQuarantine() {
        server.stubFor(get(urlPathMatching("/v2/aggs/ticker/ABC/.*")).willReturn(okJson(
                "{\"results\":[{\"o\":1,\"h\":2,\"c\":1.5,\"v\":3,\"t\":" + midnightNewYork("2024-01-02") + "}]}")));
        Bar bar = client.dailyBars(ABC, DateRange.parse("2024-01-02", "2024-01-02"), true).getFirst();
        assertThat(bar.low()).isNaN();
    }

    @Test
    void rateLimitIsTheRateLimitException() {
        server.stubFor(get(urlPathMatching("/v2/.*")).willReturn(aResponse().withStatus(429).withBody(
                "{\"status\":\"ERROR\",\"request_id\":\"r1\",\"error\":\"You've exceeded the maximum requests per minute\"}")));
        assertThatThrownBy(() -> client.dailyBars(ABC, DateRange.parse("2024-01-02", "2024-01-04"), true))
                .isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("exceeded the maximum requests per minute");
        server.verify(1, getRequestedFor(urlPathMatching("/v2/.*")));
    }

    @Test
    void badKeyAndMissingEntitlementAreToldApart() {
        server.stubFor(get(urlPathMatching("/v2/aggs/ticker/ABC/.*")).willReturn(aResponse().withStatus(401).withBody(
                "{\"status\":\"ERROR\",\"request_id\":\"r2\",\"error\":\"Unknown API Key\"}")));
        server.stubFor(get(urlPathMatching("/v2/aggs/ticker/XYZ/.*")).willReturn(aResponse().withStatus(403).withBody(
                "{\"status\":\"NOT_AUTHORIZED\",\"request_id\":\"r3\",\"message\":\"Your plan doesn't include this data timeframe.\"}")));
        DateRange range = DateRange.parse("1990-01-02", "1990-01-04");
        assertThatThrownBy(() -> client.dailyBars(ABC, range, true))
                .isInstanceOfSatisfying(NotAuthorizedException.class,
                        e -> assertThat(e.reason()).isEqualTo(NotAuthorizedException.Reason.BAD_KEY))
                .hasMessageContaining("Unknown API Key")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> client.dailyBars(Ticker.of("XYZ"), range, true))
                .isInstanceOfSatisfying(NotAuthorizedException.class,
                        e -> assertThat(e.reason()).isEqualTo(NotAuthorizedException.Reason.NOT_ENTITLED))
                .hasMessageContaining("doesn't include this data timeframe");
    }

    @Test
    void theKeyIsReadAtTheFirstRequestNotWhenTheClientIsBuilt() {
        server.stubFor(get(urlPathMatching("/v3/reference/splits")).willReturn(okJson("{\"results\":[]}")));
        AtomicInteger reads = new AtomicInteger();
        PolygonClient lazy = clientWith(ApiKey.cached(() -> {
            reads.incrementAndGet();
            return KEY;
        }, Duration.ofMinutes(5), java.time.Clock.systemUTC()));
        assertThat(reads).as("built, not yet asked").hasValue(0);
        lazy.splits(JUNE);
        lazy.splits(JUNE);
        assertThat(reads).as("read once, then cached").hasValue(1);
        server.verify(2, getRequestedFor(urlPathEqualTo("/v3/reference/splits")).withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void aRejectedKeyIsReadAgainOnceAndTheNewOneUsed() {
        server.stubFor(get(urlPathEqualTo("/v3/reference/splits")).withHeader("Authorization", equalTo("Bearer old-key"))
                .willReturn(aResponse().withStatus(401).withBody("{\"status\":\"ERROR\",\"error\":\"Unknown API Key\"}")));
        server.stubFor(get(urlPathEqualTo("/v3/reference/splits")).withHeader("Authorization", equalTo("Bearer new-key"))
                .willReturn(okJson("{\"results\":[]}")));
        Deque<String> stored = new ArrayDeque<>(List.of("old-key", "new-key"));
        PolygonClient rotated = clientWith(ApiKey.cached(stored::pop, Duration.ofMinutes(5), java.time.Clock.systemUTC()));
        assertThat(rotated.splits(JUNE)).isEmpty();
        server.verify(2, getRequestedFor(urlPathEqualTo("/v3/reference/splits")));
    }

    @Test
    void aKeyRejectedAgainAfterReadingItAgainIsABadKeyAfterTwoRequests() {
        server.stubFor(get(urlPathEqualTo("/v3/reference/splits")).willReturn(aResponse().withStatus(401)
                .withBody("{\"status\":\"ERROR\",\"error\":\"Unknown API Key\"}")));
        Deque<String> stored = new ArrayDeque<>(List.of("old-key", "other-key", "third-key"));
        PolygonClient rotated = clientWith(ApiKey.cached(stored::pop, Duration.ofMinutes(5), java.time.Clock.systemUTC()));
        assertThatThrownBy(() -> rotated.splits(JUNE)).isInstanceOf(NotAuthorizedException.class);
        server.verify(2, getRequestedFor(urlPathEqualTo("/v3/reference/splits")));
        assertThatThrownBy(() -> client.splits(JUNE)).as("a fixed key has nothing new to try").isInstanceOf(NotAuthorizedException.class);
        server.verify(3, getRequestedFor(urlPathEqualTo("/v3/reference/splits")));
    }

    private PolygonClient clientWith(ApiKey key) {
        return new PolygonClient(HttpClient.newHttpClient(), new PolygonConfig(URI.create(server.baseUrl()), key, 0,
                Duration.ofMillis(500), 3, Duration.ofMillis(10)), RequestThrottle.inProcess());
    }

    @Test
    void serverErrorsAreRetriedInsideTheClient() {
        String path = "/v2/aggs/ticker/ABC/range/1/day/2024-01-02/2024-01-02";
        server.stubFor(get(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        server.stubFor(get(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("third"));
        server.stubFor(get(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(okJson("{\"results\":[" + aggBar("2024-01-02", 1, 2, 1, 2, ",\"v\":1") + "]}")));

        assertThat(client.dailyBars(ABC, DateRange.parse("2024-01-02", "2024-01-02"), true)).hasSize(1);
        server.verify(3, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void persistentServerErrorsBecomeTransientAfterTheLastAttempt() {
        server.stubFor(get(urlPathMatching("/v2/.*")).willReturn(aResponse().withStatus(500).withBody("oops")));
        assertThatThrownBy(() -> client.dailyBars(ABC, DateRange.parse("2024-01-02", "2024-01-04"), true))
                .isInstanceOf(TransientUpstreamException.class)
                .hasMessageContaining("500 after 3 attempts");
        server.verify(3, getRequestedFor(urlPathMatching("/v2/.*")));
    }

    @Test
    void timeoutsAreTransient() {
        server.stubFor(get(urlPathMatching("/v2/.*")).willReturn(okJson("{\"results\":[]}").withFixedDelay(1_500)));
        assertThatThrownBy(() -> client.dailyBars(ABC, DateRange.parse("2024-01-02", "2024-01-04"), true))
                .isInstanceOf(TransientUpstreamException.class)
                .hasMessageContaining("after 3 attempts");
    }

    @Test
    void malformedJsonNamesTheUrlWithoutTheKey() {
        server.stubFor(get(urlPathMatching("/v2/.*")).willReturn(aResponse().withStatus(200).withBody("{\"results\": [")));
        assertThatThrownBy(() -> client.dailyBars(ABC, DateRange.parse("2024-01-02", "2024-01-04"), true))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("/v2/aggs/ticker/ABC/range/1/day/2024-01-02/2024-01-04")
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void groupedDailyReadsEverySymbolAndReportsUnusableOnes() {
        long close = LocalDate.of(2024, 1, 3).atTime(16, 0).atZone(ZoneId.of("America/New_York")).toInstant().toEpochMilli();
        server.stubFor(get(urlPathEqualTo("/v2/aggs/grouped/locale/us/market/stocks/2024-01-03")).willReturn(okJson(
                "{\"status\":\"OK\",\"resultsCount\":3,\"results\":["
                        + "{\"T\":\"KIMpL\",\"v\":25933.6,\"vw\":26.04,\"o\":26.07,\"c\":25.91,\"h\":26.25,\"l\":25.9,\"t\":" + close + ",\"n\":74},"
                        + "{\"T\":\"ABC\",\"v\":100,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"t\":" + close + "},"
                        + "{\"T\":\"bad symbol\",\"v\":1,\"o\":1,\"c\":1,\"h\":1,\"l\":1,\"t\":" + close + "}]}")));

        GroupedDay day = client.groupedDaily(LocalDate.of(2024, 1, 3), true);

        assertThat(day.bars()).extracting(b -> b.symbol().value()).containsExactly("KIMpL", "ABC");
        assertThat(day.bars()).allSatisfy(b -> assertThat(b.date()).isEqualTo(LocalDate.of(2024, 1, 3)));
        assertThat(day.bars().getFirst().volume()).isEqualTo(25933.6);
        assertThat(day.unrecognizedSymbols()).containsExactly("bad symbol");
    }

    @Test
    void tickersFollowTheCursorAcrossPages() {
        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers")).withQueryParam("type", equalTo("CS")).willReturn(okJson(
                "{\"status\":\"OK\",\"count\":1,\"results\":[{\"ticker\":\"A\",\"name\":\"Alpha\",\"type\":\"CS\","
                        + "\"primary_exchange\":\"XNYS\",\"active\":true}],"
                        + "\"next_url\":\"https://api.polygon.io/v3/reference/tickers?cursor=C2\"}")));
        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers")).withQueryParam("cursor", equalTo("C2")).willReturn(okJson(
                "{\"status\":\"OK\",\"count\":1,\"results\":[{\"ticker\":\"BB.A\",\"name\":\"Beta\",\"type\":\"CS\","
                        + "\"primary_exchange\":\"XNAS\",\"active\":true}]}")));

        ReferenceSource.Listing listing = client.tickers(new ReferenceSource.TickerQuery("CS", true));

        assertThat(listing.tickers()).extracting(t -> t.ticker().value()).containsExactly("A", "BB.A");
        assertThat(listing.tickers().get(1).primaryExchange()).isEqualTo("XNAS");
        assertThat(listing.unrecognizedSymbols()).isEmpty();
    }

    private static String fixture(String name) {
        try (var in = PolygonClientTest.class.getResourceAsStream("/polygon/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new AssertionError("fixture " + name, e);
        }
    }

    @Test
    void details() {
        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers/ABC")).willReturn(okJson(
                "{\"status\":\"OK\",\"results\":{\"ticker\":\"ABC\",\"name\":\"ABC Corp\",\"type\":\"CS\",\"active\":true,"
                        + "\"primary_exchange\":\"XNYS\",\"market_cap\":1.5E9,\"sic_description\":\"SOFTWARE\",\"list_date\":\"1999-11-18\"}}")));
        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers/NOPE")).willReturn(aResponse().withStatus(404)
                .withBody("{\"status\":\"NOT_FOUND\",\"message\":\"Ticker not found.\"}")));

        ReferenceSource.TickerDetails details = client.details(ABC).orElseThrow();
        assertThat(details.marketCap()).isEqualTo(1.5e9);
        assertThat(details.listDate()).isEqualTo(LocalDate.of(1999, 11, 18));
        assertThat(client.details(Ticker.of("NOPE"))).isEmpty();
    }

    @Test
    void splitsOfAWindowFollowTheCursorAndSkipSymbolsThatAreNotTickers() {
        server.stubFor(get(urlPathEqualTo("/v3/reference/splits")).withQueryParam("execution_date.gte", equalTo("2024-06-01"))
                .willReturn(okJson(fixture("splits-page1.json"))));
        server.stubFor(get(urlPathEqualTo("/v3/reference/splits")).withQueryParam("cursor", equalTo(
                "YXA9MiZhcz0mbGltaXQ9MiZvcmRlcj1hc2Mmc29ydD1leGVjdXRpb25fZGF0ZQ")).willReturn(okJson(fixture("splits-page2.json"))));

        List<Split> splits = client.splits(DateRange.parse("2024-06-01", "2024-06-30"));

        assertThat(splits).containsExactly(new Split(Ticker.of("NVDA"), LocalDate.of(2024, 6, 10), 1, 10),
                new Split(Ticker.of("REVS"), LocalDate.of(2024, 6, 12), 20, 1),
                new Split(Ticker.of("BRK.B"), LocalDate.of(2024, 6, 13), 2, 3));
        assertThat(splits.getFirst().ratio()).isEqualTo(10);
        assertThat(splits.get(1).describe()).isEqualTo("REVS 2024-06-12 1-for-20");
        server.verify(getRequestedFor(urlPathEqualTo("/v3/reference/splits"))
                .withQueryParam("execution_date.lte", equalTo("2024-06-30"))
                .withQueryParam("sort", equalTo("execution_date"))
                .withQueryParam("limit", equalTo("1000")));
    }

    @Test
    void dividendsOfAWindowKeepEveryFieldAndMissingOnesStayMissing() {
        server.stubFor(get(urlPathEqualTo("/v3/reference/dividends")).withQueryParam("ex_dividend_date.gte", equalTo("2024-05-06"))
                .withQueryParam("ex_dividend_date.lte", equalTo("2024-05-17")).willReturn(okJson(fixture("dividends.json"))));

        List<Dividend> dividends = client.dividends(DateRange.parse("2024-05-06", "2024-05-17"));

        assertThat(dividends).containsExactly(
                new Dividend(Ticker.of("AAPL"), LocalDate.of(2024, 5, 10), LocalDate.of(2024, 5, 16), LocalDate.of(2024, 5, 13),
                        LocalDate.of(2024, 5, 2), 0.25, "USD", 4, "CD"),
                new Dividend(Ticker.of("COST"), LocalDate.of(2024, 5, 14), null, null, LocalDate.of(2024, 5, 1), 1.5, null, 0, "SC"));
    }

    @Test
    void tickerChangesComeFromTheCompanyThatTradedAsTheTickerOnThatDay() {
        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers/FB")).withQueryParam("date", equalTo("2022-06-01"))
                .willReturn(okJson(fixture("details-fb-2022-06-01.json"))));
        server.stubFor(get(urlPathEqualTo("/vX/reference/tickers/BBG000MM2P62/events"))
                .withQueryParam("types", equalTo("ticker_change")).willReturn(okJson(fixture("events-BBG000MM2P62.json"))));

        assertThat(client.tickerChanges(Ticker.of("FB"), LocalDate.of(2022, 6, 1))).containsExactly(
                new TickerChange(Ticker.of("FB"), Ticker.of("META"), LocalDate.of(2022, 6, 9), "BBG000MM2P62", "0001326801"));

        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers/GONE")).willReturn(aResponse().withStatus(404)
                .withBody("{\"status\":\"NOT_FOUND\",\"message\":\"Ticker not found.\"}")));
        server.stubFor(get(urlPathEqualTo("/vX/reference/tickers/GONE/events")).willReturn(aResponse().withStatus(404)
                .withBody("{\"status\":\"NOT_FOUND\",\"message\":\"Ticker not found.\"}")));
        assertThat(client.tickerChanges(Ticker.of("GONE"), LocalDate.of(2020, 1, 2))).as("unknown: no changes").isEmpty();
    }

    @Test
    void aBarStampedInTheNewYorkEveningIsOfThatNewYorkDayNotOfItsUtcDate() {
        // 19:30 New York on Friday 2024-03-08 (EST) is Saturday 00:30 UTC; 20:30 on Monday 2024-03-11 (EDT, after the
        // spring-forward) is Tuesday 00:30 UTC. Reading the UTC date would put both on the wrong day.
        long fridayEvening = Instant.parse("2024-03-09T00:30:00Z").toEpochMilli();
        long mondayEvening = Instant.parse("2024-03-12T00:30:00Z").toEpochMilli();
        assertThat(Instant.ofEpochMilli(fridayEvening).atZone(ZoneId.of("America/New_York")).toLocalDate())
                .isEqualTo(LocalDate.of(2024, 3, 8));
        server.stubFor(get(urlPathEqualTo("/v2/aggs/grouped/locale/us/market/stocks/2024-03-08")).willReturn(okJson(
                "{\"queryCount\":1,\"resultsCount\":1,\"adjusted\":true,\"results\":[{\"T\":\"ABC\",\"v\":1200,\"vw\":10.1,"
                        + "\"o\":10,\"c\":10.2,\"h\":10.5,\"l\":9.9,\"t\":" + fridayEvening + ",\"n\":12}],\"status\":\"OK\"}")));
        server.stubFor(get(urlPathEqualTo("/v2/aggs/ticker/ABC/range/1/day/2024-03-11/2024-03-11")).willReturn(okJson(
                "{\"ticker\":\"ABC\",\"status\":\"OK\",\"adjusted\":true,\"resultsCount\":1,\"results\":["
                        + "{\"o\":10.2,\"h\":10.4,\"l\":10,\"c\":10.3,\"v\":900,\"t\":" + mondayEvening + "}]}")));

        assertThat(client.groupedDaily(LocalDate.of(2024, 3, 8), true).bars()).extracting(Bar::date)
                .containsExactly(LocalDate.of(2024, 3, 8));
        assertThat(client.dailyBars(ABC, DateRange.parse("2024-03-11", "2024-03-11"), true)).extracting(Bar::date)
                .containsExactly(LocalDate.of(2024, 3, 11));
    }

    @Test
    void detailsCarryTheIdentifiersSharesAndDelisting() {
        // The shape of Polygon's /v3/reference/tickers/{ticker} for a delisted common stock.
        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers/GONE")).willReturn(okJson("""
                {"request_id": "b1f2", "status": "OK", "results": {"ticker": "GONE", "name": "Gone Holdings Inc.",
                 "market": "stocks", "locale": "us", "primary_exchange": "XNYS", "type": "CS", "active": false,
                 "currency_name": "usd", "cik": "0001234567", "composite_figi": "BBG000GONE01",
                 "share_class_figi": "BBG001GONE02", "sic_code": "6022", "sic_description": "STATE COMMERCIAL BANKS",
                 "ticker_root": "GONE", "list_date": "2001-05-04", "delisted_utc": "2023-03-10T00:00:00Z",
                 "share_class_shares_outstanding": 41250000, "weighted_shares_outstanding": 4.1e7}}""")));
        server.stubFor(get(urlPathEqualTo("/v3/reference/tickers/BADD")).willReturn(okJson(
                "{\"status\":\"OK\",\"results\":{\"ticker\":\"BADD\",\"list_date\":\"04/05/2001\"}}")));

        ReferenceSource.TickerDetails gone = client.details(Ticker.of("GONE")).orElseThrow();

        assertThat(gone).isEqualTo(new ReferenceSource.TickerDetails(Ticker.of("GONE"), "Gone Holdings Inc.", "CS", "XNYS",
                false, null, "6022", "STATE COMMERCIAL BANKS", LocalDate.of(2001, 5, 4),
                Instant.parse("2023-03-10T00:00:00Z"), "0001234567", "BBG000GONE01", 41_250_000L, 41_000_000L));
        assertThatThrownBy(() -> client.details(Ticker.of("BADD"))).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("/v3/reference/tickers/BADD").hasMessageContaining("04/05/2001");
    }

    @Test
    void configurationNeverPrintsTheKey() {
        assertThat(PolygonConfig.of(URI.create("https://api.polygon.io"), KEY, null).toString()).doesNotContain(KEY);
    }

    @Test
    void defaultRateIsTheFreePlanOnlyAgainstTheOfficialHost() {
        assertThat(PolygonConfig.of(URI.create("https://api.polygon.io"), KEY, null).requestsPerMinute()).isEqualTo(5);
        assertThat(PolygonConfig.of(URI.create("http://127.0.0.1:8080"), KEY, null).requestsPerMinute()).isZero();
        assertThat(PolygonConfig.of(URI.create("https://api.polygon.io"), KEY, 0).requestsPerMinute()).isZero();
        // What SelectTickers plans a run without a rate of its own at: the rate the fetchers' clients are built with.
        assertThat(PolygonClient.create(PolygonConfig.of(URI.create("https://api.polygon.io"), KEY, 100)).requestsPerMinute())
                .isEqualTo(100);
        assertThat(PolygonClient.create(PolygonConfig.of(URI.create("https://api.polygon.io"), KEY, null)).requestsPerMinute())
                .isEqualTo(5);
    }
}
