package dev.pricelake.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.sql.PostgresMinuteBars;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.RecentBarsStore;
import dev.pricelake.core.reference.SymbolStore;
import java.time.Clock;

/**
 * WriteRecent: a batch in, counts out ({@code bars_recent}: rows written to raw_ohlcv, or to ohlcv_minute for a minute
 * batch); a day batch's tickers' last closes are in the symbols table, and the tickers become SUCCEEDED.
 */
public final class WriteRecentHandler extends JsonHandler {
    private final RecentWriter writer;

    public WriteRecentHandler() {
        this(FunctionEnvironment.system());
    }

    private WriteRecentHandler(FunctionEnvironment env) {
        this(env, env.database());
    }

    private WriteRecentHandler(FunctionEnvironment env, Sql database) {
        this(env.progress(), env.lake(), new PostgresRecentBars(database), new PostgresMinuteBars(database),
                new PostgresSymbols(database), Clock.systemUTC());
    }

    public WriteRecentHandler(ProgressStore progress, ObjectStore lake, RecentBarsStore recent, MinuteBarsStore minutes,
            SymbolStore symbols, Clock clock) {
        this.writer = new RecentWriter(progress, new Staging(lake), recent, minutes, symbols, clock);
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Batch batch = Events.batch(event);
        RecentWriter.Result r = writer.write(batch);
        ObjectNode out = Events.object();
        out.put("run_id", batch.runId().value());
        out.put("batch", batch.batch());
        out.put("succeeded", r.succeeded());
        out.put("failed", r.failed());
        out.put("bars_recent", r.recent());
        out.put("bars_archived", r.archived());
        return out;
    }
}
