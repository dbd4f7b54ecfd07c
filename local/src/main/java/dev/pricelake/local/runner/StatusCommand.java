package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.RunRecord;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import dev.pricelake.core.progress.TickerProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "A run's tickers by status, and the failed and rate-limited ones with their errors.")
public final class StatusCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--data-dir", defaultValue = StackOptions.DEFAULT_DATA_DIR, description = "Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line of stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunId id = new RunId(runId);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LocalPipeline pipeline = LocalPipeline.progressOnly(dataDir)) {
            RunRecord run = pipeline.progress().run(id).orElseThrow(() -> new InvalidInputException("run_id",
                    "no run " + id + " in " + dataDir.resolve("dynamodb")));
            List<TickerProgress> tickers = pipeline.progress().tickers(id);
            RunSummary summary = RunSummary.of(id, tickers);
            PrintWriter screen = json ? err : out;
            RunStatus status = RunsCommand.shownStatus(pipeline.progress(), run);
            screen.println("run " + id + " started " + run.startedAt() + (run.finishedAt() == null ? ""
                    : ", finished " + run.finishedAt()) + ", attempt " + run.epoch() + ", status " + status
                    + (status != run.status() ? " (recorded RUNNING, but no runner holds its lease: it stopped unfinished)" : ""));
            for (TickerProgress t : RunReport.stopped(tickers)) {
                screen.println("  " + t.ticker() + " " + t.status() + " after " + t.attempts() + " attempt(s): " + t.error());
            }
            JsonNode input = JSON.readTree(run.input());
            input.path("replace").fields().forEachRemaining(e -> screen.println("  re-fetched " + e.getKey() + " from "
                    + e.getValue().path("start").asText() + ": " + String.join("; ", RunReport.texts(e.getValue().path("reasons")))));
            input.path("retire").fields().forEachRemaining(e -> screen.println("  " + e.getKey() + "'s history moved under "
                    + e.getValue().asText()));
            RunReport.print(summary, status, run.error(), null, null, null, null,
                    RunReport.resumeHint(id, dataDir, input.get("source")), null, RunReport.stopped(tickers), json, out, err);
        }
        return 0;
    }
}
