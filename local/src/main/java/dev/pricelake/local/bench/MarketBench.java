package dev.pricelake.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.RunId;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.local.Folders;
import dev.pricelake.local.runner.LocalPipeline;
import dev.pricelake.local.runner.StateMachineRunner;
import dev.pricelake.local.simulator.PolygonSimulator;
import dev.pricelake.local.simulator.SyntheticMarket;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A whole-market backfill ({@code --universe all --include-delisted}) of a large simulated market through the real
 * state machine and containers: that it completes, and how far its states and its history stay from Step Functions'
 * quotas, which the local runner enforces. The batch list is what SelectTickers used to return inline.
 */
@Command(name = "market", mixinStandardHelpOptions = true,
        description = "A whole-market backfill of a large simulated market: completion, state sizes and history events.")
public final class MarketBench implements Callable<Integer> {
    private static final int PAYLOAD_LIMIT = 256 * 1024;

    @Option(names = "--tickers", defaultValue = "30000", description = "Default: ${DEFAULT-VALUE}")
    int tickers;

    @Option(names = "--start", defaultValue = "1962-01-02", description = "An early range: few listings traded then,"
            + " so the time goes to the per-ticker work every run does. Default: ${DEFAULT-VALUE}")
    LocalDate start;

    @Option(names = "--end", defaultValue = "1962-01-05", description = "Default: ${DEFAULT-VALUE}")
    LocalDate end;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--max-concurrency", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}")
    int maxConcurrency;

    @Option(names = "--data-dir", description = "Default: a new temporary folder, deleted afterwards. DynamoDB Local"
            + " syncs every write to disk: a folder in memory (/dev/shm/...) is several times faster.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        SyntheticMarket market = new SyntheticMarket(42, tickers, LocalDate.of(2025, 6, 30), TradingCalendar.nyse());
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("pricelake-bench");
        ObjectNode input = Events.object();
        input.put("start", start.toString());
        input.put("end", end.toString());
        input.putObject("selection").put("universe", "all").put("include_delisted", true);
        input.put("batch_size", batchSize);
        input.put("max_concurrency", maxConcurrency);
        out.printf(Locale.ROOT, "market bench: all %,d tickers of the simulated market, delisted included, %s..%s, batch %d,"
                + " concurrency %d, JVM %s, %d cores%n", tickers, start, end, batchSize, maxConcurrency, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        try (PolygonSimulator simulator = PolygonSimulator.start(market, PolygonSimulator.Options.defaults(), 0);
             LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Settings(dir, simulator.baseUrl(), null, 0, null),
                     new PrintWriter(System.err, true))) {
            AtomicReference<JsonNode> selection = new AtomicReference<>();
            long started = System.nanoTime();
            StateMachineRunner.Outcome outcome = pipeline.execute(input, true, selection::set);
            double wall = (System.nanoTime() - started) / 1e9;
            if (!outcome.succeeded()) {
                throw new IllegalStateException("the run failed: " + outcome.error() + " " + outcome.cause());
            }
            RunId runId = new RunId(selection.get().path("run_id").asText());
            RunSummary summary = RunSummary.of(runId, pipeline.progress().tickers(runId));
            int list = pipeline.lake().get(selection.get().path("batches_key").asText()).orElseThrow().length;
            out.printf(Locale.ROOT, "  %s in %.1f s: %,d tickers succeeded in %,d batches%n", summary.status(), wall,
                    summary.succeeded(), selection.get().path("batch_count").asInt());
            out.printf(Locale.ROOT, "  batch list in S3: %,d bytes (%.0f%% of a state's 256 KiB, which it would have been"
                    + " inline); SelectTickers' output: %,d bytes%n", list, 100.0 * list / PAYLOAD_LIMIT,
                    selection.get().toString().getBytes(StandardCharsets.UTF_8).length);
            out.printf(Locale.ROOT, "  history: %,d of 25,000 events; %,d child executions, the largest history %,d events%n",
                    outcome.historyEvents(), outcome.childExecutions(), outcome.childMaxHistoryEvents());
        } finally {
            if (dataDir == null) {
                Folders.delete(dir);
            }
        }
        return 0;
    }
}
