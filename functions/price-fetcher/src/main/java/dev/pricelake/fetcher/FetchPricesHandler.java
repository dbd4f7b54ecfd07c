package dev.pricelake.fetcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import java.time.Clock;

/** FetchPrices: a batch in, counts out; the bars themselves stay in S3. */
public final class FetchPricesHandler extends JsonHandler {
    private final PriceFetcher fetcher;

    public FetchPricesHandler() {
        this(FunctionEnvironment.system());
    }

    private FetchPricesHandler(FunctionEnvironment env) {
        this(env.polygon(), env.progress(), env.lake(), Clock.systemUTC());
    }

    public FetchPricesHandler(PriceSource source, ProgressStore progress, ObjectStore lake, Clock clock) {
        Staging staging = new Staging(lake);
        TradingCalendar calendar = TradingCalendar.nyse();
        this.fetcher = new PriceFetcher(source, new SessionFetcher(source, progress, staging, calendar, clock), progress,
                staging, new BarValidator(calendar), clock);
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Batch batch = Events.batch(event);
        PriceFetcher.Result r = fetcher.fetch(batch);
        ObjectNode out = Events.object();
        out.put("run_id", batch.runId().value());
        out.put("batch", batch.batch());
        out.put("fetched", r.fetched());
        out.put("already_fetched", r.alreadyFetched());
        out.put("skipped", r.skipped());
        out.put("failed", r.failed());
        out.put("bars", r.bars());
        out.put("quarantined", r.quarantined());
        return out;
    }
}
