package dev.pricelake.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Bar;
import dev.pricelake.core.Ticker;
import dev.pricelake.local.standins.StandIns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: Debian's chromium driven by playwright-core (local/console/browser-test.mjs)
 * against a serve with its own simulator, as a user starts it. The lake's files, read here with our reader and
 * DuckDB, are the referee for what the pages drew. Screenshots: local/target/console-screenshots/.
 */
class ConsoleBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT");

    @TempDir
    Path temp;

    @Test
    void aLoadJobFromTheFormCompletesAndTheRunsRunAndSymbolPagesShowTheLake() throws Exception {
        Path data = temp.resolve("data");
        Path shots = StandIns.home("local/target/console-screenshots");
        Files.createDirectories(shots);
        JsonNode seen;
        try (ServeProcess serve = ServeProcess.start(data, null, temp.resolve("logs"), "--no-schedule")) {
            Path node = StandIns.home("local/sfn-runner/node_modules/.bin/node");
            Path script = StandIns.home("local/console/browser-test.mjs");
            Path out = temp.resolve("browser.out");
            Path err = temp.resolve("browser.err");
            Process browser = new ProcessBuilder(node.toString(), script.toString(), serve.endpoints().get("console").asText(),
                    shots.toString(), String.join(",", SYMBOLS)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(browser.waitFor(8, TimeUnit.MINUTES)).as("the browser test ends").isTrue();
            assertThat(browser.exitValue()).as(Files.readString(err) + "\nserve:\n" + serve.stderr()).isZero();
            seen = JSON.readTree(Files.readString(out).strip());
        }

        assertThat(seen.has("page_errors")).as(seen.toString()).isFalse();
        assertThat(seen.get("job_status").asText()).as(seen.toString()).isEqualTo("SUCCEEDED");
        assertThat(seen.get("job_log").asText()).contains("TaskStateExited FinishRun").endsWith("ExecutionSucceeded");

        Map<Ticker, List<Bar>> bronze = Cli.bronzeBars(data);
        assertThat(bronze.keySet()).extracting(Ticker::value).containsExactlyInAnyOrderElementsOf(SYMBOLS);
        long bars = bronze.values().stream().mapToLong(List::size).sum();
        assertThat(seen.get("runs")).hasSize(1);
        JsonNode run = seen.get("runs").get(0);
        assertThat(run.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(run.get("tickers").asText()).isEqualTo("2");
        assertThat(run.get("bars").asText().replace(",", "")).isEqualTo(Long.toString(bars));
        assertThat(seen.get("run_page_tickers")).extracting(t -> t.get("ticker").asText() + " " + t.get("status").asText())
                .containsExactlyInAnyOrder("AAPL SUCCEEDED", "MSFT SUCCEEDED");

        // One candle per bronze bar, drawn (a canvas with more than a background), then one per 5-session silver bar.
        assertThat(seen.get("daily_candles").asInt()).isEqualTo(bronze.get(Ticker.of("AAPL")).size()).isGreaterThan(15);
        assertThat(seen.get("chart_canvases").asInt()).isPositive();
        assertThat(seen.get("chart_drawn").asBoolean()).isTrue();
        assertThat(seen.get("five_session_candles").asInt()).isEqualTo(silverRows(data, 5, "AAPL")).isPositive();
        assertThat(seen.get("reference_tables").toString()).contains("symbols");
        assertThat(seen.get("coverage_text").asText()).startsWith("2 symbols");
        assertThat(seen.get("confirmation").asText()).contains("replace");
        assertThat(seen.get("rebuilt").asText()).contains("Rebuilt (replace)");
        for (String shot : List.of("load-jobs", "runs", "run", "symbol-daily", "symbol-5-session", "lake", "universes")) {
            assertThat(StandIns.home("local/target/console-screenshots/" + shot + ".png")).isNotEmptyFile();
        }
    }

    /** The k-session bars of a symbol in silver, counted by DuckDB. */
    private static long silverRows(Path data, int k, String symbol) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + data.resolve("s3/pricelake/silver/silver_"
                     + k + "d").toAbsolutePath() + "/*/*/*.parquet') WHERE symbol = '" + symbol + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
