package dev.pricelake.cdk;

import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** The whole system in one stack, one construct per concern. */
public final class PricelakeStack extends Stack {
    /**
     * Deploy-time choices, from cdk.json context.
     *
     * @param repository          the repository root (function jars, statemachines/, events/)
     * @param stagingExpiryDays   staging and quarantine objects expire after this many days
     * @param dailyScheduleEnabled whether the 06:00 schedule starts daily runs (on unless set false)
     */
    public record Settings(Path repository, int stagingExpiryDays, boolean dailyScheduleEnabled) {
        static Settings from(App app) {
            Object expiry = app.getNode().tryGetContext("pricelake:stagingExpiryDays");
            Object daily = app.getNode().tryGetContext("pricelake:dailyScheduleEnabled");
            return new Settings(Path.of("..").toAbsolutePath().normalize(),
                    expiry == null ? 14 : Integer.parseInt(expiry.toString()),
                    daily == null || Boolean.parseBoolean(daily.toString()));
        }
    }

    final LakeStorage storage;
    final ProgressTable progress;
    final Database database;
    final PolygonKey polygonKey;
    final Functions functions;
    final Orchestration orchestration;
    final Schedules schedules;
    final Monitoring monitoring;
    final QueryEngines queries;

    public PricelakeStack(Construct scope, String id, StackProps props, Settings settings) {
        super(scope, id, props);
        CfnParameter alarmEmail = CfnParameter.Builder.create(this, "AlarmEmail").type("String").defaultValue("")
                .description("E-mail address for pricelake alarms (empty: no subscription)").build();
        storage = new LakeStorage(this, "Storage", settings.stagingExpiryDays());
        progress = new ProgressTable(this, "Progress");
        database = new Database(this, "Database");
        polygonKey = new PolygonKey(this, "PolygonKey");
        functions = new Functions(this, "Functions", settings.repository(), storage, progress, database, polygonKey);
        database.migrateOnDeploy(functions.alias("migrate"), settings.repository());
        orchestration = new Orchestration(this, "Orchestration", settings.repository(), functions);
        schedules = new Schedules(this, "Schedules", settings.repository(), orchestration, functions,
                settings.dailyScheduleEnabled());
        monitoring = new Monitoring(this, "Monitoring", alarmEmail.getValueAsString(), orchestration, functions);
        queries = new QueryEngines(this, "QueryEngines", storage);
        Suppressions.apply(this);
    }

    /** The logical id of a function's role, as the template names it (for tests of its grants). */
    String getResolvedRole(String function) {
        return getLogicalId((software.amazon.awscdk.CfnElement) functions.functions.get(function).getRole().getNode()
                .getDefaultChild());
    }
}
