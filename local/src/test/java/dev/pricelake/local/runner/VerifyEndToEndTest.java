package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeFile;
import dev.pricelake.core.bronze.BronzeParquet;
import dev.pricelake.core.bronze.BronzeRow;
import dev.pricelake.core.silver.SilverParquet;
import dev.pricelake.core.silver.SilverRows;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verify on a real local lake: clean after a backfill, and then every planted defect found where it was planted. */
class VerifyEndToEndTest {
    private static final TradingCalendar CALENDAR = TradingCalendar.nyse();
    private static final DateRange RANGE = DateRange.parse("2024-01-02", "2024-06-28");

    @TempDir
    Path data;

    private Path bronzeFile(String symbol) {
        return Cli.bronze(data).resolve("symbol=" + symbol).resolve("data.parquet");
    }

    private List<BronzeRow> bronze(String symbol) throws Exception {
        return new ArrayList<>(BronzeParquet.read(Files.readAllBytes(bronzeFile(symbol)), symbol));
    }

    private Cli.Result verify() {
        return Cli.run("verify", "--data-dir", data.toString(), "--as-of", "2024-07-01", "--json");
    }

    private static JsonNode symbol(JsonNode report, String symbol) {
        for (JsonNode s : report.get("symbols")) {
            if (s.get("symbol").asText().equals(symbol)) {
                return s;
            }
        }
        throw new AssertionError(symbol + " is not in the report");
    }

    @Test
    void findsEveryPlantedDefectAndNothingInACleanLake() throws Exception {
        List<String> tickers;
        String halted;
        try (PolygonSimulator simulator = PolygonSimulator.start(new SyntheticMarket(7, 200, LocalDate.of(2024, 7, 5), CALENDAR),
                PolygonSimulator.Options.defaults(), 0)) {
            int first = CALENDAR.sessionIndex(CALENDAR.onOrAfter(RANGE.start()));
            tickers = simulator.market().listings().stream()
                    .filter(l -> l.firstSession() < first && l.lastSession() > first + 200 && l.haltRate() == 0 && l.splits().isEmpty()
                            && simulator.market().rename(l).isEmpty())
                    .limit(6).map(l -> l.ticker().value()).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
            // One the market halted in the range: the sessions the source had no bar for are known halts, not gaps.
            int last = CALENDAR.sessionIndex(RANGE.end());
            halted = simulator.market().listings().stream()
                    .filter(l -> l.firstSession() < first && l.lastSession() > first + 200 && l.haltRate() > 0 && l.splits().isEmpty()
                            && simulator.market().rename(l).isEmpty()
                            && simulator.market().bars(l, first, last, true).size() < last - first + 1)
                    .findFirst().orElseThrow().ticker().value();
            tickers.add(halted);
            Cli.Result backfill = Cli.run("backfill", "--tickers", String.join(",", tickers), "--start", RANGE.start().toString(),
                    "--end", RANGE.end().toString(), "--data-dir", data.toString(), "--polygon-url",
                    simulator.baseUrl().toString(), "--as-of", "2024-07-01", "--fast-retries", "--json");
            assertThat(backfill.exit()).as(backfill.toString()).isZero();
        }
        Cli.Result clean = verify();
        assertThat(clean.exit()).as(clean.toString()).isZero();
        assertThat(clean.summary().get("clean").asBoolean()).isTrue();
        assertThat(clean.summary().at("/totals/symbols").asInt()).isEqualTo(7);
        assertThat(symbol(clean.summary(), halted).get("known_halts").asInt()).isPositive();
        assertThat(symbol(clean.summary(), halted).at("/missing_sessions/count").asInt()).isZero();

        Cli.Result unknown = Cli.run("verify", "--symbols", "ZZZZZ", "--data-dir", data.toString());
        assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("error: --symbols ZZZZZ is not in the lake");
        Path empty = data.resolveSibling("no-lake");
        Cli.Result noLake = Cli.run("verify", "--data-dir", empty.toString());
        assertThat(noLake.exit()).as(noLake.toString()).isEqualTo(2);
        assertThat(noLake.err()).contains("error: --data-dir " + empty + " has no lake");
        assertThat(empty).as("nothing started, nothing made").doesNotExist();

        String missing = tickers.get(0);
        String duplicated = tickers.get(1);
        String invalid = tickers.get(2);
        String silverOff = tickers.get(3);
        String postgresOff = tickers.get(4);
        String untouched = tickers.get(5);
        // Its halts stay known halts when a real gap appears: a bar removed from the file (with its footer kept).
        BronzeFile haltedFile = BronzeParquet.readFile(Files.readAllBytes(bronzeFile(halted)), halted);
        List<BronzeRow> haltedRows = new ArrayList<>(haltedFile.rows());
        BronzeRow gap = haltedRows.remove(haltedRows.size() / 2);
        Files.write(bronzeFile(halted), BronzeParquet.write(haltedRows, haltedFile.metadata()));
        List<BronzeRow> rows = bronze(missing);
        BronzeRow dropped = rows.remove(40);
        Files.write(bronzeFile(missing), BronzeParquet.write(rows));
        rows = bronze(duplicated);
        rows.add(rows.get(10));
        Files.write(bronzeFile(duplicated), BronzeParquet.write(rows));
        rows = bronze(invalid);
        BronzeRow good = rows.get(20);
        var b = good.bar();
        rows.set(20, new BronzeRow(new dev.pricelake.core.Bar(b.symbol(), b.date(), b.open(), b.low() - 1, b.low(), b.close(),
                b.volume(), b.vwap(), b.transactions()), good.ingestedAt()));
        Files.write(bronzeFile(invalid), BronzeParquet.write(rows));
        Path partition = data.resolve("s3/pricelake/silver/silver_5d/year=2024/month=03/data_5d_202403.parquet");
        SilverRows silver = SilverParquet.read(Files.readAllBytes(partition), partition.toString());
        SilverRows changed = new SilverRows(silver.size());
        for (int i = 0; i < silver.size(); i++) {
            changed.add(silver.symbol(i), silver.startDay(i), silver.endDay(i), silver.open(i), silver.high(i), silver.low(i),
                    silver.symbol(i).equals(silverOff) && i % 2 == 0 ? silver.close(i) + 0.5 : silver.close(i), silver.volume(i),
                    silver.barCount(i), silver.complete(i));
        }
        Files.write(partition, SilverParquet.write(changed, 0, changed.size(), 5));
        Cli.Result update = Cli.run("sql", "UPDATE raw_ohlcv SET volume = volume + 1 WHERE symbol = '" + postgresOff
                + "' AND date = '2024-03-05'", "--data-dir", data.toString(), "--write");
        assertThat(update.exit()).as(update.toString()).isZero();

        Cli.Result found = verify();
        assertThat(found.exit()).as(found.toString()).isEqualTo(1);
        JsonNode report = found.summary();
        assertThat(report.get("clean").asBoolean()).isFalse();
        assertThat(symbol(report, missing).at("/missing_sessions/examples/0").asText()).isEqualTo(dropped.bar().date().toString());
        assertThat(symbol(report, missing).at("/missing_sessions/count").asInt()).isEqualTo(1);
        assertThat(symbol(report, duplicated).at("/duplicate_dates/count").asInt()).isEqualTo(1);
        assertThat(symbol(report, invalid).at("/invalid_bars/count").asInt()).isEqualTo(1);
        assertThat(symbol(report, invalid).at("/invalid_bars/examples/0").asText()).startsWith(good.bar().date().toString());
        assertThat(symbol(report, silverOff).at("/silver_diffs/count").asInt()).isPositive();
        assertThat(symbol(report, silverOff).get("defects").asLong())
                .isEqualTo(symbol(report, silverOff).at("/silver_diffs/count").asLong());
        assertThat(symbol(report, postgresOff).at("/postgres_diffs/count").asInt()).isEqualTo(1);
        assertThat(symbol(report, postgresOff).at("/postgres_diffs/examples/0").asText()).startsWith("2024-03-05: bronze");
        assertThat(symbol(report, postgresOff).get("defects").asLong()).isEqualTo(1);
        assertThat(symbol(report, untouched).get("defects").asLong()).isZero();
        assertThat(symbol(report, halted).at("/missing_sessions/examples")).extracting(JsonNode::asText)
                .containsExactly(gap.bar().date().toString());
        assertThat(symbol(report, halted).get("known_halts").asInt())
                .isEqualTo(symbol(clean.summary(), halted).get("known_halts").asInt());
        assertThat(found.err()).contains("coverage: ").contains("DEFECTS");
        try (var reports = Files.walk(data.resolve("s3/pricelake/reports/verify"))) {
            List<Path> html = reports.filter(p -> p.toString().endsWith("coverage.html")).toList();
            assertThat(html).hasSize(2);
            assertThat(html.stream().map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).anySatisfy(page -> assertThat(page).contains(missing).contains("class=\"gap\""));
        }
    }
}
