package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.RunId;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one execution with progress on screen and reports how it ended; shared by backfill and resume. */
final class RunReport {
    static final int EXIT_COMPLETE = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_PARTIAL = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Step Functions' quota on one execution's history. */
    static final int HISTORY_LIMIT = 25_000;

    private RunReport() {
    }

    static int execute(RunOptions options, JsonNode input, PrintWriter out, PrintWriter err) throws Exception {
        long started = System.nanoTime();
        try (LocalPipeline pipeline = LocalPipeline.start(options.settings(), err)) {
            AtomicReference<RunId> runId = new AtomicReference<>();
            AtomicReference<JsonNode> selection = new AtomicReference<>();
            Thread progress = Thread.ofPlatform().daemon().start(() -> showProgress(pipeline.progress(), runId, err));
            StateMachineRunner.Outcome outcome;
            try {
                outcome = pipeline.execute(input, options.fastRetries, s -> {
                    selection.set(s);
                    runId.set(new RunId(s.path("run_id").asText()));
                    showPlan(s, err);
                });
            } finally {
                progress.interrupt();
                progress.join();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (runId.get() == null) {
                String message = causeText(outcome);
                err.println("error: " + message);
                if (options.json) {
                    ObjectNode summary = Events.object();
                    summary.put("status", RunStatus.FAILED.name());
                    summary.put("error", message);
                    out.println(JSON.writeValueAsString(summary));
                }
                return outcome.error() != null && outcome.error().endsWith("InvalidInputException") ? EXIT_BAD_INPUT : EXIT_FAILED;
            }
            if (selection.get().path("done").asBoolean()) {
                return done(selection.get(), took, options.json, out, err);
            }
            RunSummary summary = RunSummary.of(runId.get(), pipeline.progress().tickers(runId.get()));
            Optional<RunRecord> run = pipeline.progress().run(runId.get());
            String error = outcome.succeeded() ? null : run.map(RunRecord::error).orElse(causeText(outcome));
            RunStatus status = outcome.succeeded() ? summary.status() : RunStatus.FAILED;
            print(summary, status, error, took, pipeline.dataDir(), selection.get().path("plan"), outcome, options.json,
                    out, err);
            if (selection.get().has("plan")) {
                long floor = 0;
                for (JsonNode plan : selection.get().path("plan")) {
                    floor += plan.path("free_plan_floor_seconds").asLong();
                }
                (options.json ? err : out).printf(Locale.ROOT, "time: %s here; at the free plan's 5 requests a minute the"
                        + " planned calls alone take at least %s%n", seconds(took), minutes(floor));
            }
            List<String> empty = pipeline.progress().tickers(runId.get()).stream()
                    .filter(t -> t.status() == TickerStatus.SUCCEEDED && t.bars() == 0 && t.quarantined() == 0)
                    .map(t -> t.ticker().value()).toList();
            if (!empty.isEmpty()) {
                (options.json ? err : out).println("note: no bars in the range for " + empty.size() + " ticker(s), unknown to"
                        + " the source or not trading then: " + String.join(", ", empty.subList(0, Math.min(20, empty.size())))
                        + (empty.size() > 20 ? ", ..." : ""));
            }
            return switch (status) {
                case COMPLETE -> EXIT_COMPLETE;
                case PARTIAL -> EXIT_PARTIAL;
                default -> EXIT_FAILED;
            };
        }
    }

    /** A run SelectTickers found nothing to do for: a repeated daily trigger, a weekend, a holiday. */
    private static int done(JsonNode selection, Duration took, boolean json, PrintWriter out, PrintWriter err)
            throws Exception {
        PrintWriter screen = json ? err : out;
        screen.printf(Locale.ROOT, "%nrun %s COMPLETE in %s: %s%n", selection.path("run_id").asText(), seconds(took),
                selection.path("message").asText());
        if (json) {
            ObjectNode summary = Events.object();
            summary.put("run_id", selection.path("run_id").asText());
            summary.put("status", RunStatus.COMPLETE.name());
            summary.put("message", selection.path("message").asText());
            out.println(JSON.writeValueAsString(summary));
        }
        screen.flush();
        out.flush();
        return EXIT_COMPLETE;
    }

    private static void showPlan(JsonNode selection, PrintWriter err) {
        for (JsonNode plan : selection.path("plan")) {
            err.printf(Locale.ROOT, "plan: %s; at the free plan's 5 requests a minute at least %s%n",
                    plan.path("reason").asText(), minutes(plan.path("free_plan_floor_seconds").asLong()));
        }
        err.flush();
    }

    private static String minutes(long seconds) {
        return seconds < 120 ? seconds + " s" : String.format(Locale.ROOT, "%.1f min", seconds / 60.0);
    }

    /** The Cause of a failed execution: for a Lambda error, the runtime's errorMessage. */
    static String causeText(StateMachineRunner.Outcome outcome) {
        if (outcome.succeeded()) {
            return "";
        }
        ObjectNode error = Events.object();
        error.put("Error", outcome.error());
        error.put("Cause", outcome.cause());
        return Events.errorText(error);
    }

    private static void showProgress(ProgressStore progress, AtomicReference<RunId> runId, PrintWriter err) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1_000);
                RunId id = runId.get();
                if (id != null) {
                    RunSummary s = RunSummary.of(id, progress.tickers(id));
                    err.printf(Locale.ROOT, "%s: %,d/%,d tickers done, %,d bars, %,d rate-limited, %,d failed%n", id,
                            s.succeeded(), s.tickers(), s.bars(), s.rateLimited(), s.failed());
                    err.flush();
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("(progress unavailable: " + e.getMessage() + ")");
        }
    }

    /**
     * @param plan      the run's planned calls, or null when unknown (a status query)
     * @param execution the execution that just ran, or null (a status query)
     */
    static void print(RunSummary s, RunStatus status, String error, Duration took, Path dataDir, JsonNode plan,
            StateMachineRunner.Outcome execution, boolean json, PrintWriter out, PrintWriter err) throws Exception {
        PrintWriter screen = json ? err : out;
        screen.printf(Locale.ROOT, "%nrun %s %s%s: %,d tickers succeeded, %,d rate-limited, %,d failed, %,d not done;"
                        + " %,d bars, %,d quarantined%n", s.runId(), status, took == null ? "" : " in " + seconds(took),
                s.succeeded(), s.rateLimited(), s.failed(), s.pending(), s.bars(), s.quarantined());
        if (error != null) {
            screen.println("error: " + error);
        } else {
            screen.println(s.message());
        }
        if (status == RunStatus.PARTIAL || status == RunStatus.FAILED) {
            screen.println("resume: ./pricelake resume " + s.runId());
        }
        if (execution != null) {
            screen.printf(Locale.ROOT, "history: %,d of Step Functions' %,d events%s%n", execution.historyEvents(),
                    HISTORY_LIMIT, execution.childExecutions() == 0 ? "" : String.format(Locale.ROOT,
                            "; %,d child executions of the distributed Map, the largest history %,d events",
                            execution.childExecutions(), execution.childMaxHistoryEvents()));
        }
        if (dataDir != null) {
            screen.println("bronze: " + LocalPipeline.bucketDir(dataDir).resolve(BronzeLake.PREFIX).resolve("symbol=*").resolve("data.parquet"));
            screen.println("query:  " + QueryCommand.hint(dataDir,
                    "SELECT symbol, count(*) AS bars, min(date), max(date) FROM bronze GROUP BY symbol ORDER BY symbol"));
        }
        if (json) {
            ObjectNode summary = Events.object();
            summary.put("run_id", s.runId().value());
            summary.put("status", status.name());
            ObjectNode tickers = summary.putObject("tickers");
            tickers.put("succeeded", s.succeeded());
            tickers.put("rate_limited", s.rateLimited());
            tickers.put("failed", s.failed());
            tickers.put("pending", s.pending());
            summary.put("bars", s.bars());
            summary.put("quarantined", s.quarantined());
            if (error != null) {
                summary.put("error", error);
            }
            if (took != null) {
                summary.put("seconds", took.toMillis() / 1000.0);
            }
            if (plan != null && !plan.isMissingNode()) {
                summary.set("plan", plan);
            }
            if (execution != null) {
                summary.put("history_events", execution.historyEvents());
                summary.put("child_executions", execution.childExecutions());
                summary.put("child_max_history_events", execution.childMaxHistoryEvents());
            }
            out.println(JSON.writeValueAsString(summary));
        }
        screen.flush();
        out.flush();
    }

    /** The tickers that need attention, with their errors. */
    static List<TickerProgress> stopped(List<TickerProgress> tickers) {
        return tickers.stream().filter(t -> t.status() == TickerStatus.FAILED || t.status() == TickerStatus.RATE_LIMITED)
                .toList();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
