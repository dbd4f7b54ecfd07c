package dev.pricelake.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.Ticker;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.local.runner.LocalPipeline;
import dev.pricelake.local.standins.StandIns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast the web console's pages come from {@code ./pricelake serve} over a lake of many symbols: a lake written by
 * our bronze writer, serve started on it as a user starts it, and each request a page makes timed over HTTP (the
 * page itself, its script, the charting library and the JSON): the lake's coverage, a symbol's daily bars, and the
 * runs list: as serve comes up with no coverage kept (the lake page answers at once and the coverage is computed in
 * the background, timed until it is there), again warm (another symbol), and after a restart of serve, which finds
 * the coverage kept.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Time the web console's pages from ./pricelake serve over a lake of many symbols.")
public final class ConsoleBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--symbols", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}")
    int symbols;

    @Option(names = "--sessions", defaultValue = "1260", description = "Default: ${DEFAULT-VALUE} (5 years)")
    int sessions;

    @Option(names = "--data-dir", defaultValue = ".pricelake/bench-console",
            description = "A data dir for the lake (kept and reused; serve runs with it). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        TradingCalendar calendar = TradingCalendar.nyse();
        int last = calendar.sessionIndex(calendar.onOrBefore(LocalDate.of(2025, 12, 31)));
        int first = last - sessions + 1;
        dataDir = dataDir.toAbsolutePath().normalize();
        List<Ticker> tickers = BronzeBench.BenchData.tickers(symbols);
        System.out.printf(Locale.ROOT, "console bench: %,d symbols x %,d sessions (%s..%s); JVM %s, %d cores, load average %.1f%n",
                symbols, sessions, calendar.session(first), calendar.session(last), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ResampleBench.writeLakeOnce(dataDir, tickers, calendar, first, last);
        // The first serve on this lake computes its coverage (in the background); the second finds it kept.
        Files.deleteIfExists(dataDir.resolve("console/coverage.json"));
        String symbol = "api/symbols/" + tickers.get(symbols / 2).value();
        String other = "api/symbols/" + tickers.get(symbols / 3).value();
        serve(round -> {
            long up = System.nanoTime();
            round.pages("first, no coverage kept yet", symbol);
            String coverage = round.awaitCoverage();
            System.out.printf(Locale.ROOT, "  the coverage, computed in the background, was there %.1f s after serve was up (%s)%n",
                    (System.nanoTime() - up) / 1e9, coverage);
            round.pages("again, warm", other);
        });
        serve(round -> round.pages("after a restart, the coverage kept", symbol));
        return 0;
    }

    private interface Rounds {
        void run(Round round) throws Exception;
    }

    /** The requests of each page against one serve. */
    private record Round(HttpClient client, URI console) {
        void pages(String name, String symbol) throws Exception {
            System.out.println("  " + name + ":");
            double shell = get(client, console, "") + get(client, console, "app.js") + get(client, console, "style.css")
                    + get(client, console, "vendor/lightweight-charts.standalone.production.js");
            double coverage = get(client, console, "api/lake/coverage");
            double symbolPage = get(client, console, symbol);
            double runs = get(client, console, "api/runs");
            System.out.printf(Locale.ROOT, "  %s: lake page %.3f s, symbol page %.3f s, runs page %.3f s (the requests of"
                    + " each page; the browser's drawing is not timed); target under 1 s%n", name, shell + coverage,
                    shell + symbolPage, shell + runs);
        }

        /** Polls the coverage until it is current; answers how many symbols it has. */
        String awaitCoverage() throws Exception {
            while (true) {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(console.resolve("api/lake/coverage")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                var coverage = JSON.readTree(response.body());
                if (!coverage.path("stale").asBoolean() && !coverage.path("computing").asBoolean()) {
                    return String.format(Locale.ROOT, "%,d symbols x %,d months", coverage.path("rows").size(),
                            coverage.path("months").size());
                }
                Thread.sleep(250);
            }
        }
    }

    /** Starts ./pricelake serve on the lake as a user does, runs the rounds against it, and stops it. */
    private void serve(Rounds rounds) throws Exception {
        Path log = dataDir.resolve("logs/bench-console-serve.log");
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process serve = new ProcessBuilder(StandIns.home("pricelake").toString(), "serve", "--port", "0", "--data-dir",
                dataDir.toString(), "--no-schedule").directory(StandIns.home(".").toFile()).redirectError(log.toFile()).start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            String line = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalStateException("serve printed no endpoints; see " + log);
            }
            URI console = URI.create(JSON.readTree(line).get("console").asText());
            System.out.printf(Locale.ROOT, "  ./pricelake serve up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            rounds.run(new Round(client, console));
        } finally {
            serve.destroy();
            if (!serve.waitFor(120, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }

    /** One request, timed and printed with its size. */
    private static double get(HttpClient client, URI console, String path) throws Exception {
        long t = System.nanoTime();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(console.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        double seconds = (System.nanoTime() - t) / 1e9;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        System.out.printf(Locale.ROOT, "    GET /console/%-55s %8.3f s %,12d bytes%n", path, seconds, response.body().length);
        return seconds;
    }
}
