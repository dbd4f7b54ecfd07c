package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.RunId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Run the tickers of a run that are not SUCCEEDED yet (rate-limited, failed, interrupted), from"
                + " the source the run recorded (its Polygon URL, or the simulator with its seed) unless --polygon-url"
                + " is given.",
                "Exit code: 0 COMPLETE, 3 PARTIAL, 1 FAILED, 2 bad input."})
public final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--batch-size", description = "Tickers per batch (default: the run's own).")
    Integer batchSize;

    @Option(names = "--max-concurrency", description = "Batches at once (default: the run's own).")
    Integer maxConcurrency;

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectNode input = Events.object();
        input.put("run_id", runId);
        if (batchSize != null) {
            input.put("batch_size", batchSize);
        }
        if (maxConcurrency != null) {
            input.put("max_concurrency", maxConcurrency);
        }
        options.addTo(input);
        RunId id;
        try {
            id = new RunId(runId);
        } catch (InvalidInputException e) {
            spec.commandLine().getErr().println("error: RUN_ID " + e.problem());
            return RunReport.EXIT_BAD_INPUT;
        }
        return RunReport.execute(options, input, id, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
