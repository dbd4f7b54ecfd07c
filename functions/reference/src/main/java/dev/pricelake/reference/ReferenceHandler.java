package dev.pricelake.reference;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.lambda.SnapshotSafeRandom;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.ReferenceSource;
import dev.pricelake.core.progress.ProgressStore;
import dev.pricelake.core.reference.CacheEntryStore;
import dev.pricelake.core.reference.SymbolRefresh;
import dev.pricelake.core.reference.SymbolStore;
import dev.pricelake.core.reference.UniverseRebuild;
import dev.pricelake.core.universe.Universe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reference: {@code {"refresh"?: true, "rebuild"?: true, "types"?: "cs,etf", "include_delisted"?: false,
 * "append"?: false}}. Refreshes the symbols table (details only where needed, within the invocation's time, the
 * rest resumed by the next invocation), then rebuilds every universe from it; returns what each did.
 */
public final class ReferenceHandler extends JsonHandler {
    /** Left for the market caps, the lake file and the rebuild after the last details call. */
    static final Duration AFTER_DETAILS = Duration.ofMinutes(3);
    private static final Set<String> FIELDS = Set.of("refresh", "rebuild", "types", "include_delisted", "append");
    private final SymbolRefresh refresh;
    private final UniverseRebuild rebuild;
    private final ReferenceSettings settings;
    private final Clock clock;
    private final Consumer<String> log;

    public ReferenceHandler() {
        this(FunctionEnvironment.system());
    }

    private ReferenceHandler(FunctionEnvironment env) {
        this(env, env.lake(), env.database());
    }

    private ReferenceHandler(FunctionEnvironment env, ObjectStore lake, Sql database) {
        this(env.polygon(), new PostgresSymbols(database), new PostgresCacheEntries(database), env.progress(), lake,
                ReferenceSettings.fromEnvironment(env, lake), Clock.systemUTC(), line -> { });
    }

    /** @param log where progress lines go when there is no Lambda context (the local command's screen) */
    public ReferenceHandler(ReferenceSource source, SymbolStore symbols, CacheEntryStore entries, ProgressStore progress,
            ObjectStore lake, ReferenceSettings settings, Clock clock, Consumer<String> log) {
        this.refresh = new SymbolRefresh(source, symbols, progress, lake, clock, new SnapshotSafeRandom());
        this.rebuild = new UniverseRebuild(symbols, entries, lake, clock);
        this.settings = settings;
        this.clock = clock;
        this.log = log;
    }

    @Override
    protected JsonNode handle(JsonNode event, Context context) {
        Events.rejectUnknownFields(event, FIELDS, "");
        boolean doRefresh = Events.bool(event, "refresh", true);
        boolean doRebuild = Events.bool(event, "rebuild", true);
        Universe.Query query = Universe.Query.parse("types", event.hasNonNull("types") ? Events.text(event, "types") : "cs,etf",
                Events.bool(event, "include_delisted", false));
        boolean append = Events.bool(event, "append", false);
        Consumer<String> lines = context == null ? log : line -> context.getLogger().log(line + "\n");
        ObjectNode out = Events.object();
        if (doRefresh) {
            Instant deadline = context == null ? null
                    : clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(AFTER_DETAILS);
            SymbolRefresh.Result r = refresh.refresh(new SymbolRefresh.Request(query, settings.maxDetailsAge(),
                    settings.sic().get(), settings.etfRules().get(), deadline), lines);
            out.set("refresh", ReferenceOutput.json(r));
        }
        if (doRebuild) {
            UniverseRebuild.Result r = rebuild.rebuild(settings.themes().get(), settings.tiers(), append);
            out.set("rebuild", ReferenceOutput.json(r));
        }
        return out;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        return handle(event, null);
    }
}
