package dev.pricelake.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.MinuteBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's minute bars as a client reads them over HTTP, held against its day bars read the same way: the
 * minutes of each session must be the day's, to the last bit, through pages, early closes and splits.
 */
class SimulatedMinutesTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate LAST = LocalDate.of(2025, 6, 30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PolygonSimulator simulator;

    /** One aggregate as served. */
    record Aggregate(long t, double o, double h, double l, double c, double v, double vw, long n) {
        static Aggregate of(JsonNode r) {
            return new Aggregate(r.get("t").asLong(), r.get("o").asDouble(), r.get("h").asDouble(), r.get("l").asDouble(),
                    r.get("c").asDouble(), r.get("v").asDouble(), r.get("vw").asDouble(), r.get("n").asLong());
        }

        LocalDate day() {
            return Instant.ofEpochMilli(t).atZone(PolygonSimulator.NEW_YORK).toLocalDate();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        simulator = PolygonSimulator.start(new SyntheticMarket(42, 200, LAST, CALENDAR), PolygonSimulator.Options.defaults(), 0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    /** Every page of a range, following next_url, and how many pages it took. */
    private static List<Aggregate> range(PolygonSimulator from, String ticker, String timespan, String start, String end,
                                         String query, int[] pages) throws Exception {
        List<Aggregate> out = new ArrayList<>();
        URI next = URI.create(from.baseUrl() + "/v2/aggs/ticker/" + ticker + "/range/1/" + timespan + "/" + start + "/" + end
                + "?sort=asc&" + query);
        while (next != null) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(next).header("Authorization", "Bearer k").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            pages[0]++;
            if (body.has("results")) {
                body.get("results").forEach(r -> out.add(Aggregate.of(r)));
                assertThat(body.get("resultsCount").asInt()).isEqualTo(body.get("results").size());
            }
            next = body.hasNonNull("next_url") ? URI.create(body.get("next_url").asText()) : null;
        }
        return out;
    }

    private static List<Aggregate> range(String ticker, String timespan, String start, String end, String query) throws Exception {
        return range(simulator, ticker, timespan, start, end, query, new int[1]);
    }

    /** Each session's minutes open at the day's open, close at its close, reach its high and low and add up to its volume. */
    private static void assertMinutesMakeTheDays(List<Aggregate> days, List<Aggregate> minutes) {
        Map<LocalDate, List<Aggregate>> bySession = new LinkedHashMap<>();
        minutes.forEach(m -> bySession.computeIfAbsent(m.day(), d -> new ArrayList<>()).add(m));
        assertThat(bySession.keySet()).containsExactlyElementsOf(days.stream().map(Aggregate::day).toList());
        for (Aggregate day : days) {
            List<Aggregate> session = bySession.get(day.day());
            LocalTime close = CALENDAR.closeTime(day.day());
            ZonedDateTime open = day.day().atTime(9, 30).atZone(PolygonSimulator.NEW_YORK);
            int expected = (close.toSecondOfDay() - LocalTime.of(9, 30).toSecondOfDay()) / 60;
            assertThat(session).extracting(Aggregate::t).as("every minute of %s in order", day.day())
                    .containsExactlyElementsOf(IntStream.range(0, expected)
                            .mapToObj(k -> open.plusMinutes(k).toInstant().toEpochMilli()).toList());
            assertThat(session.getFirst().o()).isEqualTo(day.o());
            assertThat(session.getLast().c()).isEqualTo(day.c());
            assertThat(session.stream().mapToDouble(Aggregate::h).max().orElseThrow()).isEqualTo(day.h());
            assertThat(session.stream().mapToDouble(Aggregate::l).min().orElseThrow()).isEqualTo(day.l());
            assertThat(session.stream().mapToDouble(Aggregate::v).sum()).isCloseTo(day.v(), within(day.v() * 1e-9));
            assertThat(session).allSatisfy(m -> {
                assertThat(m.h()).isGreaterThanOrEqualTo(Math.max(m.o(), m.c()));
                assertThat(m.l()).isLessThanOrEqualTo(Math.min(m.o(), m.c())).isGreaterThan(0);
                assertThat(m.v()).isPositive();
                assertThat(m.n()).isPositive();
            });
        }
    }

    @Test
    void minutesMakeTheDayBarsIncludingTheEarlyCloseAfterThanksgiving() throws Exception {
        List<Aggregate> days = range("AAPL", "day", "2024-11-01", "2024-12-31", "adjusted=true");
        List<Aggregate> minutes = range("AAPL", "minute", "2024-11-01", "2024-12-31", "adjusted=true&limit=50000");

        assertMinutesMakeTheDays(days, minutes);
        assertThat(minutes.stream().filter(m -> m.day().equals(LocalDate.of(2024, 11, 29)))).as("09:30 to 13:00").hasSize(210);
        assertThat(minutes.stream().filter(m -> m.day().equals(LocalDate.of(2024, 12, 24)))).as("Christmas Eve").hasSize(210);
        assertThat(minutes.stream().filter(m -> m.day().equals(LocalDate.of(2024, 11, 27)))).hasSize(390);
        assertThat(minutes).hasSize(days.size() * 390 - 2 * 180);
    }

    @Test
    void adjustedAndUnadjustedMinutesMakeTheirOwnDaysAcrossASplit() throws Exception {
        // A seed whose well-known listings include one that splits, so adjusted and unadjusted bars differ.
        for (long seed = 1; ; seed++) {
            SyntheticMarket market = new SyntheticMarket(seed, 40, LAST, CALENDAR);
            var split = market.listings().stream().filter(market::tradesEveryMinute)
                    .filter(l -> !l.splits().isEmpty() && l.splits().getFirst().session() > CALENDAR.sessionIndex(LocalDate.of(1996, 1, 2)))
                    .findFirst();
            if (split.isEmpty()) {
                continue;
            }
            LocalDate splitDay = CALENDAR.session(split.get().splits().getFirst().session());
            String start = CALENDAR.session(split.get().splits().getFirst().session() - 5).toString();
            String end = CALENDAR.session(split.get().splits().getFirst().session() + 5).toString();
            try (PolygonSimulator other = PolygonSimulator.start(market, PolygonSimulator.Options.defaults(), 0)) {
                String ticker = split.get().ticker().value();
                for (boolean adjusted : new boolean[] {true, false}) {
                    List<Aggregate> days = range(other, ticker, "day", start, end, "adjusted=" + adjusted, new int[1]);
                    List<Aggregate> minutes = range(other, ticker, "minute", start, end, "adjusted=" + adjusted + "&limit=50000", new int[1]);
                    assertMinutesMakeTheDays(days, minutes);
                }
                Aggregate before = range(other, ticker, "minute", start, start, "adjusted=false", new int[1]).getFirst();
                Aggregate beforeAdjusted = range(other, ticker, "minute", start, start, "adjusted=true", new int[1]).getFirst();
                assertThat(beforeAdjusted.o()).as("split on %s", splitDay).isNotEqualTo(before.o());
            }
            return;
        }
    }

    @Test
    void pagesOfTheLimitFollowedByNextUrlServeWhatOnePageDoes() throws Exception {
        int[] pages = new int[1];
        List<Aggregate> paged = range(simulator, "SPY", "minute", "2024-11-01", "2024-11-30", "adjusted=true&limit=1000", pages);
        List<Aggregate> whole = range("SPY", "minute", "2024-11-01", "2024-11-30", "adjusted=true&limit=50000");
        int[] capped = new int[1];
        List<Aggregate> overLimit = range(simulator, "SPY", "minute", "2024-01-01", "2024-12-31", "adjusted=true&limit=90000", capped);

        assertThat(paged).isEqualTo(whole).hasSize(20 * 390 - 180);
        assertThat(pages[0]).isEqualTo((whole.size() + 999) / 1000);
        assertThat(overLimit).as("a year of minutes").hasSize(252 * 390 - 3 * 180);
        assertThat(capped[0]).as("at most 50,000 a page").isEqualTo(2);
    }

    @Test
    void millisecondBoundsSelectMinutesAndOtherListingsHaveNone() throws Exception {
        long from = ZonedDateTime.of(2024, 11, 29, 12, 0, 0, 0, PolygonSimulator.NEW_YORK).toInstant().toEpochMilli();
        long to = ZonedDateTime.of(2024, 12, 2, 9, 31, 0, 0, PolygonSimulator.NEW_YORK).toInstant().toEpochMilli();
        List<Aggregate> minutes = range("MSFT", "minute", String.valueOf(from), String.valueOf(to), "adjusted=true");
        assertThat(minutes).extracting(Aggregate::t).first().isEqualTo(from);
        assertThat(minutes).extracting(Aggregate::t).last().isEqualTo(to);
        assertThat(minutes).hasSize(60 + 2);

        String unlisted = simulator.market().listings().stream().filter(l -> !simulator.market().tradesEveryMinute(l))
                .filter(l -> l.active()).findFirst().orElseThrow().ticker().value();
        assertThat(range(unlisted, "day", "2024-11-01", "2024-11-30", "adjusted=true")).isNotEmpty();
        assertThat(range(unlisted, "minute", "2024-11-01", "2024-11-30", "adjusted=true")).isEmpty();
        assertThat(simulator.requestCounts()).containsKey("range_minute");
    }

    @Test
    void theClientReadsEveryMinuteOfARangeThroughSmallPagesTwoMonthsARequest() throws Exception {
        try (PolygonSimulator paged = PolygonSimulator.start(new SyntheticMarket(42, 200, LAST, CALENDAR),
                PolygonSimulator.Options.defaults().withMaxPageSize(1000), 0)) {
            PolygonClient client = new PolygonClient(HttpClient.newHttpClient(),
                    new PolygonConfig(paged.baseUrl(), "k", 0, Duration.ofSeconds(10), 2, Duration.ofMillis(5)), RequestThrottle.inProcess());

            List<MinuteBar> read = client.minuteBars(Ticker.of("AAPL"), DateRange.parse("2024-11-15", "2025-02-10"), true);

            List<Aggregate> served = new ArrayList<>();
            for (String[] months : new String[][] {{"2024-11-15", "2024-12-31"}, {"2025-01-01", "2025-02-10"}}) {
                served.addAll(range("AAPL", "minute", months[0], months[1], "adjusted=true&limit=50000"));
            }
            assertThat(read).extracting(m -> new Aggregate(m.start().toEpochMilli(), m.open(), m.high(), m.low(), m.close(),
                    m.volume(), m.vwap(), m.transactions())).containsExactlyElementsOf(served);
            assertThat(read).allSatisfy(m -> assertThat(m.symbol()).isEqualTo(Ticker.of("AAPL")));
            long sessions = CALENDAR.sessionsBetween(DateRange.parse("2024-11-15", "2025-02-10"));
            assertThat(read).as("11-29 and 12-24 close at 13:00").hasSize((int) sessions * 390 - 2 * 180);
            assertThat(paged.requestCounts().get("range_minute")).as("pages of 1,000 in two requests")
                    .isEqualTo((long) Math.ceilDiv(countIn(read, "2024-11-15", "2024-12-31"), 1000)
                            + Math.ceilDiv(countIn(read, "2025-01-01", "2025-02-10"), 1000));
        }
    }

    private static int countIn(List<MinuteBar> bars, String from, String to) {
        DateRange range = DateRange.parse(from, to);
        return (int) bars.stream().filter(b -> range.contains(b.start().atZone(PolygonSimulator.NEW_YORK).toLocalDate())).count();
    }

    @Test
    void theSameSeedServesTheSameMinutes() throws Exception {
        try (PolygonSimulator twin = PolygonSimulator.start(new SyntheticMarket(42, 200, LAST, CALENDAR),
                PolygonSimulator.Options.defaults(), 0)) {
            List<Aggregate> a = range("QQQ", "minute", "2024-06-03", "2024-06-07", "adjusted=true&limit=50000");
            List<Aggregate> b = range(twin, "QQQ", "minute", "2024-06-03", "2024-06-07", "adjusted=true&limit=50000", new int[1]);
            List<Aggregate> day = range("QQQ", "minute", "2024-06-05", "2024-06-05", "adjusted=true&limit=50000");
            assertThat(b).isEqualTo(a).hasSize(5 * 390);
            assertThat(a).containsSequence(day);
        }
    }
}
