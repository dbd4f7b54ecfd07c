package dev.pricelake.selector;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import java.util.List;
import java.time.Clock;

/** FinishRun: counts the run's tickers and records COMPLETE, PARTIAL or FAILED. */
public final class FinishRunHandler extends JsonHandler {
    private final RunControl control;

    public FinishRunHandler() {
        this(FunctionEnvironment.system().progress(), Clock.systemUTC());
    }

    public FinishRunHandler(ProgressStore progress, Clock clock) {
        this.control = new RunControl(progress, clock);
    }

    /** The metrics go to the function's log, which CloudWatch turns into metrics (and locally, to the log file). */
    @Override
    protected JsonNode handle(JsonNode event, Context context) {
        RunSummary summary = control.finish(Events.runId(event));
        if (context != null) {
            context.getLogger().log(metrics(summary, System.currentTimeMillis()) + "\n");
        }
        return Events.toJson(summary);
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        return handle(event, null);
    }

    /**
     * The run's counts as one CloudWatch embedded-metric-format line (namespace pricelake): Lambda's log
     * stream turns it into the metrics the dashboard and the "stays PARTIAL" alarm read.
     */
    static String metrics(RunSummary s, long timestampMillis) {
        ObjectNode line = Events.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", "pricelake");
        directive.putArray("Dimensions").addArray();
        var metrics = directive.putArray("Metrics");
        for (String name : List.of("TickersSucceeded", "TickersRateLimited", "TickersFailed", "BarsWritten", "BarsQuarantined",
                "RunsComplete", "RunsPartial", "RunsFailed")) {
            metrics.addObject().put("Name", name).put("Unit", "Count");
        }
        line.put("run_id", s.runId().value());
        line.put("TickersSucceeded", s.succeeded());
        line.put("TickersRateLimited", s.rateLimited());
        line.put("TickersFailed", s.failed());
        line.put("BarsWritten", s.bars());
        line.put("BarsQuarantined", s.quarantined());
        line.put("RunsComplete", s.status() == RunStatus.COMPLETE ? 1 : 0);
        line.put("RunsPartial", s.status() == RunStatus.PARTIAL ? 1 : 0);
        line.put("RunsFailed", s.status() == RunStatus.FAILED ? 1 : 0);
        return line.toString();
    }
}
