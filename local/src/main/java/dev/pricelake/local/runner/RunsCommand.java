package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.progress.TickerProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Past runs, newest first, with their status: how a lost run_id is found again.")
public final class RunsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--data-dir", defaultValue = ".pricelake", description = "Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many runs. Default: ${DEFAULT-VALUE}")
    int limit;

    @Option(names = "--json", description = "Print the runs as one JSON array on stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new InvalidInputException("--limit", limit + " must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (LocalPipeline pipeline = LocalPipeline.progressOnly(dataDir)) {
            List<RunRecord> runs = pipeline.progress().runs();
            ArrayNode list = JSON.createArrayNode();
            for (RunRecord run : runs.subList(0, Math.min(limit, runs.size()))) {
                list.add(summary(pipeline.progress(), run, pipeline.progress().tickers(run.runId())));
            }
            if (json) {
                out.println(JSON.writeValueAsString(list));
            } else if (list.isEmpty()) {
                out.println("no runs in " + dataDir.resolve("dynamodb"));
            } else {
                out.printf(Locale.ROOT, "%-36s %-8s %-9s %-20s %9s %15s %8s %7s %11s%n", "run_id", "mode", "status", "started",
                        "duration", "succeeded/all", "rate-ltd", "failed", "bars");
                list.forEach(r -> out.printf(Locale.ROOT, "%-36s %-8s %-9s %-20s %9s %15s %8d %7d %,11d%n",
                        r.get("run_id").asText(), r.get("mode").asText(), r.get("status").asText(),
                        r.get("started_at").asText().replace('T', ' ').substring(0, 19),
                        r.has("seconds") ? String.format(Locale.ROOT, "%.1f s", r.get("seconds").asDouble()) : "-",
                        r.at("/tickers/succeeded").asLong() + "/" + r.at("/tickers/total").asLong(),
                        r.at("/tickers/rate_limited").asLong(), r.at("/tickers/failed").asLong(), r.get("bars").asLong()));
                if (runs.size() > limit) {
                    out.println("(" + (runs.size() - limit) + " older runs: --limit " + runs.size() + " shows them)");
                }
            }
        }
        return 0;
    }

    /** One run as the runs list shows it (here and in the web console). */
    public static ObjectNode summary(ProgressStore progress, RunRecord run, List<TickerProgress> tickerProgress) {
        RunSummary summary = RunSummary.of(run.runId(), tickerProgress);
        ObjectNode o = JSON.createObjectNode();
        o.put("run_id", run.runId().value());
        o.put("mode", mode(run));
        o.put("status", shownStatus(progress, run).name());
        o.put("started_at", run.startedAt().toString());
        if (run.finishedAt() != null) {
            o.put("finished_at", run.finishedAt().toString());
            o.put("seconds", Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0);
        }
        ObjectNode tickers = o.putObject("tickers");
        tickers.put("total", summary.tickers());
        tickers.put("succeeded", summary.succeeded());
        tickers.put("rate_limited", summary.rateLimited());
        tickers.put("failed", summary.failed());
        tickers.put("pending", summary.pending());
        o.put("bars", summary.bars());
        if (run.error() != null) {
            o.put("error", run.error());
        }
        return o;
    }

    /**
     * The run's status as a person should read it: RUNNING without the lake's writer lease is INTERRUPTED, its runner
     * having died (kill -9, a crash) before it could say so.
     */
    public static RunStatus shownStatus(ProgressStore progress, RunRecord run) {
        if (run.status() != RunStatus.RUNNING) {
            return run.status();
        }
        boolean held = progress.lease().filter(l -> l.holder().equals(run.runId()) && l.heldAt(Instant.now())).isPresent();
        return held ? RunStatus.RUNNING : RunStatus.INTERRUPTED;
    }

    /** One ticker of a run, as the JSON summaries and the web console show it. */
    public static ObjectNode ticker(TickerProgress t) {
        ObjectNode item = JSON.createObjectNode();
        item.put("ticker", t.ticker().value());
        item.put("status", t.status().name());
        item.put("attempts", t.attempts());
        item.put("bars", t.bars());
        item.put("batch", t.batch());
        if (t.error() != null) {
            item.put("error", t.error());
        }
        return item;
    }

    private static String mode(RunRecord run) {
        try {
            return JSON.readTree(run.input()).path("mode").asText(run.runId().value().startsWith("daily-") ? "daily" : "backfill");
        } catch (IOException e) {
            return "backfill";
        }
    }
}
