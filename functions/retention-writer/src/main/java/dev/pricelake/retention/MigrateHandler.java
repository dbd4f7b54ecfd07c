package dev.pricelake.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.lambda.Events;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.lambda.JsonHandler;
import dev.pricelake.adapters.sql.DataApiMigrations;
import dev.pricelake.adapters.sql.Sql;
import java.util.List;

/**
 * The deploy's custom resource (CDK Provider onEvent): on Create and Update it applies db-migrations/
 * through the Data API; already-applied migrations are skipped, so a repeated deploy changes nothing. On
 * Delete it leaves the database alone: the cluster keeps its data.
 */
public final class MigrateHandler extends JsonHandler {
    static final String PHYSICAL_ID = "pricelake-db-migrations";
    private final Sql sql;

    public MigrateHandler() {
        this(FunctionEnvironment.system().database());
    }

    public MigrateHandler(Sql sql) {
        this.sql = sql;
    }

    @Override
    protected JsonNode handle(JsonNode event) {
        String type = Events.text(event, "RequestType");
        List<Integer> applied = type.equals("Delete") ? List.of() : DataApiMigrations.apply(sql);
        ObjectNode out = Events.object();
        out.put("PhysicalResourceId", PHYSICAL_ID);
        out.putObject("Data").put("Applied", applied.toString());
        return out;
    }
}
