package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daily runs and call planning as a user meets them: the pricelake command, the real state machine and
 * stand-ins, the Polygon simulator; the simulator's request log is the referee for call counts.
 */
class DailyEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate LAST = LocalDate.of(2024, 7, 5);
    private final List<PolygonSimulator> simulators = new ArrayList<>();

    @TempDir
    Path temp;

    @AfterEach
    void stopSimulators() {
        simulators.forEach(PolygonSimulator::close);
    }

    private PolygonSimulator simulator(int partialGroupedAnswers) throws Exception {
        PolygonSimulator simulator = PolygonSimulator.start(new SyntheticMarket(42, 300, LAST, CALENDAR),
                new PolygonSimulator.Options(0, 0, 0, null, 0, partialGroupedAnswers), 0);
        simulators.add(simulator);
        return simulator;
    }

    private static List<String> listedThrough(SyntheticMarket market, DateRange range, int count) {
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(range.start()));
        int last = CALENDAR.sessionIndex(CALENDAR.onOrBefore(range.end()));
        return market.listings().stream().filter(l -> l.firstSession() <= first && l.lastSession() >= last)
                .filter(l -> market.rename(l).isEmpty()).limit(count).map(l -> l.ticker().value()).toList();
    }

    private static Cli.Result backfill(Path data, PolygonSimulator simulator, List<String> tickers, String start, String end,
            String... extra) {
        List<String> args = new ArrayList<>(List.of("backfill", "--tickers", String.join(",", tickers), "--start", start,
                "--end", end, "--data-dir", data.toString(), "--polygon-url", simulator.baseUrl().toString(),
                "--fast-retries", "--json"));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static JsonNode daily(Path data, PolygonSimulator simulator, String asOf) {
        Cli.Result r = Cli.run("daily", "--as-of", asOf, "--data-dir", data.toString(), "--polygon-url",
                simulator.baseUrl().toString(), "--fast-retries", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.summary().get("status").asText()).as(r.toString()).isEqualTo("COMPLETE");
        return r.summary();
    }

    private static List<String> sql(Path data, String query) {
        Cli.Result r = Cli.run("sql", query, "--data-dir", data.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out().strip().lines().toList();
    }

    @Test
    void aWeekOfDailyRunsLeavesTheLakeOfOneBackfillAndRetriesUnpublishedDays() throws Exception {
        // Every grouped-daily day answers half the market at first, as while Polygon is still publishing it.
        PolygonSimulator publishing = simulator(1);
        // Planned at the simulator's rate, none: 10 range calls, 0.5 s, cost more than a catch-up's 2 grouped sessions, 0.44 s.
        List<String> tickers = listedThrough(publishing.market(), DateRange.parse("2024-01-02", "2024-07-05"), 10);
        Path daily = temp.resolve("daily");
        backfill(daily, publishing, tickers, "2024-01-02", "2024-06-25");
        assertThat(publishing.requestCounts().get("range")).as("the backfill's bars came from range calls").isEqualTo(10L);

        assertThat(daily(daily, publishing, "2024-06-27").path("plan").get(0).path("fetch").asText()).isEqualTo("grouped");
        // 28 June is skipped: the Monday run catches up the 27th and the 28th.
        JsonNode monday = daily(daily, publishing, "2024-07-01");
        assertThat(monday.path("run_id").asText()).isEqualTo("daily-20240701");
        assertThat(monday.path("plan").get(0).path("sessions").asInt()).isEqualTo(2);
        daily(daily, publishing, "2024-07-02");
        daily(daily, publishing, "2024-07-03");
        JsonNode repeated = daily(daily, publishing, "2024-07-03");
        assertThat(repeated.path("message").asText()).contains("already exists (COMPLETE)");
        daily(daily, publishing, "2024-07-04");
        JsonNode afterHoliday = daily(daily, publishing, "2024-07-05");
        assertThat(afterHoliday.path("message").asText()).contains("2024-07-04 (an exchange holiday)").startsWith("nothing to fetch");
        // A day with nothing to do records no run, so its repeat looks again (and still finds nothing).
        assertThat(daily(daily, publishing, "2024-07-05").path("message").asText()).isEqualTo(afterHoliday.path("message").asText());
        daily(daily, publishing, "2024-07-06");

        List<LocalDate> fetched = CALENDAR.sessions(DateRange.parse("2024-06-26", "2024-07-05"));
        Map<String, Long> requests = publishing.requestCounts();
        assertThat(requests.get("grouped")).as("each day refused once (partial), then fetched once").isEqualTo(2L * fetched.size());

        // One backfill of the whole span, forced to grouped calls (the planner would take 10 range calls): the week's
        // lake was backfilled by range calls, so it equals this one only if grouped and range calls give the same bars.
        Path once = temp.resolve("once");
        PolygonSimulator published = simulator(0);
        JsonNode forced = backfill(once, published, tickers, "2024-01-02", "2024-07-05", "--fetch", "grouped").summary();
        int sessions = CALENDAR.sessions(DateRange.parse("2024-01-02", "2024-07-05")).size();
        assertThat(forced.path("plan").get(0).path("forced").asBoolean()).isTrue();
        assertThat(forced.path("plan").get(0).path("calls").asLong()).isEqualTo(sessions)
                .isEqualTo(published.requestCounts().get("grouped"));
        assertThat(published.requestCounts()).doesNotContainKey("range");

        assertThat(Cli.bronzeBars(daily)).isEqualTo(Cli.bronzeBars(once));
        assertThat(Cli.bronzeBars(daily).values().iterator().next().getLast().date()).isEqualTo(LAST);
        assertThat(Cli.silver(daily)).containsOnlyKeys(Cli.silver(once).keySet());
        Map<String, byte[]> dailySilver = Cli.silver(daily);
        Cli.silver(once).forEach((key, bytes) -> {
            assertThat(Cli.silverRows(dailySilver.get(key), key)).as(key).isEqualTo(Cli.silverRows(bytes, key));
            assertThat(dailySilver.get(key)).as(key).isEqualTo(bytes);
        });
        String rows = "SELECT symbol, date, open, high, low, close, volume, vwap, transactions FROM raw_ohlcv ORDER BY symbol, date";
        assertThat(sql(daily, rows)).hasSizeGreaterThan(10 * 120).isEqualTo(sql(once, rows));
    }

    @Test
    void thePlannerPicksTheCheaperCallsAndTheSimulatorCountsExactlyThose() throws Exception {
        PolygonSimulator simulator = simulator(0);
        List<String> many = listedThrough(simulator.market(), DateRange.parse("2024-03-01", "2024-03-08"), 30);
        JsonNode grouped = backfill(temp.resolve("grouped"), simulator, many, "2024-03-01", "2024-03-08").summary();
        JsonNode plan = grouped.path("plan").get(0);
        assertThat(plan.path("fetch").asText()).isEqualTo("grouped");
        assertThat(plan.path("calls").asLong()).isEqualTo(6).isEqualTo(simulator.requestCounts().get("grouped"));
        assertThat(plan.path("range_calls").asLong()).isEqualTo(30);
        // Planned at the rate the functions call the simulator at, none (README's model): 30 x 0.05 s of range calls
        // against 6 x (0.05 + 0.17) s of whole-market sessions; at the free plan's 12 s a call, 360 s against 73.02 s.
        assertThat(plan.path("range_seconds").asDouble()).isEqualTo(1.5);
        assertThat(plan.path("grouped_seconds").asDouble()).isEqualTo(1.32);
        assertThat(plan.path("free_plan_floor_seconds").asLong()).isEqualTo(6 * 12);
        assertThat(simulator.requestCounts()).doesNotContainKey("range");
        assertThat(grouped.path("tickers").path("succeeded").asInt()).isEqualTo(30);

        PolygonSimulator second = simulator(0);
        List<String> few = many.subList(0, 3);
        JsonNode range = backfill(temp.resolve("range"), second, few, "2023-01-01", "2023-12-31").summary();
        assertThat(range.path("plan").get(0).path("fetch").asText()).isEqualTo("range");
        assertThat(range.path("plan").get(0).path("calls").asLong()).isEqualTo(3).isEqualTo(second.requestCounts().get("range"));
        // A few tickers forced to grouped calls, and their bars against range calls': the week of daily runs, above.
    }
}
