package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.progress.ProgressStore;
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

    @Override
    protected JsonNode handle(JsonNode event) {
        return Events.toJson(control.finish(Events.runId(event)));
    }
}
