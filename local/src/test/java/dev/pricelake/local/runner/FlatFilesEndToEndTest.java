package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --source flatfiles as a user runs it, through the real state machine on the local stand-ins, against the simulator's
 * REST API and its flat files on the same URL: the oracle is the REST adjusted=true range of the same market.
 */
class FlatFilesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate LAST = LocalDate.of(2025, 6, 30);
    private static final DateRange TWO_YEARS = DateRange.parse("2023-01-01", "2024-12-31");
    private static PolygonSimulator simulator;
    private static List<String> tickers;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        // A seed whose market has 7 unrenamed symbols listed through the range with a split after its start.
        simulator = PolygonSimulator.start(new SyntheticMarket(27, 400, LAST, CALENDAR), PolygonSimulator.Options.defaults(), 0);
        tickers = withSplits(simulator.market(), 20);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    /**
     * Tickers listed through the range and never renamed, those with a split after the range's start first (a split
     * inside the range, or after it, changes every bar before it).
     */
    private static List<String> withSplits(SyntheticMarket market, int count) {
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(TWO_YEARS.start()));
        int last = CALENDAR.sessionIndex(CALENDAR.onOrBefore(TWO_YEARS.end()));
        return market.listings().stream().filter(l -> l.firstSession() <= first && l.lastSession() >= last)
                .filter(l -> market.rename(l).isEmpty())
                .sorted(Comparator.comparing((SyntheticMarket.Listing l) -> l.splits().stream()
                        .noneMatch(s -> s.session() > first && s.session() <= market.publishedThroughIndex())))
                .limit(count).map(l -> l.ticker().value()).toList();
    }

    private static String[] backfill(Path dataDir, DateRange range, List<String> symbols, String... extra) {
        return backfill(simulator, dataDir, range, symbols, extra);
    }

    private static String[] backfill(PolygonSimulator at, Path dataDir, DateRange range, List<String> symbols, String... extra) {
        List<String> args = new ArrayList<>(List.of("backfill", "--tickers", String.join(",", symbols),
                "--start", range.start().toString(), "--end", range.end().toString(), "--data-dir", dataDir.toString(),
                "--polygon-url", at.baseUrl().toString(), "--batch-size", "10", "--max-concurrency", "2",
                "--fast-retries", "--json"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** The flat files carry no VWAP: the REST bars without theirs. */
    private static Map<Ticker, List<Bar>> withoutVwap(Map<Ticker, List<Bar>> bars) {
        Map<Ticker, List<Bar>> out = new LinkedHashMap<>();
        bars.forEach((t, list) -> out.put(t, list.stream().map(b -> new Bar(b.symbol(), b.date(), b.open(), b.high(), b.low(),
                b.close(), b.volume(), null, b.transactions())).toList()));
        return out;
    }

    private static long calls(String endpoint) {
        return calls(simulator, endpoint);
    }

    private static long calls(PolygonSimulator at, String endpoint) {
        return at.requestCounts().getOrDefault(endpoint, 0L);
    }

    /** A simulator of the same market for a test that changes what it serves. */
    private static PolygonSimulator another() throws Exception {
        return PolygonSimulator.start(new SyntheticMarket(42, 300, LAST, CALENDAR), PolygonSimulator.Options.defaults(), 0);
    }

    @Test
    void flatFilesBronzeIsTheRestRangesBronzeWithoutOneAggregatesCall() throws Exception {
        SyntheticMarket market = simulator.market();
        int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(TWO_YEARS.start()));
        long split = tickers.stream().map(t -> market.listing(Ticker.of(t)).orElseThrow())
                .filter(l -> l.splits().stream().anyMatch(s -> s.session() > first && s.session() <= market.publishedThroughIndex()))
                .count();
        assertThat(split).as("tickers whose bars in the range a split adjusts").isGreaterThanOrEqualTo(5);

        Path rest = temp.resolve("rest");
        Cli.Result byRange = Cli.run(backfill(rest, TWO_YEARS, tickers, "--fetch", "range"));
        assertThat(byRange.exit()).as(byRange.toString()).isZero();

        long rangeBefore = calls("range");
        long groupedBefore = calls("grouped");
        long filesBefore = calls("flatfiles");
        Path files = temp.resolve("files");
        Cli.Result byFiles = Cli.run(backfill(files, TWO_YEARS, tickers, "--source", "flatfiles"));
        assertThat(byFiles.exit()).as(byFiles.toString()).isZero();
        assertThat(byFiles.summary().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(byFiles.summary().at("/plan/0/fetch").asText()).isEqualTo("grouped");
        assertThat(byFiles.summary().at("/plan/0/reason").asText()).contains(CALENDAR.sessions(TWO_YEARS).size()
                + " flat files (one per session)");
        assertThat(byFiles.summary().at("/plan/0/free_plan_floor_seconds").asLong()).as("files are not rate limited").isZero();
        assertThat(byFiles.err()).contains("no call the rate limit spaces").doesNotContain("at the free plan's 5 requests");
        assertThat(calls("range") - rangeBefore).as("REST aggregates range calls").isZero();
        assertThat(calls("grouped") - groupedBefore).as("REST grouped daily calls").isZero();
        assertThat(calls("flatfiles") - filesBefore).as("flat files read").isGreaterThanOrEqualTo(CALENDAR.sessions(TWO_YEARS).size());

        Map<Ticker, List<Bar>> expected = withoutVwap(Cli.bronzeBars(rest));
        assertThat(expected).hasSize(20);
        Map<Ticker, List<Bar>> got = Cli.bronzeBars(files);
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        expected.forEach((t, bars) -> assertThat(got.get(t)).as(t.value()).isEqualTo(bars));
        assertThat(byFiles.summary().get("bars").asLong()).isEqualTo(byRange.summary().get("bars").asLong());
        // 20 tickers in batches of 10: two staged files, none a ticker.
        try (Stream<Path> walk = Files.walk(files.resolve("s3/pricelake/staging/" + byFiles.summary().get("run_id").asText()))) {
            List<String> staged = walk.filter(Files::isRegularFile).map(p -> files.resolve("s3/pricelake").relativize(p).toString())
                    .filter(k -> !k.contains("/sessions/") && k.endsWith(".parquet")).sorted().toList();
            assertThat(staged).hasSize(2).allMatch(k -> k.contains("/batch-bars/epoch=1/batch="));
        }

        // The files went through the distributed Map: 21 to a child, each session in exactly one child.
        List<JsonNode> children = mapChildren(files).stream().filter(c -> c.path("Input").asText().contains("fetch_sessions"))
                .toList();
        int sessions = CALENDAR.sessions(TWO_YEARS).size();
        assertThat(children).hasSize((sessions + 20) / 21);
        assertThat(children).allSatisfy(c -> assertThat(c.path("Status").asText()).isEqualTo("SUCCEEDED"));
        List<String> staged = new ArrayList<>();
        for (JsonNode child : children) {
            JSON.readTree(child.path("Input").asText()).path("Items").forEach(item -> staged.add(item.path("session").asText()));
        }
        assertThat(staged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                CALENDAR.sessions(TWO_YEARS).stream().map(LocalDate::toString).toList());
    }

    /** Every child execution the run's distributed Maps wrote to S3 (ResultWriter), as AWS writes them. */
    private static List<JsonNode> mapChildren(Path dataDir) throws Exception {
        List<JsonNode> children = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir.resolve("s3/pricelake/staging/map-results"))) {
            List<Path> results = files.filter(f -> f.getFileName().toString().matches("(SUCCEEDED|FAILED)_\\d+\\.json")).toList();
            for (Path file : results) {
                JSON.readTree(file.toFile()).forEach(children::add);
            }
        }
        return children;
    }

    @Test
    void aSessionWithoutAFileComesFromGroupedDailyAndTheRunSaysSo() throws Exception {
        DateRange march = DateRange.parse("2024-03-01", "2024-03-28");
        LocalDate withheld = LocalDate.of(2024, 3, 12);
        try (PolygonSimulator missing = another()) {
            missing.withholdFlatFile(withheld);
            List<String> five = withSplits(missing.market(), 5);
            Path data = temp.resolve("missing");
            Cli.Result result = Cli.run(backfill(missing, data, march, five, "--source", "flatfiles"));
            assertThat(result.exit()).as(result.toString()).isZero();
            assertThat(calls(missing, "grouped")).isEqualTo(1);
            assertThat(calls(missing, "range")).isZero();
            assertThat(result.err()).contains("flat files: 1 session(s) fetched with grouped daily instead")
                    .contains(withheld + ": no flat file at " + missing.baseUrl());
            Map<Ticker, List<Bar>> bronze = Cli.bronzeBars(data);
            assertThat(bronze.keySet()).extracting(Ticker::value).containsExactlyInAnyOrderElementsOf(five);
            bronze.values().forEach(bars -> assertThat(bars).extracting(Bar::date).contains(withheld));
        }
    }

    @Test
    void refusedCredentialsFailTheRunNamingTheFlatFilesEndpointAndWriteNoBar() throws Exception {
        try (PolygonSimulator other = another()) {
            other.flatFilesCredentials("SOMEONEELSESKEY", "someone-elses-secret");
            Path data = temp.resolve("refused");
            Cli.Result result = Cli.run(backfill(other, data, DateRange.parse("2024-03-01", "2024-03-08"),
                    withSplits(other.market(), 3), "--source", "flatfiles"));
            assertThat(result.exit()).as(result.toString()).isEqualTo(1);
            assertThat(result.summary().get("status").asText()).isEqualTo("FAILED");
            assertThat(result.summary().get("error").asText()).contains("flat-files endpoint " + other.baseUrl())
                    .contains("403").contains("InvalidAccessKeyId").contains("POLYGON_FLATFILES_ACCESS_KEY_ID");
            assertThat(Cli.bronzeBars(data)).isEmpty();
            try (Stream<Path> staged = Files.walk(data.resolve("s3"))) {
                assertThat(staged.filter(p -> p.toString().contains("/staging/") && p.toString().endsWith(".parquet")).toList())
                        .isEmpty();
            }
            assertThat(calls(other, "grouped")).isZero();
        }
    }
}
