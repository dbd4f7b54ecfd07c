package dev.pricelake.local.runner;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import dev.pricelake.core.progress.RunRecord;
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
    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--data-dir", defaultValue = ".pricelake", description = "Default: ${DEFAULT-VALUE}")
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
            screen.println("run " + id + " started " + run.startedAt() + (run.finishedAt() == null ? ""
                    : ", finished " + run.finishedAt()) + ", attempt " + run.epoch() + ", recorded status " + run.status());
            for (TickerProgress t : RunReport.stopped(tickers)) {
                screen.println("  " + t.ticker() + " " + t.status() + " after " + t.attempts() + " attempt(s): " + t.error());
            }
            RunReport.print(summary, run.status(), run.error(), null, null, null, null, json, out, err);
        }
        return 0;
    }
}
