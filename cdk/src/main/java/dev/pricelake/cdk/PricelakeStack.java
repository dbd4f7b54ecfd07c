package dev.pricelake.cdk;

import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
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
        CfnParameter requestsPerMinute = CfnParameter.Builder.create(this, "PolygonRequestsPerMinute").type("Number")
                .defaultValue(PolygonKey.FREE_PLAN_REQUESTS_PER_MINUTE).minValue(0)
                // The bound SelectTickers puts on a run's own requests_per_minute.
                .maxValue(600)
                .description("Polygon requests a minute for the whole account, shared by every function container:"
                        + " 5 on the free plan, 0 for no limit (paid plans); a run's requests_per_minute overrides it")
                .build();
        CfnParameter minuteRetentionDays = CfnParameter.Builder.create(this, "MinuteRetentionDays").type("Number")
                // The bounds and default the retention handler applies to minute_retention_days.
                .defaultValue(30).minValue(1).maxValue(3660)
                .description("Calendar days of one-minute bars kept in PostgreSQL (ohlcv_minute): what the weekly retention"
                        + " job keeps and the weekly verify checks; give minute runs the same minute_retention_days")
                .build();
        storage = new LakeStorage(this, "Storage", settings.stagingExpiryDays());
        progress = new ProgressTable(this, "Progress");
        database = new Database(this, "Database");
        polygonKey = new PolygonKey(this, "PolygonKey", requestsPerMinute.getValueAsString());
        functions = new Functions(this, "Functions", settings.repository(), storage, progress, database, polygonKey);
        database.migrateOnDeploy(functions.alias("migrate"), settings.repository());
        orchestration = new Orchestration(this, "Orchestration", settings.repository(), functions, storage);
        schedules = new Schedules(this, "Schedules", settings.repository(), orchestration, functions,
                settings.dailyScheduleEnabled(), minuteRetentionDays.getValueAsString());
        monitoring = new Monitoring(this, "Monitoring", alarmEmail.getValueAsString(), orchestration, schedules, functions);
        queries = new QueryEngines(this, "QueryEngines", storage);
        output("StateMachineArn", orchestration.backfill.getStateMachineArn(), "start-execution --state-machine-arn this");
        output("LakeBucket", storage.lake.getBucketName(), "bronze/, silver/, reports/verify/ and the rest of the lake");
        output("PolygonSecretArn", polygonKey.secret.getSecretArn(), "put the Polygon key here: {\"api_key\": \"...\"}");
        output("FlatFilesSecretArn", polygonKey.flatFilesSecret.getSecretArn(), "put Massive's flat-files credentials here:"
                + " {\"access_key_id\": \"...\", \"secret_access_key\": \"...\"}");
        output("ProgressTable", progress.table.getTableName(), "runs and tickers: run_id, item = RUN or TICKER#SYMBOL");
        output("DashboardUrl", "https://console.aws.amazon.com/cloudwatch/home?region=" + getRegion() + "#dashboards:name="
                + monitoring.dashboard.getDashboardName(), "the CloudWatch dashboard");
        output("ScheduleDeadLetterQueueUrl", schedules.deadLetters.getQueueUrl(),
                "schedules that could not start, scheduled jobs that failed after Lambda's retries");
        database.protectFromDeletionLast(this);
        Suppressions.apply(this);
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** The logical id of a function's role, as the template names it (for tests of its grants). */
    String getResolvedRole(String function) {
        return getLogicalId((software.amazon.awscdk.CfnElement) functions.functions.get(function).getRole().getNode()
                .getDefaultChild());
    }
}
