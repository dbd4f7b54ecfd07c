package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.lambda.SnapshotSafeRandom;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MentionsSource;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.reference.ReferenceTables;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * SelectTickers: {@code {"request": the state machine's input, "execution": {"id", "start_time"}}} in (a new
 * backfill, a daily run or a resume; the execution is optional); the batches still to do (their number, and the key
 * of their list in the lake) and the plan out.
 */
public final class SelectTickersHandler extends JsonHandler {
    private static final Set<String> FIELDS = Set.of("request", "execution");
    private final TickerSelector selector;
    private final Clock clock;

    public SelectTickersHandler() {
        this(FunctionEnvironment.system());
    }

    private SelectTickersHandler(FunctionEnvironment env) {
        this(env, env.hasDatabase() ? Optional.of(env.database()) : Optional.empty());
    }

    private SelectTickersHandler(FunctionEnvironment env, Optional<Sql> database) {
        this(env.progress(), env.polygon(), database.map(PostgresRecentBars::new),
                database.map(sql -> new ReferenceTables(new PostgresSymbols(sql), new PostgresCacheEntries(sql))), env.lake(),
                Clock.systemUTC());
    }

    public SelectTickersHandler(ProgressStore progress, ReferenceSource reference, Optional<MentionsSource> mentions,
            Optional<ReferenceTables> tables, ObjectStore lake, Clock clock) {
        this.selector = new TickerSelector(progress, reference, mentions, tables, lake, clock, new SnapshotSafeRandom());
        this.clock = clock;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        Events.rejectUnknownFields(event, FIELDS, "");
        JsonNode request = event.get("request");
        if (request == null || !request.isObject()) {
            throw new InvalidInputException("input", "must be a JSON object");
        }
        Optional<Execution> execution = event.hasNonNull("execution") ? Optional.of(execution(event.get("execution")))
                : Optional.empty();
        Selection selection = DailyRequest.isDaily(request) ? selector.daily(DailyRequest.parse(request, clock), execution)
                : selector.select(BackfillRequest.parse(request), execution);
        ObjectNode out = Events.object();
        out.put("run_id", selection.runId().value());
        out.put("done", selection.done());
        if (selection.done()) {
            out.put("status", "COMPLETE");
            out.put("message", selection.message());
            return out;
        }
        out.put("epoch", selection.epoch());
        out.put("resumed", selection.resumed());
        out.put("tickers", selection.tickers());
        out.put("max_concurrency", selection.maxConcurrency());
        selection.sessions().ifPresent(s -> {
            ObjectNode sessions = out.putObject("fetch_sessions");
            sessions.put("run_id", selection.runId().value());
            sessions.put("start", s.range().start().toString());
            sessions.put("end", s.range().end().toString());
            sessions.put("adjusted", s.adjusted());
            sessions.put("expected_symbols", s.expectedSymbols());
            if (selection.requestsPerMinute() != null) {
                sessions.put("requests_per_minute", selection.requestsPerMinute());
            }
        });
        for (FetchPlan plan : selection.plans()) {
            ObjectNode p = out.withArray("plan").addObject();
            p.put("fetch", plan.method().json());
            p.put("tickers", plan.tickers());
            p.put("sessions", plan.sessions());
            p.put("calls", plan.calls());
            p.put("range_calls", plan.rangeCalls());
            p.put("grouped_calls", plan.groupedCalls());
            p.put("forced", plan.forced());
            p.put("free_plan_floor_seconds", plan.freePlanFloor().toSeconds());
            p.put("reason", plan.reason());
        }
        out.put("batch_count", selection.batches().size());
        out.put("batches_key", selection.batchesKey());
        return out;
    }

    private static Execution execution(JsonNode node) {
        try {
            return new Execution(Events.text(node, "id"), Instant.parse(Events.text(node, "start_time")));
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("execution.start_time", "is not an ISO-8601 time: " + node.path("start_time"));
        }
    }
}
