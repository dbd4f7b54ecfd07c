package dev.pricelake.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.lambda.SnapshotSafeRandom;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresCorporateActions;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.MentionsSource;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.actions.CorporateActionSource;
import dev.pricelake.core.actions.CorporateActionStore;
import dev.pricelake.core.actions.Split;
import dev.pricelake.core.actions.TickerChange;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.fetch.Timespan;
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
        this(env, database, env.polygon());
    }

    /** One Polygon client for the listings and the corporate actions: one key cache, one share of the rate limit. */
    private SelectTickersHandler(FunctionEnvironment env, Optional<Sql> database, PolygonClient polygon) {
        this(env.progress(), polygon, polygon, database.map(PostgresRecentBars::new),
                database.map(sql -> new ReferenceTables(new PostgresSymbols(sql), new PostgresCacheEntries(sql))),
                database.map(PostgresCorporateActions::new), env.lake(), env.polygonSource(), polygon.requestsPerMinute(),
                Clock.systemUTC());
    }

    /**
     * @param tables the symbols (kept current with the listings a run reads) and the universes a run may select
     * @param source how the functions reach prices, recorded with each run so a resume uses the same
     * @param deploymentRequestsPerMinute the rate (0: no limit) the fetching functions use for a run that gives none
     */
    public SelectTickersHandler(ProgressStore progress, ReferenceSource reference, CorporateActionSource actions,
            Optional<MentionsSource> mentions, Optional<ReferenceTables> tables, Optional<CorporateActionStore> actionsDatabase,
            ObjectStore lake, JsonNode source, int deploymentRequestsPerMinute, Clock clock) {
        this.selector = new TickerSelector(progress, reference, actions, mentions, tables, actionsDatabase, lake, source,
                deploymentRequestsPerMinute, clock, new SnapshotSafeRandom());
        this.clock = clock;
    }

    /**
     * Checks an input as SelectTickers would, without reading or writing anything: the local command runs it before
     * it starts a single stand-in, so bad input costs no wait and leaves no state.
     */
    public static void check(JsonNode input) {
        if (DailyRequest.isDaily(input)) {
            DailyRequest.parse(input, Clock.systemUTC());
        } else {
            BackfillRequest.parse(input);
        }
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
            sessions.put("epoch", selection.epoch());
            sessions.put("batches_key", selection.batchesKey());
            sessions.put("start", s.range().start().toString());
            sessions.put("end", s.range().end().toString());
            sessions.put("adjusted", s.adjusted());
            sessions.put("expected_symbols", s.expectedSymbols());
            if (s.flatFiles()) {
                sessions.put("flat_files", true);
            }
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
            if (plan.timespan() == Timespan.DAY) {
                p.put("range_seconds", Math.round(plan.rangeSeconds() * 100) / 100.0);
                p.put("grouped_seconds", Math.round(plan.groupedSeconds() * 100) / 100.0);
            }
            p.put("reason", plan.reason());
        }
        selection.flatFilesKey().ifPresent(key -> out.put("flat_files_key", key));
        selection.upkeep().ifPresent(work -> out.set("actions", actions(work)));
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

    /** What the run learned of corporate actions, and which histories it fetches again and why. */
    private static ObjectNode actions(LakeUpkeep.Work work) {
        ObjectNode out = Events.object();
        work.refresh().newSplits().stream().map(Split::describe).forEach(out.withArray("new_splits")::add);
        out.put("new_dividends", work.refresh().newDividends());
        work.refresh().windows().forEach(out.withArray("windows")::add);
        for (TickerChange c : work.renames()) {
            ObjectNode r = out.withArray("renames_found").addObject();
            r.put("from", c.from().value());
            r.put("to", c.to().value());
            r.put("date", c.date().toString());
        }
        work.replace().forEach((t, r) -> {
            ObjectNode entry = out.withArray("refetched").addObject();
            entry.put("symbol", t.value());
            entry.put("from", r.start().toString());
            r.reasons().forEach(entry.withArray("reasons")::add);
        });
        ObjectNode retired = Events.object();
        work.retire().forEach((old, now) -> retired.put(old.value(), now.value()));
        if (!retired.isEmpty()) {
            out.set("retired", retired);
        }
        if (!out.has("new_splits")) {
            out.putArray("new_splits");
        }
        if (!out.has("refetched")) {
            out.putArray("refetched");
        }
        return out;
    }
}
