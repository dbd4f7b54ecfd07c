package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs as a user and a scheduler meet them: a run named by its client, Ctrl-C and the resume that follows it (from
 * the run's own source), two runs started at once on one lake, and the sql command's guard. The simulator counts
 * the calls, so "fetches nothing already done" is counted, not assumed.
 */
class RunsEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate LAST = LocalDate.of(2025, 6, 30);
    private static final DateRange YEARS = DateRange.parse("2022-01-01", "2024-12-31");
    private final List<PolygonSimulator> simulators = new ArrayList<>();

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        simulators.forEach(PolygonSimulator::close);
    }

    private PolygonSimulator simulator(long latencyMillis) throws Exception {
        PolygonSimulator simulator = PolygonSimulator.start(new SyntheticMarket(42, 300, LAST, CALENDAR),
                new PolygonSimulator.Options(0, 0, 0, null, latencyMillis), 0);
        simulators.add(simulator);
        return simulator;
    }

    private static List<String> tickers(SyntheticMarket market, int count) {
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(YEARS.start()));
        int last = CALENDAR.sessionIndex(CALENDAR.onOrBefore(YEARS.end()));
        return market.listings().stream().filter(l -> l.firstSession() <= first && l.lastSession() >= last)
                .filter(l -> market.rename(l).isEmpty() && l.splits().isEmpty()).limit(count).map(l -> l.ticker().value()).toList();
    }

    private static List<String> backfill(Path data, PolygonSimulator sim, List<String> tickers, String... extra) {
        List<String> args = new ArrayList<>(List.of("backfill", "--tickers", String.join(",", tickers), "--start",
                YEARS.start().toString(), "--end", YEARS.end().toString(), "--data-dir", data.toString(), "--polygon-url",
                sim.baseUrl().toString(), "--fast-retries", "--json"));
        args.addAll(List.of(extra));
        return args;
    }

    private static long rangeCalls(PolygonSimulator sim) {
        return sim.requestCounts().getOrDefault("range", 0L);
    }

    @Test
    void aRunIdTheClientChoseCreatesTheRunThenResumesItAndRefusesAnotherInput() throws Exception {
        PolygonSimulator sim = simulator(0);
        List<String> tickers = tickers(sim.market(), 3);
        Path data = temp.resolve("named");

        Cli.Result created = Cli.run(backfill(data, sim, tickers, "--run-id", "three-years").toArray(String[]::new));
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.summary().get("run_id").asText()).isEqualTo("three-years");
        assertThat(rangeCalls(sim)).isEqualTo(3);

        Cli.Result repeated = Cli.run(backfill(data, sim, tickers, "--run-id", "three-years").toArray(String[]::new));
        assertThat(repeated.exit()).as(repeated.toString()).isZero();
        assertThat(repeated.summary().at("/tickers/succeeded").asInt()).isEqualTo(3);
        assertThat(rangeCalls(sim)).as("the same start again resumes the run, which has nothing left to fetch").isEqualTo(3);

        Cli.Result other = Cli.run(backfill(data, sim, tickers, "--run-id", "three-years", "--end", "2024-06-30")
                .toArray(String[]::new));
        assertThat(other.exit()).as(other.toString()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(other.err()).contains("error: run three-years exists with another input: end 2024-12-31 then, 2024-06-30 now");
        assertThat(rangeCalls(sim)).isEqualTo(3);
    }

    @Test
    void ctrlCSavesTheRunAndTheResumeFromItsOwnSourceFetchesNothingAlreadyFetched() throws Exception {
        PolygonSimulator slow = simulator(250);
        List<String> tickers = tickers(slow.market(), 12);
        Path data = temp.resolve("interrupted");
        // A terminal's Ctrl-C reaches a runner whose SIGINT is at its default; a test run from a background job would
        // hand the runner an ignored SIGINT, which no handler can take back, so env restores it (and execs java).
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dpricelake.home=" + System.getProperty("pricelake.home"),
                dev.pricelake.local.Pricelake.class.getName()));
        command.addAll(backfill(data, slow, tickers, "--batch-size", "2", "--max-concurrency", "1"));
        Path log = temp.resolve("runner.log");
        Process runner = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (Cli.bronzeFileCount(data) < 3 && System.nanoTime() < deadline && runner.isAlive()) {
            Thread.sleep(100);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(runner.pid())).start().waitFor();
        assertThat(runner.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(runner.exitValue()).as(output).isEqualTo(RunReport.EXIT_INTERRUPTED);
        Matcher saved = Pattern.compile("interrupted: run (\\S+) is saved").matcher(output);
        assertThat(saved.find()).as(output).isTrue();
        String runId = saved.group(1);
        assertThat(output)
                .contains("./pricelake resume " + runId + " --data-dir " + data + " --polygon-url " + slow.baseUrl());

        Cli.Result status = Cli.run("status", runId, "--data-dir", data.toString(), "--json");
        assertThat(status.summary().get("status").asText()).as(status.toString()).isEqualTo("INTERRUPTED");
        long fetchedBefore = rangeCalls(slow);
        long done = status.summary().at("/tickers/succeeded").asLong();
        assertThat(fetchedBefore).isBetween(3L, 11L);

        // The resume names no source: it takes the run's, the simulator at that URL, and never starts one of its own.
        Cli.Result resumed = Cli.run("resume", runId, "--data-dir", data.toString(), "--fast-retries", "--json");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("Polygon: " + slow.baseUrl() + ", where run " + runId + " fetched its prices")
                .doesNotContain("local simulator");
        assertThat(resumed.summary().at("/tickers/succeeded").asInt()).isEqualTo(12);
        // Every ticker the interrupted run had fetched (written or only staged) is not asked for again; at most the one
        // whose answer the interrupt cut off is asked twice.
        assertThat(rangeCalls(slow)).isBetween(12L, 13L);
        assertThat(rangeCalls(slow) - fetchedBefore).isLessThanOrEqualTo(12 - done);
        assertThat(Cli.bronzeBars(data)).hasSize(12);
    }

    @Test
    void twoRunsStartedAtOnceOnOneLakeCannotBothWrite() throws Exception {
        PolygonSimulator slow = simulator(150);
        List<String> tickers = tickers(slow.market(), 8);
        Path data = temp.resolve("overlap");
        StringWriter log = new StringWriter();
        try (LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Settings(data, slow.baseUrl(), null, 0, null),
                new PrintWriter(log, true))) {
            CountDownLatch firstSelected = new CountDownLatch(1);
            CompletableFuture<StateMachineRunner.Outcome> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return pipeline.execute(input(tickers.subList(0, 6)), true, s -> firstSelected.countDown());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(firstSelected.await(120, TimeUnit.SECONDS)).isTrue();
            StateMachineRunner.Outcome second = pipeline.execute(input(tickers.subList(6, 8)), true, s -> { });
            assertThat(second.succeeded()).isFalse();
            assertThat(second.error()).isEqualTo("dev.pricelake.core.LakeBusyException");
            assertThat(second.cause()).contains("is writing the lake");
            assertThat(first.get(180, TimeUnit.SECONDS).succeeded()).isTrue();
            assertThat(pipeline.progress().lease()).as("the first gave its lease back").isEmpty();
        }
        assertThat(Cli.bronzeBars(data).keySet()).extracting(Ticker::value).containsExactlyInAnyOrderElementsOf(tickers.subList(0, 6));
    }

    private static ObjectNode input(List<String> tickers) {
        ObjectNode input = JSON.createObjectNode();
        input.put("mode", "backfill");
        input.put("start", YEARS.start().toString());
        input.put("end", YEARS.end().toString());
        var list = input.putObject("selection").putArray("tickers");
        tickers.forEach(list::add);
        input.put("batch_size", 2);
        input.put("max_concurrency", 1);
        return input;
    }

    @Test
    void sqlIsReadOnlyOneStatementAtATimeUnlessToldToWriteAndLeavesSomeoneElsesDatabaseUnmigrated() throws Exception {
        Path data = temp.resolve("sql");
        Cli.Result drop = Cli.run("sql", "DROP TABLE raw_ohlcv", "--data-dir", data.toString());
        assertThat(drop.exit()).as(drop.toString()).isEqualTo(RunReport.EXIT_BAD_INPUT);
        assertThat(drop.err()).contains("error: --write is needed for a statement that changes data or schema");
        Cli.Result two = Cli.run("sql", "SELECT 1; SELECT 2", "--data-dir", data.toString());
        assertThat(two.err()).contains("error: --write is needed for several statements in one call");
        Cli.Result still = Cli.run("sql", "SELECT count(*) AS rows FROM raw_ohlcv", "--data-dir", data.toString());
        assertThat(still.out()).isEqualTo("rows\n0\n");
        Cli.Result written = Cli.run("sql", "CREATE TABLE scratch (x int); INSERT INTO scratch VALUES (7)", "--data-dir",
                data.toString(), "--write");
        assertThat(written.exit()).as(written.toString()).isZero();
        assertThat(Cli.run("sql", "SELECT x FROM scratch", "--data-dir", data.toString()).out()).isEqualTo("x\n7\n");

        try (EmbeddedPostgres theirs = EmbeddedPostgres.builder().start()) {
            Cli.Result query = Cli.run("sql", "SELECT 1 AS one", "--database-url", theirs.getJdbcUrl("postgres", "postgres"));
            assertThat(query.out()).isEqualTo("one\n1\n");
            try (Connection c = theirs.getPostgresDatabase().getConnection();
                 ResultSet tables = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                assertThat(tables.next()).as("no migration ran against it").isFalse();
            }
        }
    }
}
