package dev.pricelake.fetcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.core.DateRange;
import dev.pricelake.core.FlatFileSource;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.PriceSource;
import dev.pricelake.core.RunId;
import dev.pricelake.core.TradingCalendar;
import dev.pricelake.core.actions.CorporateActionLake;
import dev.pricelake.core.bronze.Staging;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import dev.pricelake.core.progress.Batch;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.progress.WriterLease;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * FetchSessions: {@code {run_id, epoch, batches_key, start, end, adjusted, expected_symbols, requests_per_minute?}} in;
 * the range's sessions staged with one grouped-daily call each, before the batches run, so parallel batches never
 * repeat a call, and cut into one piece per batch of the attempt's list, so each batch reads only its own bars.
 * An invocation stops staging before its remaining time runs out and answers {@code done: false} with the
 * sessions still to stage, and the state machine calls it again, so a catch-up of any length fits Lambda's timeout.
 * With {@code flat_files: true} the sessions are read from Massive's flat files ({@link FlatFilePrices}), and the
 * sessions that came from grouped daily instead are listed in {@code flat_files_fallbacks}. A minute run's batches
 * (flat files only) have their sessions' minutes staged from the minute files ({@link MinuteSessionFetcher}), a session
 * without a file from each ticker's range call, listed there too.
 *
 * <p>{@code {fetch_sessions: {...as above}, sessions: [dates]}} stages only those sessions of the range: the state
 * machine's distributed Map over the flat files gives each child execution a few files this way.
 */
public final class FetchSessionsHandler extends JsonHandler {
    private static final Set<String> FIELDS = Set.of("run_id", "epoch", "batches_key", "start", "end", "adjusted", "expected_symbols",
            "requests_per_minute", "flat_files");
    private final PriceSource source;
    private final ProgressStore progress;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore lake;
    private final Staging staging;
    private final WriterLease lease;
    private final Clock clock;
    private final Supplier<FlatFileSource> flatFiles;

    public FetchSessionsHandler() {
        this(FunctionEnvironment.system());
    }

    private FetchSessionsHandler(FunctionEnvironment env) {
        this(env.polygon(), env.progress(), env.lake(), Clock.systemUTC(), env::flatFiles);
    }

    public FetchSessionsHandler(PriceSource source, ProgressStore progress, ObjectStore lake, Clock clock) {
        this(source, progress, lake, clock, () -> {
            throw new IllegalStateException("this FetchSessions has no flat files");
        });
    }

    /** @param flatFiles the flat files, built when a run first reads them (most runs never do) */
    public FetchSessionsHandler(PriceSource source, ProgressStore progress, ObjectStore lake, Clock clock,
            Supplier<FlatFileSource> flatFiles) {
        this.flatFiles = memoized(flatFiles);
        this.source = source;
        this.progress = progress;
        this.lake = lake;
        this.staging = new Staging(lake);
        this.lease = new WriterLease(progress, clock);
        this.clock = clock;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        return handle(event, null);
    }

    @Override
    protected JsonNode handle(JsonNode input, Context context) {
        Optional<List<LocalDate>> only = Optional.empty();
        JsonNode event = input;
        if (input.has("sessions")) {
            Events.rejectUnknownFields(input, Set.of("fetch_sessions", "sessions"), "");
            event = input.path("fetch_sessions");
            only = Optional.of(sessions(input.get("sessions")));
        }
        Events.rejectUnknownFields(event, FIELDS, "");
        RunId runId = Events.runId(event);
        lease.hold(runId, Events.integer(event, "epoch"));
        PriceSource api = source.atRate(Events.requestsPerMinute(event));
        FlatFilePrices files = Events.bool(event, "flat_files", false)
                ? new FlatFilePrices(flatFiles.get(), api, new CorporateActionLake(lake)) : null;
        LongSupplier remaining = context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis;
        int epoch = Events.integer(event, "epoch");
        List<Batch> batches = groupedBatches(Events.text(event, "batches_key"));
        DateRange range = DateRange.parse(Events.text(event, "start"), Events.text(event, "end"));
        boolean adjusted = Events.bool(event, "adjusted", true);
        SessionFetcher.Result r;
        if (batches.stream().anyMatch(b -> b.timespan() == Timespan.MINUTE)) {
            if (files == null) {
                throw new InvalidInputException("flat_files", "minute sessions come from the minute flat files only");
            }
            r = new MinuteSessionFetcher(files, staging, TradingCalendar.nyse(), clock).ensure(runId, batches, range, only,
                    adjusted, remaining);
        } else {
            r = new SessionFetcher(files == null ? api : files, progress, staging, TradingCalendar.nyse(), clock,
                    files == null ? session -> false : files::servedFromFile).ensure(runId,
                    epoch, batches, range, only, adjusted,
                    event.hasNonNull("expected_symbols") ? Events.integer(event, "expected_symbols") : 0, remaining);
        }
        ObjectNode out = Events.object();
        out.put("run_id", runId.value());
        out.put("sessions", r.sessions());
        out.put("fetched", r.fetched());
        out.put("from_staging", r.restaged());
        out.put("already_staged", r.alreadyStaged());
        out.put("bars", r.bars());
        out.put("remaining", r.remaining());
        out.put("done", r.remaining() == 0);
        if (files != null) {
            ArrayNode fellBack = out.putArray("flat_files_fallbacks");
            for (FlatFilePrices.Fallback f : files.fallbacks()) {
                fellBack.addObject().put("session", f.session().toString()).put("reason", f.reason()).put("instead", f.instead());
                if (context != null) {
                    context.getLogger().log("flat files: " + f.session() + " fetched with " + f.instead() + " instead: " + f.reason()
                            + "\n");
                }
            }
        }
        return out;
    }

    private static List<LocalDate> sessions(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            throw new InvalidInputException("sessions", "must be a non-empty array of dates");
        }
        List<LocalDate> dates = new ArrayList<>();
        for (JsonNode date : list) {
            try {
                dates.add(LocalDate.parse(date.asText()));
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("sessions", "holds " + date + ", not a date (YYYY-MM-DD)");
            }
        }
        return dates;
    }

    private static <T> Supplier<T> memoized(Supplier<T> build) {
        Object[] built = new Object[1];
        return () -> {
            synchronized (built) {
                if (built[0] == null) {
                    built[0] = build.get();
                }
                @SuppressWarnings("unchecked")
                T value = (T) built[0];
                return value;
            }
        };
    }

    /** The attempt's batches that take their bars from the staged sessions (a daily run's new members do not). */
    private List<Batch> groupedBatches(String batchesKey) {
        byte[] list = lake.get(batchesKey).orElseThrow(() -> new InvalidInputException("batches_key",
                "no batch list at " + batchesKey));
        try {
            List<Batch> batches = new ArrayList<>();
            for (JsonNode item : JSON.readTree(list)) {
                Batch batch = Events.batch(item);
                if (batch.fetch() == FetchMethod.GROUPED) {
                    batches.add(batch);
                }
            }
            return batches;
        } catch (IOException e) {
            throw new IllegalStateException("the batch list at " + batchesKey + " is not JSON", e);
        }
    }
}
