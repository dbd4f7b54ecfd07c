package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.progress.TickerProgress;
import dev.pricelake.core.progress.TickerStatus;
import dev.pricelake.selector.SelectTickersHandler;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/** Runs one execution with progress on screen and reports how it ended; shared by backfill, daily and resume. */
final class RunReport {
    static final int EXIT_COMPLETE = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_PARTIAL = 3;
    /** What a shell reports for a process stopped by Ctrl-C (128 + SIGINT). */
    static final int EXIT_INTERRUPTED = 130;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Step Functions' quota on one execution's history. */
    static final int HISTORY_LIMIT = 25_000;

    private RunReport() {
    }

    /**
     * @param resumes the run a resume continues (its recorded source is used), or null for a new run
     */
    static int execute(RunOptions options, JsonNode input, RunId resumes, PrintWriter out, PrintWriter err) throws Exception {
        long started = System.nanoTime();
        try {
            SelectTickersHandler.check(input);
            OptionNames.dataDir(options.stack.dataDir);
        } catch (InvalidInputException e) {
            return badInput(OptionNames.message(e), options.json, out, err);
        }
        LocalPipeline.Settings settings = resumes == null ? options.settings() : options.settings().resuming(resumes);
        try (LocalPipeline pipeline = LocalPipeline.start(settings, err)) {
            AtomicReference<RunId> runId = new AtomicReference<>();
            AtomicReference<JsonNode> selection = new AtomicReference<>();
            int requestsPerMinute = input.path("requests_per_minute").asInt(pipeline.requestsPerMinute());
            boolean terminal = isTerminal();
            // Each retry wait is told as it begins, on a line of its own: a pause of minutes is never silent.
            pipeline.retryWaits().onStart(wait -> {
                err.print((terminal ? "\r" : "") + wait.text(wait.until().minus(wait.length())) + (terminal ? "\u001b[K\n" : "\n"));
                err.flush();
            });
            Thread progress = Thread.ofPlatform().daemon().start(() -> showProgress(pipeline, runId, selection,
                    requestsPerMinute, started, terminal, err));
            Interrupt interrupted = Interrupt.on(() -> {
                RunId id = runId.get();
                if (id != null) {
                    pipeline.saveInterrupted(id, "interrupted (Ctrl-C or SIGTERM)");
                    err.printf("%ninterrupted: run %s is saved (what it fetched stays fetched); resume it with:%n  %s%n", id,
                            resumeHint(id, options.stack.dataDir, pipeline.source()));
                } else {
                    err.println("\ninterrupted before the run started: nothing was recorded");
                }
                err.flush();
            });
            StateMachineRunner.Outcome outcome;
            try {
                outcome = pipeline.execute(input, options.stack.fastRetries, s -> {
                    selection.set(s);
                    runId.set(new RunId(s.path("run_id").asText()));
                    showPlan(s, err);
                });
            } finally {
                progress.interrupt();
                progress.join();
                interrupted.restore();
            }
            if (interrupted.happened()) {
                return EXIT_INTERRUPTED;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (runId.get() == null) {
                String message = OptionNames.message(causeText(outcome));
                if (outcome.error() != null && outcome.error().endsWith("InvalidInputException")) {
                    return badInput(message, options.json, out, err);
                }
                err.println("error: " + message);
                if (options.json) {
                    ObjectNode summary = Events.object();
                    summary.put("status", RunStatus.FAILED.name());
                    summary.put("error", message);
                    out.println(JSON.writeValueAsString(summary));
                }
                return EXIT_FAILED;
            }
            if (selection.get().path("done").asBoolean()) {
                return done(selection.get(), took, options.json, out, err);
            }
            List<TickerProgress> tickers = pipeline.progress().tickers(runId.get());
            RunSummary summary = RunSummary.of(runId.get(), tickers);
            Optional<RunRecord> run = pipeline.progress().run(runId.get());
            String error = outcome.succeeded() ? null : run.map(RunRecord::error).orElse(causeText(outcome));
            RunStatus status = outcome.succeeded() ? summary.status() : RunStatus.FAILED;
            Timespan timespan = Timespan.parse("timespan", JSON.readTree(run.map(RunRecord::input).orElse("{}"))
                    .path("timespan").asText(Timespan.DAY.json()));
            print(summary, status, error, took, pipeline.dataDir(), timespan, selection.get(), resumeHint(runId.get(),
                    options.stack.dataDir, pipeline.source()), outcome, stopped(tickers), options.json, out, err);
            if (selection.get().has("plan")) {
                long floor = 0;
                for (JsonNode plan : selection.get().path("plan")) {
                    floor += plan.path("free_plan_floor_seconds").asLong();
                }
                (options.json ? err : out).printf(Locale.ROOT, "time: %s here%s%n", seconds(took), floor == 0
                        ? "; the plan makes no call the rate limit spaces"
                        : "; at the free plan's 5 requests a minute the planned calls alone take at least " + minutes(floor));
            }
            List<JsonNode> fellBack = pipeline.flatFilesFallbacks();
            if (!fellBack.isEmpty()) {
                PrintWriter notes = options.json ? err : out;
                notes.printf(Locale.ROOT, "flat files: %d session(s) fetched with %s instead:%n", fellBack.size(),
                        fellBack.getFirst().path("instead").asText("grouped daily"));
                fellBack.forEach(f -> notes.println("  " + f.path("session").asText() + ": " + f.path("reason").asText()));
            }
            List<String> empty = tickers.stream()
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
        } catch (InvalidInputException e) {
            return badInput(OptionNames.message(e), options.json, out, err);
        }
    }

    private static int badInput(String message, boolean json, PrintWriter out, PrintWriter err) throws Exception {
        err.println("error: " + message);
        err.flush();
        if (json) {
            ObjectNode summary = Events.object();
            summary.put("status", RunStatus.FAILED.name());
            summary.put("error", message);
            out.println(JSON.writeValueAsString(summary));
            out.flush();
        }
        return EXIT_BAD_INPUT;
    }

    /**
     * Ctrl-C (SIGINT) or SIGTERM while a run executes: the run is recorded INTERRUPTED and its lease given back while
     * the progress table is still up, then the process exits; the stand-ins stop with it. The tickers it fetched stay
     * FETCHED, so a resume writes them without asking the source again.
     */
    private static final class Interrupt {
        private final AtomicBoolean happened = new AtomicBoolean();
        private final Map<String, sun.misc.SignalHandler> previous = new LinkedHashMap<>();

        static Interrupt on(Runnable save) {
            Interrupt interrupt = new Interrupt();
            for (String name : List.of("INT", "TERM")) {
                interrupt.previous.put(name, Signal.handle(new Signal(name), signal -> {
                    if (interrupt.happened.compareAndSet(false, true)) {
                        try {
                            save.run();
                        } finally {
                            System.exit(EXIT_INTERRUPTED);
                        }
                    }
                }));
            }
            return interrupt;
        }

        boolean happened() {
            return happened.get();
        }

        void restore() {
            previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
        }
    }

    /**
     * The command that finishes the run, as printed: the data dir when it is not the default, and the source when
     * it is a URL (a resume uses the run's recorded source anyway; the simulator is the default).
     */
    static String resumeHint(RunId runId, Path dataDir, JsonNode source) {
        StringBuilder hint = new StringBuilder("./pricelake resume " + runId);
        if (!dataDir.normalize().equals(Path.of(StackOptions.DEFAULT_DATA_DIR))) {
            hint.append(" --data-dir ").append(dataDir);
        }
        String url = source == null ? null : source.path("url").asText(null);
        if (url != null && url.equals(PolygonConfig.OFFICIAL_API.toString())) {
            hint.insert(0, "POLYGON_API_KEY=... ");
        } else if (url != null) {
            hint.append(" --polygon-url ").append(url);
        }
        return hint.toString();
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
            long floor = plan.path("free_plan_floor_seconds").asLong();
            err.printf(Locale.ROOT, "plan: %s; %s%n", plan.path("reason").asText(), floor == 0
                    ? "no call the rate limit spaces" : "at the free plan's 5 requests a minute at least " + minutes(floor));
        }
        JsonNode actions = selection.path("actions");
        if (actions.path("new_splits").size() > 0 || actions.path("new_dividends").asInt() > 0) {
            err.printf(Locale.ROOT, "corporate actions: %d new split(s), %d new dividend(s)%n", actions.path("new_splits").size(),
                    actions.path("new_dividends").asInt());
        }
        for (JsonNode refetched : actions.path("refetched")) {
            err.printf(Locale.ROOT, "re-fetch: %s from %s (%s): bronze, silver and PostgreSQL rewritten%n",
                    refetched.path("symbol").asText(), refetched.path("from").asText(),
                    String.join("; ", texts(refetched.path("reasons"))));
        }
        err.flush();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
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

    /**
     * The progress line: on a terminal rewritten in place every second, elsewhere (a log, a pipe) a line every 10 s.
     */
    private static void showProgress(LocalPipeline pipeline, AtomicReference<RunId> runId, AtomicReference<JsonNode> selection,
            int requestsPerMinute, long started, boolean terminal, PrintWriter err) {
        ProgressStore progress = pipeline.progress();
        long every = terminal ? 1_000 : 10_000;
        Long firstDone = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(every);
                RunId id = runId.get();
                if (id != null) {
                    RunSummary s = RunSummary.of(id, progress.tickers(id));
                    if (firstDone == null && s.succeeded() + s.failed() + s.rateLimited() > 0) {
                        firstDone = System.nanoTime();
                    }
                    String line = ProgressLine.of(s, selection.get() == null ? null : selection.get().get("plan"),
                            requestsPerMinute, Duration.ofNanos(System.nanoTime() - started),
                            firstDone == null ? null : Duration.ofNanos(System.nanoTime() - firstDone),
                            pipeline.retryWaits().current(null, Instant.now()), Instant.now());
                    err.print(terminal ? "\r" + line + "\u001b[K" : line + "\n");
                    err.flush();
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("(progress unavailable: " + e.getMessage() + ")");
        } finally {
            if (terminal) {
                err.println();
                err.flush();
            }
        }
    }

    /** Whether stderr is a person's terminal; Java 22+ can tell a console that is not one. */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * @param dataDir    the lake's data dir, whose bronze files are named, or null when not to name them
     * @param timespan   the run's bars, which name the bronze files and the query shown
     * @param selection  SelectTickers' answer (the plan, the histories fetched again), or null when unknown (a status
     *                   query)
     * @param resumeHint the command that finishes the run, printed when it did not complete
     * @param execution  the execution that just ran, or null (a status query)
     * @param stopped    the rate-limited and failed tickers, whose errors the JSON summary lists
     */
    static void print(RunSummary s, RunStatus status, String error, Duration took, Path dataDir, Timespan timespan,
            JsonNode selection,
            String resumeHint, StateMachineRunner.Outcome execution, List<TickerProgress> stopped, boolean json,
            PrintWriter out, PrintWriter err) throws Exception {
        PrintWriter screen = json ? err : out;
        screen.printf(Locale.ROOT, "%nrun %s %s%s: %,d tickers succeeded, %,d rate-limited, %,d failed, %,d not done;"
                        + " %,d bars, %,d quarantined%n", s.runId(), status, took == null ? "" : " in " + seconds(took),
                s.succeeded(), s.rateLimited(), s.failed(), s.pending(), s.bars(), s.quarantined());
        if (error != null) {
            screen.println("error: " + error);
        } else if (status == s.status()) {
            screen.println(s.message());
        }
        if (status != RunStatus.COMPLETE && status != RunStatus.RUNNING) {
            screen.println("resume: " + resumeHint);
        }
        if (execution != null) {
            screen.printf(Locale.ROOT, "history: %,d of Step Functions' %,d events%s%n", execution.historyEvents(),
                    HISTORY_LIMIT, execution.childExecutions() == 0 ? "" : String.format(Locale.ROOT,
                            "; %,d child executions of the distributed Map, the largest history %,d events",
                            execution.childExecutions(), execution.childMaxHistoryEvents()));
        }
        if (dataDir != null) {
            boolean minutes = timespan == Timespan.MINUTE;
            screen.println("bronze: " + LocalPipeline.bucketDir(dataDir).resolve(minutes
                    ? MinuteBronzeLake.PREFIX + "symbol=*/year=*/month=*/data.parquet" : BronzeLake.PREFIX + "symbol=*/data.parquet"));
            screen.println("query:  " + QueryCommand.hint(dataDir, minutes
                    ? "SELECT symbol, count(*) AS bars, min(ts), max(ts) FROM bronze_1m GROUP BY symbol ORDER BY symbol"
                    : "SELECT symbol, count(*) AS bars, min(date), max(date) FROM bronze GROUP BY symbol ORDER BY symbol"));
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
            if (status != RunStatus.COMPLETE) {
                summary.put("resume", resumeHint);
            }
            if (selection != null && selection.has("plan")) {
                summary.set("plan", selection.get("plan"));
            }
            if (selection != null && selection.has("actions")) {
                summary.set("actions", selection.get("actions"));
            }
            ArrayNode errors = summary.putArray("ticker_errors");
            stopped.forEach(t -> errors.add(RunsCommand.ticker(t)));
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
