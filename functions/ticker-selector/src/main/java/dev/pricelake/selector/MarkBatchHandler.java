package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.TickerStatus;
import java.time.Clock;

/**
 * MarkRateLimited / MarkFailed: a batch whose step ended in an error after its retries. Input: the batch,
 * {@code status} (RATE_LIMITED or FAILED), {@code stage} (fetch or write) and the caught {@code error}.
 */
public final class MarkBatchHandler extends JsonHandler {
    private final RunControl control;

    public MarkBatchHandler() {
        this(FunctionEnvironment.system().progress(), Clock.systemUTC());
    }

    public MarkBatchHandler(ProgressStore progress, Clock clock) {
        this.control = new RunControl(progress, clock);
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Batch batch = Events.batch(event);
        TickerStatus status;
        try {
            status = TickerStatus.valueOf(Events.text(event, "status"));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "must be RATE_LIMITED or FAILED");
        }
        String stage = Events.text(event, "stage");
        if (!stage.equals("fetch") && !stage.equals("write")) {
            throw new InvalidInputException("stage", "must be fetch or write, not " + stage);
        }
        int marked = control.markBatch(batch, status, Events.errorText(event.get("error")), stage.equals("write"));
        ObjectNode out = Events.object();
        out.put("run_id", batch.runId().value());
        out.put("batch", batch.batch());
        out.put("marked", marked);
        return out;
    }
}
