package dev.pricelake.selector;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.lambda.Metrics;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.RunStatus;
import dev.pricelake.core.progress.RunSummary;
import java.util.LinkedHashMap;
import java.util.Map;
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
        ObjectNode out = Events.toJson(summary);
        out.set("refetched", control.refetched(summary.runId()));
        return out;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        return handle(event, null);
    }

    /** The run's counts as metrics the dashboard and the "stays PARTIAL" alarm read. */
    static String metrics(RunSummary s, long timestampMillis) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("TickersSucceeded", s.succeeded());
        counts.put("TickersRateLimited", s.rateLimited());
        counts.put("TickersFailed", s.failed());
        counts.put("BarsWritten", s.bars());
        counts.put("BarsQuarantined", s.quarantined());
        counts.put("RunsComplete", s.status() == RunStatus.COMPLETE ? 1L : 0L);
        counts.put("RunsPartial", s.status() == RunStatus.PARTIAL ? 1L : 0L);
        counts.put("RunsFailed", s.status() == RunStatus.FAILED ? 1L : 0L);
        return Metrics.line(counts, Map.of("run_id", s.runId().value()), timestampMillis);
    }
}
