package dev.pricelake.local.simulator;

import dev.pricelake.core.TradingCalendar;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = "Serve Polygon's REST API over a deterministic synthetic market until stopped (Ctrl-C).")
public final class SimulatorCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8089", description = "Port on 127.0.0.1 (0 picks one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same market. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--tickers", defaultValue = "3000", description = "Listed securities (CS and ETF). Default: ${DEFAULT-VALUE}")
    int tickers;

    @Option(names = "--rate-limit-per-minute", defaultValue = "0",
            description = "Answer 429 past this many requests per minute; 0 = no limit. Default: ${DEFAULT-VALUE}")
    int rateLimitPerMinute;

    @Option(names = "--error-rate", defaultValue = "0", description = "Share of requests answered 503. Default: ${DEFAULT-VALUE}")
    double errorRate;

    @Option(names = "--invalid-bar-rate", defaultValue = "0", description = "Share of bars served corrupt. Default: ${DEFAULT-VALUE}")
    double invalidBarRate;

    @Option(names = "--api-key", description = "Accept only this key (default: any non-empty key).")
    String apiKey;

    @Option(names = "--latency-ms", defaultValue = "0", description = "Added to every response. Default: ${DEFAULT-VALUE}")
    long latencyMillis;

    @Option(names = "--last-session", description = "Last session with published bars (default: the last session before today in New York).")
    LocalDate lastSession;

    @Override
    public Integer call() throws Exception {
        PolygonSimulator.Options options = new PolygonSimulator.Options(rateLimitPerMinute, errorRate, invalidBarRate, apiKey,
                latencyMillis);
        SyntheticMarket market = new SyntheticMarket(seed, tickers, lastPublished(lastSession), TradingCalendar.nyse());
        try (PolygonSimulator simulator = PolygonSimulator.start(market, options, port)) {
            System.out.println("Polygon simulator on " + simulator.baseUrl() + ": " + tickers + " tickers, seed " + seed
                    + ", bars through " + market.lastPublishedSession() + ". Ctrl-C stops it.");
            System.out.println("Try: curl -H 'Authorization: Bearer local' '" + simulator.baseUrl()
                    + "/v2/aggs/ticker/" + market.listings().getFirst().ticker() + "/range/1/day/2024-01-01/2024-01-31'");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
        return 0;
    }

    /** Bars for a session are published after its close, so by default the simulator stops at yesterday. */
    public static LocalDate lastPublished(LocalDate requested) {
        return requested != null ? requested : LocalDate.now(ZoneId.of("America/New_York")).minusDays(1);
    }
}
