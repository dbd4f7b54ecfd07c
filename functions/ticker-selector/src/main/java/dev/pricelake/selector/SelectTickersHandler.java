package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.MentionsSource;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.progress.ProgressStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/** SelectTickers: a new run or a resume in, the batches still to do out. */
public final class SelectTickersHandler extends JsonHandler {
    private final TickerSelector selector;

    public SelectTickersHandler() {
        this(FunctionEnvironment.system());
    }

    private SelectTickersHandler(FunctionEnvironment env) {
        this(env.progress(), env.polygon(), env.hasDatabase() ? Optional.of(env.recentBars()) : Optional.empty(),
                Clock.systemUTC());
    }

    public SelectTickersHandler(ProgressStore progress, ReferenceSource reference, Optional<MentionsSource> mentions,
            Clock clock) {
        this.selector = new TickerSelector(progress, reference, mentions, clock, new SecureRandom());
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Selection selection = selector.select(BackfillRequest.parse(event));
        ObjectNode out = Events.object();
        out.put("run_id", selection.runId().value());
        out.put("epoch", selection.epoch());
        out.put("resumed", selection.resumed());
        out.put("tickers", selection.tickers());
        out.put("max_concurrency", selection.maxConcurrency());
        selection.batches().forEach(b -> out.withArray("batches").add(Events.toJson(b)));
        if (selection.batches().isEmpty()) {
            out.putArray("batches");
        }
        return out;
    }
}
