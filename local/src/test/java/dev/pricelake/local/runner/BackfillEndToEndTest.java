package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.core.Bar;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.InvalidBar;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.ValidatedBars;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill as a user runs it: the pricelake command, the real state machine on aws-local-stepfunctions,
 * S3Proxy, DynamoDB Local and the Polygon simulator; nothing mocked.
 */
class BackfillEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate LAST = LocalDate.of(2025, 6, 30);
    private static final DateRange TWO_YEARS = DateRange.parse("2023-01-01", "2024-12-31");
    private final List<PolygonSimulator> simulators = new ArrayList<>();
    /**
     * One uninterrupted backfill of 20 tickers over two years, made once for the class: the lake the first test
     * checks bar for bar against the simulator, and the one a rate-limited run and its resume must equal.
     */
    private static PolygonSimulator twentySimulator;
    private static List<String> twenty;
    private static Path twentyLake;
    private static Cli.Result twentyRun;

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    @BeforeAll
    static void backfillTwentyTickersOverTwoYears() throws Exception {
        twentySimulator = PolygonSimulator.start(new SyntheticMarket(42, 300, LAST, CALENDAR), PolygonSimulator.Options.defaults(), 0);
        twenty = listedThrough(twentySimulator.market(), TWO_YEARS, 20);
        twentyLake = shared.resolve("data");
        twentyRun = Cli.run(backfill(twentyLake, twentySimulator, twenty, TWO_YEARS));
    }

    @AfterAll
    static void stopTwentySimulator() {
        twentySimulator.close();
    }

    @AfterEach
    void stopSimulators() {
        simulators.forEach(PolygonSimulator::close);
    }

    private PolygonSimulator simulator(PolygonSimulator.Options options) throws Exception {
        PolygonSimulator simulator = PolygonSimulator.start(new SyntheticMarket(42, 300, LAST, CALENDAR), options, 0);
        simulators.add(simulator);
        return simulator;
    }

    private static PolygonSimulator.Options options(int rateLimit, double invalidBarRate, String key, long latency) {
        return new PolygonSimulator.Options(rateLimit, 0, invalidBarRate, key, latency);
    }

    /** Tickers listed through the whole range, so each has a bar on (almost) every session. */
    static List<String> listedThrough(SyntheticMarket market, DateRange range, int count) {
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(range.start()));
        int last = CALENDAR.sessionIndex(CALENDAR.onOrBefore(range.end()));
        return market.listings().stream().filter(l -> l.firstSession() <= first && l.lastSession() >= last)
                .filter(l -> market.rename(l).isEmpty()).limit(count).map(l -> l.ticker().value()).toList();
    }

    /** What the simulator serves for these tickers, split into what may enter the lake and what may not. */
    static Map<Ticker, ValidatedBars> served(PolygonSimulator simulator, List<String> tickers, DateRange range) {
        PolygonClient client = new PolygonClient(HttpClient.newHttpClient(),
                new PolygonConfig(simulator.baseUrl(), "local-simulator", 0, Duration.ofSeconds(10), 2, Duration.ofMillis(10)),
                RequestThrottle.inProcess());
        BarValidator validator = new BarValidator(CALENDAR);
        Map<Ticker, ValidatedBars> out = new LinkedHashMap<>();
        for (String t : tickers) {
            out.put(Ticker.of(t), validator.validate(client.dailyBars(Ticker.of(t), range, true)));
        }
        return out;
    }

    static Map<Ticker, List<Bar>> validOnly(Map<Ticker, ValidatedBars> served) {
        Map<Ticker, List<Bar>> out = new LinkedHashMap<>();
        served.forEach((t, v) -> {
            if (!v.valid().isEmpty()) {
                out.put(t, v.valid());
            }
        });
        return out;
    }

    private static String[] backfill(Path dataDir, PolygonSimulator simulator, List<String> tickers, DateRange range,
            String... extra) {
        List<String> args = new ArrayList<>(List.of("backfill", "--tickers", String.join(",", tickers),
                "--start", range.start().toString(), "--end", range.end().toString(), "--data-dir", dataDir.toString(),
                "--polygon-url", simulator.baseUrl().toString(), "--batch-size", "5", "--max-concurrency", "2",
                "--fast-retries", "--json"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void twentyTickersOverTwoYearsLandInBronzeBarForBar() throws Exception {
        PolygonSimulator simulator = twentySimulator;
        List<String> tickers = twenty;
        Path data = twentyLake;
        Cli.Result result = twentyRun;

        assertThat(result.exit()).as(result.toString()).isZero();
        JsonNode summary = result.summary();
        assertThat(summary.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(summary.at("/tickers/succeeded").asInt()).isEqualTo(20);
        Map<Ticker, List<Bar>> expected = validOnly(served(simulator, tickers, TWO_YEARS));
        assertThat(Cli.bronzeBars(data)).isEqualTo(expected);
        assertThat(summary.get("bars").asLong()).isEqualTo(expected.values().stream().mapToLong(List::size).sum());
        assertThat(expected.values().iterator().next()).extracting(Bar::date)
                .isSubsetOf(CALENDAR.sessions(TWO_YEARS)).hasSizeGreaterThan(450);
        // Inside Step Functions' quotas: a history of a few dozen events, a child execution of its own per batch.
        assertThat(summary.get("history_events").asInt()).isBetween(10, 100);
        assertThat(summary.get("child_executions").asInt()).isEqualTo(4);
        assertThat(summary.get("child_max_history_events").asInt()).isBetween(10, 100);
        assertThat(result.err()).contains("history: " + summary.get("history_events").asInt() + " of Step Functions' 25,000 events");

        // The run ended with an incremental Resample; a full rebuild from the same bronze changes no byte.
        Map<String, byte[]> silver = Cli.silver(data);
        assertThat(silver.keySet()).anyMatch(k -> k.startsWith("silver_34d/year=2024/month=12/"))
                .anyMatch(k -> k.startsWith("silver_3d/year=2023/month=01/"));
        Cli.Result full = Cli.run("resample", "--full", "--data-dir", data.toString(), "--json");
        assertThat(full.exit()).as(full.toString()).isZero();
        assertThat(full.summary().get("symbols_read").asInt()).isEqualTo(20);
        Map<String, byte[]> rebuilt = Cli.silver(data);
        assertThat(rebuilt.keySet()).isEqualTo(silver.keySet());
        rebuilt.forEach((key, bytes) -> assertThat(bytes).as(key).isEqualTo(silver.get(key)));

        // The printed hint names only the command this project installs, and it works, with Athena's table names.
        String hint = "./pricelake query \"SELECT symbol, count(*) AS bars, min(date), max(date) FROM bronze GROUP BY symbol"
                + " ORDER BY symbol\" --data-dir " + data;
        assertThat(result.err()).contains("query:  " + hint).doesNotContain("duckdb -c");
        Cli.Result bars = Cli.run("query", "SELECT symbol, count(*) AS bars FROM bronze GROUP BY symbol ORDER BY symbol",
                "--data-dir", data.toString());
        assertThat(bars.exit()).as(bars.toString()).isZero();
        StringBuilder csv = new StringBuilder("symbol,bars\n");
        expected.forEach((ticker, list) -> csv.append(ticker.value()).append(',').append(list.size()).append('\n'));
        assertThat(bars.out()).isEqualTo(csv.toString());
        long silver5d = silver.entrySet().stream().filter(e -> e.getKey().startsWith("silver_5d/"))
                .mapToLong(e -> SilverParquet.read(e.getValue(), e.getKey()).size()).sum();
        Cli.Result k5 = Cli.run("query", "SELECT count(*) AS n FROM silver_5d WHERE year >= 2023 AND month BETWEEN 1 AND 12",
                "--data-dir", data.toString());
        assertThat(k5.out()).as(k5.toString()).isEqualTo("n\n" + silver5d + "\n");
        Cli.Result wrong = Cli.run("query", "SELECT * FROM silver_4d", "--data-dir", data.toString());
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("query failed:").contains("silver_4d")
                .contains("tables: bronze, silver_3d, silver_5d, silver_8d, silver_13d, silver_21d, silver_34d");
    }

    @Test
    void aRateLimitedRunEndsPartialAndResumeFinishesItExactly() throws Exception {
        // The run's first requests bring the corporate actions up to date (the new ones, then older ones down to the
        // start: 9 in this market); the rest fetch bars until the limit.
        PolygonSimulator limited = simulator(options(15, 0, null, 0));
        List<String> tickers = listedThrough(limited.market(), TWO_YEARS, 20);
        assertThat(tickers).as("the tickers of the class's uninterrupted backfill").isEqualTo(twenty);
        Path data = temp.resolve("interrupted");

        Cli.Result partial = Cli.run(backfill(data, limited, tickers, TWO_YEARS));

        assertThat(partial.exit()).as(partial.toString()).isEqualTo(RunReport.EXIT_PARTIAL);
        JsonNode summary = partial.summary();
        assertThat(summary.get("status").asText()).isEqualTo("PARTIAL");
        assertThat(summary.at("/tickers/rate_limited").asInt()).isPositive();
        assertThat(summary.at("/tickers/succeeded").asInt()).isBetween(1, 19);
        assertThat(partial.err()).contains("./pricelake resume " + summary.get("run_id").asText());
        // Every retry wait told as it began (--fast-retries: 0.2 s each), up to the last of the state's five.
        assertThat(partial.err()).contains("waiting 0.2 s for the Polygon rate limit (FetchPrices, retry 1 of 5)")
                .contains("waiting 0.2 s for the Polygon rate limit (FetchPrices, retry 5 of 5)");

        Cli.Result status = Cli.run("status", summary.get("run_id").asText(), "--data-dir", data.toString(), "--json");
        assertThat(status.err()).contains("RATE_LIMITED after").contains("exceeded the maximum requests per minute");
        assertThat(status.summary().at("/tickers/rate_limited").asInt()).isEqualTo(summary.at("/tickers/rate_limited").asInt());
        // Each stopped ticker with its own error, in both JSON summaries.
        assertThat(status.summary().get("ticker_errors")).hasSize(summary.at("/tickers/rate_limited").asInt())
                .allSatisfy(t -> {
                    assertThat(t.get("status").asText()).isEqualTo("RATE_LIMITED");
                    assertThat(tickers).contains(t.get("ticker").asText());
                    assertThat(t.get("error").asText()).contains("exceeded the maximum requests per minute");
                });
        assertThat(summary.get("ticker_errors")).isEqualTo(status.summary().get("ticker_errors"));

        PolygonSimulator lifted = simulator(PolygonSimulator.Options.defaults());
        Cli.Result resumed = Cli.run("resume", summary.get("run_id").asText(), "--data-dir", data.toString(),
                "--polygon-url", lifted.baseUrl().toString(), "--fast-retries", "--json");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.summary().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(resumed.summary().at("/tickers/succeeded").asInt()).isEqualTo(20);
        assertThat(resumed.summary().get("ticker_errors")).isEmpty();
        // The run is found again without its id: one run, COMPLETE after its resume, with all its bars.
        Cli.Result runs = Cli.run("runs", "--data-dir", data.toString(), "--json");
        assertThat(runs.exit()).as(runs.toString()).isZero();
        JsonNode listed = new ObjectMapper().readTree(runs.out().strip());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("run_id").asText()).isEqualTo(summary.get("run_id").asText());
        assertThat(listed.get(0).get("status").asText()).isEqualTo("COMPLETE");
        assertThat(listed.get(0).at("/tickers/succeeded").asInt()).isEqualTo(20);
        assertThat(listed.get(0).get("bars").asLong())
                .isEqualTo(Cli.bronzeBars(data).values().stream().mapToLong(List::size).sum());

        // The same tickers backfilled uninterrupted (once for the class, from the same market).
        Path uninterrupted = twentyLake;
        assertThat(twentyRun.exit()).as(twentyRun.toString()).isZero();
        assertThat(Cli.bronzeBars(data)).isEqualTo(Cli.bronzeBars(uninterrupted)).hasSize(20);
        Map<String, byte[]> silver = Cli.silver(data);
        Map<String, byte[]> uninterruptedSilver = Cli.silver(uninterrupted);
        assertThat(silver.keySet()).isNotEmpty().isEqualTo(uninterruptedSilver.keySet());
        silver.forEach((key, bytes) -> assertThat(bytes).as(key).isEqualTo(uninterruptedSilver.get(key)));
    }

    @Test
    void aRunnerKilledMidRunIsFinishedByResume() throws Exception {
        PolygonSimulator slow = simulator(options(0, 0, null, 60));
        DateRange range = DateRange.parse("2022-01-01", "2024-12-31");
        // Batches of 2, one at a time: the kill lands after 2 of the 10 batches, with most of the run still to do.
        List<String> tickers = listedThrough(slow.market(), range, 20);
        Path data = temp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dpricelake.home=" + System.getProperty("pricelake.home"),
                dev.pricelake.local.Pricelake.class.getName()));
        command.addAll(List.of(backfill(data, slow, tickers, range, "--batch-size", "2", "--max-concurrency", "1")));
        Process runner = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("killed-runner.log").toFile()).start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (Cli.bronzeFileCount(data) < 4 && System.nanoTime() < deadline && runner.isAlive()) {
            Thread.sleep(100);
        }
        runner.destroyForcibly();
        assertThat(runner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long writtenBeforeKill = Cli.bronzeFileCount(data);
        assertThat(writtenBeforeKill).as(Files.readString(temp.resolve("killed-runner.log"))).isBetween(4L, 19L);
        // A killed runner prints no resume hint (and may not have printed a progress line yet): `runs` finds the run.
        Cli.Result runs = Cli.run("runs", "--data-dir", data.toString(), "--json");
        JsonNode listed = new ObjectMapper().readTree(runs.out().strip());
        assertThat(listed).as(runs.toString()).hasSize(1);
        String runId = listed.get(0).get("run_id").asText();

        Cli.Result resumed = Cli.run("resume", runId, "--data-dir", data.toString(), "--polygon-url",
                slow.baseUrl().toString(), "--fast-retries", "--json", "--max-concurrency", "4");

        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.summary().at("/tickers/succeeded").asInt()).isEqualTo(20);
        assertThat(Cli.bronzeBars(data)).isEqualTo(validOnly(served(slow, tickers, range)));
    }

    @Test
    void badInputFailsAtOnceNamingTheProblemAndWritesNothing() throws Exception {
        PolygonSimulator simulator = simulator(options(0, 0, "the-right-key", 0));
        List<String> tickers = listedThrough(simulator.market(), TWO_YEARS, 2);

        Path reversed = temp.resolve("reversed");
        Cli.Result endBeforeStart = Cli.run(backfill(reversed, simulator, tickers, TWO_YEARS, "--start", "2025-01-01"));
        assertThat(endBeforeStart.exit()).as(endBeforeStart.toString()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(endBeforeStart.err()).contains("error: --end 2024-12-31 is before --start 2025-01-01");
        assertThat(reversed).as("checked before anything starts: not even the data dir is made").doesNotExist();

        Path malformed = temp.resolve("malformed");
        Cli.Result badTicker = Cli.run(backfill(malformed, simulator, List.of(tickers.getFirst(), "AAPL!"), TWO_YEARS));
        assertThat(badTicker.exit()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(badTicker.err()).contains("error: --tickers (item 2) 'AAPL!' is not a Polygon stock symbol");
        assertThat(malformed).doesNotExist();
        Cli.Result badBatch = Cli.run(backfill(malformed, simulator, tickers, TWO_YEARS, "--batch-size", "0"));
        assertThat(badBatch.err()).contains("error: --batch-size 0 is outside 1..1000").doesNotContain("batch_size");
        Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
        Cli.Result badDir = Cli.run(backfill(file.resolve("data"), simulator, tickers, TWO_YEARS));
        assertThat(badDir.exit()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(badDir.err()).contains("error: --data-dir " + file.resolve("data") + " cannot be created: ").contains(file.toString());

        Path unknown = temp.resolve("unknown");
        Cli.Result noSuchRun = Cli.run("resume", "backfill-20240101-000000-0badc0de", "--data-dir", unknown.toString(),
                "--polygon-url", simulator.baseUrl().toString(), "--json");
        assertThat(noSuchRun.exit()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(noSuchRun.err()).contains("error: no run backfill-20240101-000000-0badc0de in the progress table");
        assertThat(Cli.lakeFiles(unknown)).isEmpty();

        Path rejected = temp.resolve("rejected");
        Cli.Result badKey = Cli.run(backfill(rejected, simulator, tickers, TWO_YEARS));
        assertThat(badKey.exit()).as(badKey.toString()).isEqualTo(RunReport.EXIT_FAILED);
        assertThat(badKey.summary().get("status").asText()).isEqualTo("FAILED");
        assertThat(badKey.summary().get("error").asText()).contains("API key was rejected").contains("Unknown API Key")
                .doesNotContain("Exception").doesNotContain("dev.pricelake");
        // SelectTickers asks for corporate actions first, so the rejected key stops the run before it writes anything.
        assertThat(Cli.lakeFiles(rejected)).isEmpty();
    }

    @Test
    void aGroupedCatchUpOfThreeHundredSessionsOutlivesAShortTimeoutByLooping() throws Exception {
        PolygonSimulator simulator = simulator(PolygonSimulator.Options.defaults());
        DateRange range = DateRange.parse("2023-01-03", "2024-03-13");
        assertThat(CALENDAR.sessions(range)).hasSize(300);
        List<String> tickers = listedThrough(simulator.market(), range, 8);
        Path data = temp.resolve("catch-up");
        int timeout = 8;

        Cli.Result result = Cli.run(backfill(data, simulator, tickers, range, "--fetch", "grouped", "--batch-size", "8",
                "--function-timeout", "fetch-sessions=" + timeout));

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.summary().get("status").asText()).isEqualTo("COMPLETE");
        // Every session was asked for once, by invocations that each stopped inside the timeout and let the loop go on.
        assertThat(simulator.requestCounts()).containsEntry("grouped", 300L).doesNotContainKey("range");
        assertThat(Cli.bronzeBars(data)).isEqualTo(validOnly(served(simulator, tickers, range)));
        List<String> reports = new ArrayList<>();
        try (var logs = Files.list(data.resolve("logs/lambda/pricelake-fetch-sessions"))) {
            for (Path log : logs.toList()) {
                Files.readAllLines(log).stream().filter(l -> l.startsWith("REPORT")).forEach(reports::add);
            }
        }
        assertThat(reports).hasSizeGreaterThan(1).allSatisfy(r -> assertThat(Double.parseDouble(
                r.replaceAll(".*\tDuration: ([0-9.]+) ms.*", "$1"))).isLessThan(timeout * 1000.0));
    }

    @Test
    void aFunctionTimeoutForAFunctionTheMachineDoesNotCallIsRefusedNamingTheOption() {
        Cli.Result result = Cli.run("backfill", "--tickers", "AAPL", "--start", "2024-01-01", "--end", "2024-01-31",
                "--data-dir", temp.resolve("refused").toString(), "--function-timeout", "verify=60");
        assertThat(result.exit()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(result.err()).contains("error: --function-timeout 'verify' is not a function the state machine calls");
        assertThat(Cli.lakeFiles(temp.resolve("refused"))).isEmpty();
    }

    @Test
    void invalidBarsAreQuarantinedWithReasonsCountedAndKeptOutOfBronze() throws Exception {
        PolygonSimulator simulator = simulator(options(0, 0.05, null, 0));
        DateRange year = DateRange.parse("2024-01-01", "2024-12-31");
        List<String> tickers = listedThrough(simulator.market(), year, 6);
        Path data = temp.resolve("data");
        Map<Ticker, ValidatedBars> served = served(simulator, tickers, year);
        long invalid = served.values().stream().mapToLong(v -> v.invalid().size()).sum();
        assertThat(invalid).isPositive();

        Cli.Result result = Cli.run(backfill(data, simulator, tickers, year));

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.summary().get("quarantined").asLong()).isEqualTo(invalid);
        assertThat(Cli.bronzeBars(data)).isEqualTo(validOnly(served));
        String runId = result.summary().get("run_id").asText();
        for (Map.Entry<Ticker, ValidatedBars> e : served.entrySet()) {
            if (e.getValue().invalid().isEmpty()) {
                continue;
            }
            Path quarantine = data.resolve("s3/pricelake/quarantine/" + runId + "/symbol=" + e.getKey() + "/bars.jsonl");
            List<String> lines = Files.readAllLines(quarantine);
            assertThat(lines).hasSize(e.getValue().invalid().size());
            for (int i = 0; i < lines.size(); i++) {
                InvalidBar bad = e.getValue().invalid().get(i);
                assertThat(lines.get(i)).contains("\"date\":\"" + bad.bar().date() + "\"")
                        .contains(bad.reasons().getFirst().replace("\"", "\\\""));
            }
        }
    }
}
