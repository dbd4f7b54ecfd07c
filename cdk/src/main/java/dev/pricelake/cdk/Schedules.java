package dev.pricelake.cdk;

import java.nio.file.Path;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.constructs.Construct;

/**
 * EventBridge Scheduler, in New York time so 06:00 stays 06:00 across daylight saving: the reference data
 * (symbols refresh, then the universes) at 05:00 and the daily run at 06:00 on weekdays, so the day's run can
 * select universes built from the previous session's closes; the retention and verification jobs weekly.
 * cdk.json's pricelake:dailyScheduleEnabled false deploys the daily schedule disabled (for a stack that
 * should only backfill).
 */
final class Schedules extends Construct {
    static final String TIMEZONE = "America/New_York";
    static final String DAILY = "cron(0 6 ? * MON-FRI *)";
    static final String WEEKLY_RETENTION = "cron(0 3 ? * SUN *)";
    static final String WEEKLY_VERIFY = "cron(0 4 ? * SUN *)";
    static final String WEEKDAY_REFERENCE = "cron(0 5 ? * MON-FRI *)";

    final CfnSchedule daily;
    final CfnSchedule retention;
    final CfnSchedule verify;
    final CfnSchedule reference;

    Schedules(Construct scope, String id, Path repository, Orchestration orchestration, Functions functions,
            boolean dailyEnabled) {
        super(scope, id);
        Role role = Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("scheduler.amazonaws.com")).build();
        orchestration.backfill.grantStartExecution(role);
        functions.alias("retention").grantInvoke(role);
        functions.alias("verify").grantInvoke(role);
        functions.alias("reference").grantInvoke(role);
        daily = CfnSchedule.Builder.create(this, "Daily")
                .description("pricelake daily update, 06:00 New York, Monday to Friday")
                .scheduleExpression(DAILY)
                .scheduleExpressionTimezone(TIMEZONE)
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state(dailyEnabled ? "ENABLED" : "DISABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(orchestration.backfill.getStateMachineArn())
                        .roleArn(role.getRoleArn())
                        // The scheduled time goes in; the run_id (daily-YYYYMMDD) is derived from it.
                        .input(Orchestration.read(repository.resolve("events/daily-scheduled.json")).strip())
                        .build())
                .build();
        retention = job("Retention", "pricelake retention: move rows older than the window to the archive, weekly",
                WEEKLY_RETENTION, functions.alias("retention"), role, "{}");
        verify = job("Verify", "pricelake verify: check a sample of the lake, publish the findings as metrics, weekly",
                WEEKLY_VERIFY, functions.alias("verify"), role,
                Orchestration.read(repository.resolve("events/verify-weekly.json")).strip());
        reference = job("Reference", "pricelake reference: refresh the symbols table, rebuild the universes, weekdays"
                + " 05:00 New York", WEEKDAY_REFERENCE, functions.alias("reference"), role,
                Orchestration.read(repository.resolve("events/reference-scheduled.json")).strip());
    }

    /** A scheduled job that invokes one function with a fixed input. */
    private CfnSchedule job(String id, String description, String cron, Alias function, Role role, String input) {
        return CfnSchedule.Builder.create(this, id)
                .description(description)
                .scheduleExpression(cron)
                .scheduleExpressionTimezone(TIMEZONE)
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state("ENABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(function.getFunctionArn())
                        .roleArn(role.getRoleArn())
                        .input(input)
                        .build())
                .build();
    }
}
