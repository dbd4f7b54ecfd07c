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
import dev.pricelake.core.MentionsSource;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.fetch.FetchPlan;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.reference.ReferenceTables;
import java.time.Clock;
import java.util.Optional;

/** SelectTickers: a new backfill, a daily run or a resume in; the batches still to do and the plan out. */
public final class SelectTickersHandler extends JsonHandler {
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
        Selection selection = DailyRequest.isDaily(event) ? selector.daily(DailyRequest.parse(event, clock))
                : selector.select(BackfillRequest.parse(event));
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
        out.putArray("batches");
        selection.batches().forEach(b -> out.withArray("batches").add(Events.toJson(b)));
        return out;
    }
}
