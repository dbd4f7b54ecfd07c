package dev.pricelake.bronzewriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.BronzeLake;
import dev.pricelake.core.bronze.MinuteBronzeLake;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import java.time.Clock;

/** WriteBronze: a batch in, counts out. */
public final class WriteBronzeHandler extends JsonHandler {
    private final BronzeWriter writer;

    public WriteBronzeHandler() {
        this(FunctionEnvironment.system());
    }

    private WriteBronzeHandler(FunctionEnvironment env) {
        this(env.progress(), env.lake(), Clock.systemUTC());
    }

    public WriteBronzeHandler(ProgressStore progress, ObjectStore lake, Clock clock) {
        this.writer = new BronzeWriter(progress, new Staging(lake), new BronzeLake(lake), new MinuteBronzeLake(lake),
                TradingCalendar.nyse(), clock);
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Batch batch = Events.batch(event);
        BronzeWriter.Result r = writer.write(batch);
        ObjectNode out = Events.object();
        out.put("run_id", batch.runId().value());
        out.put("batch", batch.batch());
        out.put("merged", r.merged());
        out.put("failed", r.failed());
        out.put("bars_inserted", r.inserted());
        out.put("bars_updated", r.updated());
        out.put("bars_removed", r.removed());
        return out;
    }
}
