package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.progress.ProgressStore;
import java.time.Clock;

/** RecordFailure: the run stopped as a whole (a rejected key, say); record FAILED and why. */
public final class FailRunHandler extends JsonHandler {
    private final RunControl control;

    public FailRunHandler() {
        this(FunctionEnvironment.system().progress(), Clock.systemUTC());
    }

    public FailRunHandler(ProgressStore progress, Clock clock) {
        this.control = new RunControl(progress, clock);
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        String error = Events.errorText(event.get("error"));
        ObjectNode out = Events.toJson(control.fail(Events.runId(event), error));
        out.put("message", error);
        return out;
    }
}
