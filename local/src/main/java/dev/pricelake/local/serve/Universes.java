package dev.pricelake.local.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.sql.PostgresCacheEntries;
import dev.pricelake.adapters.sql.PostgresSymbols;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.reference.CacheEntryStore;
import dev.pricelake.core.reference.MarketCapTiers;
import dev.pricelake.core.reference.Themes;
import dev.pricelake.core.reference.UniverseRebuild;
import dev.pricelake.local.runner.UniversesCommand;
import dev.pricelake.reference.ReferenceOutput;
import java.time.Clock;

/** The console's universes page: the cache entries, and "Update and organize" (the universes rebuild). */
final class Universes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sql sql;
    private final ObjectStore lake;
    private final Clock clock;

    Universes(Sql sql, ObjectStore lake, Clock clock) {
        this.sql = sql;
        this.lake = lake;
        this.clock = clock;
    }

    JsonNode list() {
        ArrayNode list = JSON.createArrayNode();
        for (CacheEntryStore.Listed l : new PostgresCacheEntries(sql).list()) {
            ObjectNode o = list.addObject();
            o.put("type", l.id().type());
            o.put("name", l.id().name());
            o.put("key", l.id().key());
            o.put("count", l.count());
            o.put("updated_at", l.updatedAt() == null ? null : l.updatedAt().toString());
        }
        return list;
    }

    /** {"mode": "replace" | "append"}; the result as {@code universes rebuild --json} prints it. */
    JsonNode rebuild(JsonNode request) {
        String mode = request.path("mode").asText("");
        if (!mode.equals("replace") && !mode.equals("append")) {
            throw new ApiError("BadRequest", "Mode: 'replace' or 'append', not '" + mode + "'");
        }
        UniverseRebuild.Result result = new UniverseRebuild(new PostgresSymbols(sql), new PostgresCacheEntries(sql), lake, clock)
                .rebuild(Themes.bundled(), MarketCapTiers.parse("--tier-bounds", UniversesCommand.DEFAULT_TIER_BOUNDS), mode.equals("append"));
        return ReferenceOutput.json(result);
    }
}
