package dev.pricelake.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Run the tickers of a run that are not SUCCEEDED yet (rate-limited, failed, interrupted).",
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
        return RunReport.execute(options, input, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
