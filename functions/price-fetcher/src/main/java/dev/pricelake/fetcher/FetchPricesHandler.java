package dev.pricelake.fetcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.BarValidator;
import dev.pricelake.core.MinuteBarSource;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** FetchPrices: a batch in, counts out; the bars themselves stay in S3. */
public final class FetchPricesHandler extends JsonHandler {
    static final Duration STOP_MARGIN = Duration.ofSeconds(90);
    private final PriceSource source;
    private final ProgressStore progress;
    private final Staging staging;
    private final TradingCalendar calendar;
    private final BarValidator validator;
    private final CorporateActionLake actions;
    private final Clock clock;

    public FetchPricesHandler() {
        this(FunctionEnvironment.system());
    }

    private FetchPricesHandler(FunctionEnvironment env) {
        this(env.polygon(), env.progress(), env.lake(), Clock.systemUTC());
    }

    public FetchPricesHandler(PriceSource source, ProgressStore progress, ObjectStore lake, Clock clock) {
        this.source = source;
        this.progress = progress;
        this.staging = new Staging(lake);
        this.calendar = TradingCalendar.nyse();
        this.validator = new BarValidator(calendar);
        this.actions = new CorporateActionLake(lake);
        this.clock = clock;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        return handle(event, null);
    }

    @Override
    protected JsonNode handle(JsonNode event, Context context) {
        Batch batch = Events.batch(event);
        // Start no ticker in the invocation's last minute and a half: a ticker's call can wait that long for its
        // slot when containers share the rate limit, and Lambda's timeout would lose the whole invocation.
        Instant stopBy = context == null ? Instant.MAX
                : clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(STOP_MARGIN);
        PriceSource atRate = source.atRate(batch.requestsPerMinute());
        // The Polygon client serves minute bars too, held to the same rate.
        PriceFetcher fetcher = new PriceFetcher(atRate, atRate instanceof MinuteBarSource minutes ? minutes : null,
                new SessionFetcher(atRate, progress, staging, calendar, clock), progress, staging, validator, actions,
                calendar, clock);
        PriceFetcher.Result r = fetcher.fetch(batch, stopBy);
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
