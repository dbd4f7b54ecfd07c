package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --timespan minute as a user runs it, through the real state machine on the local stand-ins: the minute bronze, read
 * with DuckDB, is what the simulator serves over HTTP, minute for minute, across its small pages and the early closes
 * of November and December 2024; PostgreSQL's ohlcv_minute holds exactly the bronze minutes of the 30 days before the
 * run's as-of; a second run changes no byte and no row; the retention job deletes exactly the minutes that left the
 * window.
 */
class MinuteEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final LocalDate LAST = LocalDate.of(2025, 6, 30);
    private static final List<String> SYMBOLS = List.of("AAPL", "SPY", "MSFT");
    private static final int PAGE = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static PolygonSimulator simulator;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        simulator = PolygonSimulator.start(new SyntheticMarket(42, 200, LAST, CALENDAR),
                PolygonSimulator.Options.defaults().withMaxPageSize(PAGE), 0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static String[] backfill(Path dataDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("backfill", "--start", "2024-11-01", "--end", "2024-12-31",
                "--data-dir", dataDir.toString(), "--polygon-url", simulator.baseUrl().toString(), "--batch-size", "2",
                "--fast-retries", "--json"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** What the simulator serves a client, page after page: symbol, t (ms), o, h, l, c, v, vw, n. */
    private static List<String> served(String symbol) throws Exception {
        return served(symbol, "2024-11-01", "2024-12-31");
    }

    private static List<String> served(String symbol, String from, String to) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> out = new ArrayList<>();
        URI next = URI.create(simulator.baseUrl() + "/v2/aggs/ticker/" + symbol
                + "/range/1/minute/" + from + "/" + to + "?adjusted=true&sort=asc&limit=50000");
        while (next != null) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(next).header("Authorization", "Bearer test").build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            body.path("results").forEach(r -> out.add(String.join(" ", symbol, r.get("t").asText(), r.get("o").asText(),
                    r.get("h").asText(), r.get("l").asText(), r.get("c").asText(), r.get("v").asText(), r.get("vw").asText(),
                    r.get("n").asText())));
            next = body.hasNonNull("next_url") ? URI.create(body.get("next_url").asText()) : null;
        }
        return out;
    }

    /** The minute bronze as DuckDB reads it, in the same words. */
    private static List<String> bronze(Path dataDir) throws Exception {
        Path root = dataDir.resolve("s3/pricelake/bronze/raw_ohlcv_1m");
        List<String> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT symbol, epoch_ms(ts), open, high, low, close, volume, vwap, transactions"
                     + " FROM read_parquet('" + root + "/*/*/*/data.parquet', hive_partitioning = false) ORDER BY symbol, ts")) {
            while (rs.next()) {
                out.add(String.join(" ", rs.getString(1), String.valueOf(rs.getLong(2)), text(rs.getDouble(3)),
                        text(rs.getDouble(4)), text(rs.getDouble(5)), text(rs.getDouble(6)), text(rs.getDouble(7)),
                        text(rs.getDouble(8)), String.valueOf(rs.getLong(9))));
            }
        }
        return out;
    }

    /** As Jackson writes a double. */
    private static String text(double value) {
        return JSON.getNodeFactory().numberNode(value).asText();
    }

    /** A query's rows on the data dir's PostgreSQL, through the sql command, header left out. */
    private static List<String> sql(Path dataDir, String query) {
        Cli.Result r = Cli.run("sql", query, "--data-dir", dataDir.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.out().strip().lines().toList();
        return lines.subList(1, lines.size());
    }

    /** ohlcv_minute in the words of {@link #bronze}. */
    private static List<String> minuteTable(Path dataDir) {
        return sql(dataDir, "SELECT symbol, (extract(epoch FROM ts) * 1000)::bigint, open, high, low, close, volume, vwap,"
                + " transactions FROM ohlcv_minute ORDER BY symbol, ts").stream().map(l -> l.replace(',', ' ')).toList();
    }

    /** The bronze minutes (as {@link #bronze} words them) that start at or after an instant. */
    private static List<String> from(List<String> bronze, Instant start) {
        return bronze.stream().filter(l -> Long.parseLong(l.split(" ")[1]) >= start.toEpochMilli()).toList();
    }

    private static Map<String, String> digests(Path dataDir) throws Exception {
        Path root = dataDir.resolve("s3/pricelake/bronze/raw_ohlcv_1m");
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(f).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }

    @Test
    void minuteBronzeIsWhatTheSimulatorServesOhlcvMinuteItsWindowAndASecondRunChangesNothing() throws Exception {
        Path data = temp.resolve("minutes");
        long dayCalls = simulator.requestCounts().getOrDefault("range", 0L);
        String[] run = backfill(data, "--tickers", String.join(",", SYMBOLS), "--timespan", "minute", "--as-of", "2024-12-20");

        Cli.Result first = Cli.run(run);

        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.summary().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(first.summary().at("/plan/0/calls").asLong()).as("November and December in one call a symbol").isEqualTo(3);
        assertThat(first.summary().at("/plan/0/reason").asText()).contains("sessions of minutes");
        List<String> expected = new ArrayList<>();
        for (String symbol : SYMBOLS.stream().sorted().toList()) {
            expected.addAll(served(symbol));
        }
        int sessions = CALENDAR.sessions(dev.pricelake.core.DateRange.parse("2024-11-01", "2024-12-31")).size();
        assertThat(expected).as("two early closes a symbol").hasSize(SYMBOLS.size() * (sessions * 390 - 2 * 180));
        assertThat(bronze(data)).containsExactlyElementsOf(expected);
        assertThat(first.summary().get("bars").asLong()).isEqualTo(expected.size());

        Map<String, String> files = digests(data);
        assertThat(files.keySet()).containsExactlyInAnyOrder(SYMBOLS.stream().flatMap(s -> Stream.of(
                "symbol=" + s + "/year=2024/month=11/data.parquet", "symbol=" + s + "/year=2024/month=12/data.parquet")).toArray(String[]::new));
        assertThat(data.resolve("s3/pricelake/bronze/raw_ohlcv")).as("no day bronze").doesNotExist();
        long minuteCalls = simulator.requestCounts().get("range_minute");
        assertThat(minuteCalls).as("pages of %d, every one followed", PAGE)
                .isGreaterThanOrEqualTo((long) Math.ceilDiv(expected.size(), PAGE));
        assertThat(simulator.requestCounts().getOrDefault("range", 0L)).as("no day range call").isEqualTo(dayCalls);
        // ./pricelake query's bronze_1m view, with the partition folders' year and month, counts what was served.
        Map<String, Long> perMonth = new TreeMap<>();
        expected.forEach(line -> {
            String[] f = line.split(" ");
            LocalDate day = Instant.ofEpochMilli(Long.parseLong(f[1])).atZone(ZoneId.of("America/New_York")).toLocalDate();
            perMonth.merge(f[0] + "," + day.getYear() + "," + day.getMonthValue(), 1L, Long::sum);
        });
        StringBuilder csv = new StringBuilder("symbol,year,month,n\n");
        perMonth.forEach((key, n) -> csv.append(key).append(',').append(n).append('\n'));
        Cli.Result counted = Cli.run("query", "SELECT symbol, year, month, count(*) AS n FROM bronze_1m WHERE month + 0 >= 11"
                + " GROUP BY ALL ORDER BY ALL", "--data-dir", data.toString());
        assertThat(counted.out()).as(counted.toString()).isEqualTo(csv.toString());
        // The run's closing lines name the minute files and a query that reads them, not the day lake's.
        assertThat(first.err())
                .contains("bronze: " + data.resolve("s3/pricelake/bronze/raw_ohlcv_1m/symbol=*/year=*/month=*/data.parquet"))
                .contains("query:  ./pricelake query \"SELECT symbol, count(*) AS bars, min(ts), max(ts) FROM bronze_1m");

        // The default window: 30 calendar days before the as-of, from midnight in New York (EST: 05:00 UTC).
        List<String> lake = bronze(data);
        List<String> window = from(lake, LocalDate.of(2024, 11, 20).atStartOfDay(NEW_YORK).toInstant());
        assertThat(window).hasSizeBetween(1, lake.size() - 1);
        assertThat(minuteTable(data)).as("exactly the bronze minutes inside the window").containsExactlyElementsOf(window);
        String stamps = "SELECT symbol, ts, ingested_at FROM ohlcv_minute ORDER BY symbol, ts";
        List<String> written = sql(data, stamps);

        Cli.Result second = Cli.run(run);
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(digests(data)).as("the same bytes").isEqualTo(files);
        assertThat(sql(data, stamps)).as("the same rows, not even ingested_at moved").isEqualTo(written);

        // Eleven days later the window starts on December 1: retention deletes exactly the minutes before it, once.
        long leaving = Long.parseLong(sql(data, "SELECT count(*) FROM ohlcv_minute"
                + " WHERE ts < timestamptz '2024-12-01 00:00:00 America/New_York'").getFirst());
        assertThat(leaving).isPositive();
        Cli.Result retention = Cli.run("retention", "--as-of", "2024-12-31", "--data-dir", data.toString(), "--json");
        assertThat(retention.exit()).as(retention.toString()).isZero();
        assertThat(retention.summary().get("minutes_deleted").asLong()).isEqualTo(leaving);
        assertThat(retention.summary().get("minute_rows").asLong()).isEqualTo(window.size() - leaving);
        assertThat(minuteTable(data)).containsExactlyElementsOf(from(lake, Instant.parse("2024-12-01T05:00:00Z")));
        Cli.Result again = Cli.run("retention", "--as-of", "2024-12-31", "--data-dir", data.toString(), "--json");
        assertThat(again.summary().get("minutes_deleted").asLong()).as("a second retention deletes nothing").isZero();
        assertThat(again.summary().get("minute_rows").asLong()).isEqualTo(window.size() - leaving);

        verifyFindsExactlyWhatTheTestBreaks(data);
    }

    /** Rewrites a minute file with DuckDB, from a query over {@code f}, the file as it is. */
    private static void rewrite(Path dataDir, String symbol, int month, String query) throws Exception {
        Path file = dataDir.resolve("s3/pricelake/bronze/raw_ohlcv_1m/symbol=" + symbol + "/year=2024/month=" + month
                + "/data.parquet");
        Path rewritten = file.resolveSibling("rewritten.parquet");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("CREATE VIEW f AS SELECT * FROM read_parquet('" + file + "')");
            st.execute("COPY (" + query + ") TO '" + rewritten + "' (FORMAT parquet)");
        }
        Files.move(rewritten, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The simulator serves every regular minute of its well-known symbols, so the lake verifies clean; with one of
     * AAPL's minutes removed from bronze (still in ohlcv_minute) and one of MSFT's November minutes written twice, verify
     * reports exactly those.
     */
    private static void verifyFindsExactlyWhatTheTestBreaks(Path data) throws Exception {
        String[] verify = {"verify", "--as-of", "2024-12-31", "--data-dir", data.toString(), "--json"};
        Cli.Result clean = Cli.run(verify);
        assertThat(clean.exit()).as(clean.toString()).isZero();
        JsonNode totals = clean.summary().get("totals");
        assertThat(totals.get("minute_symbols").asLong()).isEqualTo(3);
        assertThat(totals.get("symbols").asLong()).as("no day bronze").isZero();
        assertThat(clean.summary().at("/minutes/symbols/0/every_minute_months").asInt()).isEqualTo(2);
        assertThat(clean.summary().at("/minutes/postgres_from").asText()).isEqualTo("2024-12-01");
        assertThat(clean.err()).contains("minutes clean: 3 symbols checked, 0 with defects");

        rewrite(data, "AAPL", 12, "SELECT * FROM f WHERE ts <> TIMESTAMP '2024-12-03 15:15:00' ORDER BY ts");
        rewrite(data, "MSFT", 11, "SELECT * FROM f UNION ALL SELECT * FROM f WHERE ts = TIMESTAMP '2024-11-12 15:00:00'"
                + " ORDER BY ts");
        Cli.Result broken = Cli.run(verify);

        assertThat(broken.exit()).as(broken.toString()).isEqualTo(1);
        JsonNode after = broken.summary().get("totals");
        assertThat(List.of("minute_gaps", "missing_minutes", "duplicate_minutes", "minute_postgres_diffs", "invalid_minutes",
                "misplaced_minutes", "minute_unreadable", "minute_symbols_with_defects").stream().map(k -> k + "=" + after.get(k))
                .toList()).containsExactly("minute_gaps=1", "missing_minutes=1", "duplicate_minutes=1", "minute_postgres_diffs=1",
                "invalid_minutes=0", "misplaced_minutes=0", "minute_unreadable=0", "minute_symbols_with_defects=2");
        JsonNode aapl = broken.summary().at("/minutes/symbols/0");
        assertThat(aapl.at("/gaps/examples/0").asText()).isEqualTo("2024-12-03 10:15-10:16: 1 minute missing");
        assertThat(aapl.at("/postgres_diffs/examples/0").asText()).isEqualTo("2024-12-03 10:15: in PostgreSQL, not in bronze");
        JsonNode msft = broken.summary().at("/minutes/symbols/1");
        assertThat(msft.at("/duplicate_minutes/examples/0").asText()).isEqualTo("2024-11-12 10:00: more than one row");
        assertThat(broken.err()).contains("minutes DEFECTS: 3 symbols checked, 2 with defects");
    }

    /** A line of {@link #served} or {@link #bronze} without its VWAP, which the flat files do not carry. */
    private static String withoutVwap(String line) {
        String[] f = line.split(" ");
        f[7] = "-";
        return String.join(" ", f);
    }

    private static LocalDate dayOf(String line) {
        return Instant.ofEpochMilli(Long.parseLong(line.split(" ")[1])).atZone(NEW_YORK).toLocalDate();
    }

    @Test
    void minuteFlatFilesGiveTheRangeEndpointsMinutesWithNoRangeCallAndAWithheldFileComesFromRangeCalls() throws Exception {
        Path data = temp.resolve("flat-minutes");
        LocalDate withheld = LocalDate.of(2024, 12, 3);
        simulator.withholdMinuteFlatFile(withheld);
        List<String> symbols = SYMBOLS;
        long minuteCalls = simulator.requestCounts().getOrDefault("range_minute", 0L);
        long files = simulator.requestCounts().getOrDefault("flatfiles", 0L);

        Cli.Result run = Cli.run(backfill(data, "--tickers", String.join(",", symbols), "--timespan", "minute", "--source",
                "flatfiles"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.summary().get("status").asText()).isEqualTo("COMPLETE");
        int sessions = CALENDAR.sessions(dev.pricelake.core.DateRange.parse("2024-11-01", "2024-12-31")).size();
        assertThat(run.summary().at("/plan/0/reason").asText()).contains(sessions + " minute flat files (one per session)");
        assertThat(run.summary().at("/plan/0/free_plan_floor_seconds").asLong()).as("files are not rate limited").isZero();
        assertThat(simulator.requestCounts().get("range_minute") - minuteCalls)
                .as("one range call a symbol, for the withheld session only").isEqualTo(symbols.size());
        assertThat(simulator.requestCounts().get("flatfiles") - files).as("each minute file read once").isEqualTo(sessions);
        assertThat(run.err()).contains("flat files: 1 session(s) fetched with range calls instead:")
                .contains(withheld + ": no minute flat file at " + simulator.baseUrl());
        List<String> expected = new ArrayList<>();
        for (String symbol : symbols.stream().sorted().toList()) {
            expected.addAll(served(symbol));
        }
        assertThat(expected).as("two early closes a symbol").hasSize(symbols.size() * (sessions * 390 - 2 * 180));
        List<String> got = bronze(data);
        assertThat(got.stream().map(MinuteEndToEndTest::withoutVwap).toList())
                .containsExactlyElementsOf(expected.stream().map(MinuteEndToEndTest::withoutVwap).toList());
        assertThat(got.stream().filter(l -> dayOf(l).equals(withheld)).toList()).as("the range calls' minutes, VWAP too")
                .containsExactlyElementsOf(expected.stream().filter(l -> dayOf(l).equals(withheld)).toList());
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(vwap) FROM read_parquet('" + data.resolve("s3/pricelake/bronze/raw_ohlcv_1m")
                     + "/*/*/*/data.parquet')")) {
            rs.next();
            assertThat(rs.getLong(1)).as("VWAP only where the range calls gave it")
                    .isEqualTo(expected.stream().filter(l -> dayOf(l).equals(withheld)).count());
        }
        assertThat(run.summary().get("bars").asLong()).isEqualTo(expected.size());

        dailyAppendsExactlyTheMissingSessions(data, got);
    }

    /**
     * A week after the backfill's end, daily --timespan minute (from the flat files, January 7's not published yet)
     * appends the sessions of 2025 before the as-of, January 2, 3, 6 and 7 (New Year's Day and a weekend between), and
     * touches nothing older; the same trigger again does nothing.
     */
    private static void dailyAppendsExactlyTheMissingSessions(Path data, List<String> before) throws Exception {
        simulator.withholdMinuteFlatFile(LocalDate.of(2025, 1, 7));
        Map<String, String> files = digests(data);
        String[] daily = {"daily", "--timespan", "minute", "--source", "flatfiles", "--as-of", "2025-01-08", "--data-dir",
                data.toString(), "--polygon-url", simulator.baseUrl().toString(), "--fast-retries", "--json"};

        Cli.Result run = Cli.run(daily);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.summary().get("run_id").asText()).isEqualTo("daily-minute-20250108");
        assertThat(run.summary().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(run.err()).contains("2025-01-07: no minute flat file at " + simulator.baseUrl());
        List<String> expected = new ArrayList<>();
        for (String symbol : SYMBOLS.stream().sorted().toList()) {
            expected.addAll(served(symbol, "2025-01-02", "2025-01-07"));
        }
        assertThat(expected).as("four sessions of 390 minutes").hasSize(SYMBOLS.size() * 4 * 390);
        List<String> after = bronze(data);
        LocalDate newYear = LocalDate.of(2025, 1, 1);
        assertThat(after.stream().filter(l -> dayOf(l).isAfter(newYear)).map(MinuteEndToEndTest::withoutVwap).toList())
                .containsExactlyElementsOf(expected.stream().map(MinuteEndToEndTest::withoutVwap).toList());
        assertThat(after.stream().filter(l -> dayOf(l).isBefore(newYear)).toList()).as("the backfill's minutes")
                .containsExactlyElementsOf(before);
        Map<String, String> untouched = new TreeMap<>(digests(data));
        untouched.keySet().retainAll(files.keySet());
        assertThat(untouched).as("November and December's files, byte for byte").isEqualTo(files);

        Map<String, String> appended = digests(data);
        Cli.Result again = Cli.run(daily);
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.summary().path("message").asText()).contains("daily-minute-20250108 already exists (COMPLETE)");
        assertThat(digests(data)).isEqualTo(appended);
    }

    @Test
    void aBadTimespanOrAWholeUniverseOfMinutesIsRefusedBeforeAnythingStarts() throws Exception {
        long requests = simulator.requestCounts().values().stream().mapToLong(Long::longValue).sum();
        Path data = temp.resolve("refused");

        Cli.Result hour = Cli.run(backfill(data, "--tickers", "AAPL", "--timespan", "hour"));
        Cli.Result universe = Cli.run(backfill(data, "--universe", "all", "--timespan", "minute"));

        assertThat(hour.exit()).as(hour.toString()).isEqualTo(2);
        assertThat(hour.err()).contains("--timespan 'hour' is neither day nor minute");
        assertThat(universe.exit()).as(universe.toString()).isEqualTo(2);
        assertThat(universe.err()).contains("--timespan").contains("--minute-universe");
        Cli.Result noDays = Cli.run(backfill(data, "--tickers", "AAPL", "--timespan", "minute", "--minute-retention-days", "0"));
        assertThat(noDays.exit()).as(noDays.toString()).isEqualTo(2);
        assertThat(noDays.err()).contains("--minute-retention-days 0 is outside 1..3660");
        Cli.Result dayRun = Cli.run(backfill(data, "--tickers", "AAPL", "--minute-retention-days", "30"));
        assertThat(dayRun.exit()).as(dayRun.toString()).isEqualTo(2);
        assertThat(dayRun.err()).contains("--minute-retention-days only goes with --timespan minute");
        Cli.Result grouped = Cli.run(backfill(data, "--tickers", "AAPL", "--timespan", "minute", "--fetch", "grouped"));
        assertThat(grouped.exit()).as(grouped.toString()).isEqualTo(2);
        assertThat(grouped.err()).contains("--fetch grouped has no minute bars").contains("--source flatfiles");
        Cli.Result filesByRange = Cli.run(backfill(data, "--tickers", "AAPL", "--timespan", "minute", "--source", "flatfiles",
                "--fetch", "range"));
        assertThat(filesByRange.exit()).as(filesByRange.toString()).isEqualTo(2);
        assertThat(filesByRange.err()).contains("--source flatfiles reads one file per session").contains("not range");
        Cli.Result dailyHour = Cli.run("daily", "--timespan", "hour", "--data-dir", data.toString(), "--polygon-url",
                simulator.baseUrl().toString());
        assertThat(dailyHour.exit()).as(dailyHour.toString()).isEqualTo(2);
        assertThat(dailyHour.err()).contains("--timespan 'hour' is neither day nor minute");
        Cli.Result dailyTickers = Cli.run("daily", "--tickers", "AAPL", "--data-dir", data.toString(), "--polygon-url",
                simulator.baseUrl().toString());
        assertThat(dailyTickers.exit()).as(dailyTickers.toString()).isEqualTo(2);
        assertThat(dailyTickers.err()).contains("--tickers only goes with --timespan minute");
        Cli.Result retention = Cli.run("retention", "--minute-retention-days", "3661", "--data-dir", data.toString());
        assertThat(retention.exit()).as(retention.toString()).isEqualTo(2);
        assertThat(retention.err()).contains("--minute-retention-days 3661 is outside 1..3660");
        Cli.Result verify = Cli.run("verify", "--minute-retention-days", "0", "--data-dir", data.toString());
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(2);
        assertThat(verify.err()).contains("--minute-retention-days 0 is outside 1..3660");
        assertThat(data.resolve("postgres")).as("refused before PostgreSQL started").doesNotExist();
        assertThat(Cli.lakeFiles(data)).isEmpty();
        assertThat(simulator.requestCounts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(requests);
    }
}
