package dev.pricelake.cdk;

import dev.pricelake.catalog.ScheduleCatalog;
import java.nio.file.Path;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * EventBridge Scheduler, in New York time so 06:00 stays 06:00 across daylight saving: the reference data
 * (symbols refresh, then the universes) at 05:00 and the daily run at 06:00 on weekdays, so the day's run can
 * select universes built from the previous session's closes; the retention and verification jobs weekly.
 * cdk.json's pricelake:dailyScheduleEnabled false deploys the daily schedule disabled (for a stack that
 * should only backfill).
 *
 * <p>Nothing scheduled fails unseen. Scheduler retries a target it cannot reach (throttled, missing, not
 * permitted) for up to {@link #MAX_EVENT_AGE} and then drops the event into the dead-letter queue. The jobs
 * are Lambda functions, which Scheduler invokes asynchronously: Lambda retries a failed run twice and then
 * sends that event to the same queue. An alarm watches the queue.
 */
final class Schedules extends Construct {
    static final int RETRY_ATTEMPTS = 10;
    /** A daily run started more than two hours late would still be right (it is named by its day), but stale. */
    static final Duration MAX_EVENT_AGE = Duration.hours(2);

    final CfnSchedule daily;
    final CfnSchedule retention;
    final CfnSchedule verify;
    final CfnSchedule reference;
    final Queue deadLetters;

    /** @param minuteRetentionDays the stack's minute window, a number token the retention and verify jobs receive */
    Schedules(Construct scope, String id, Path repository, Orchestration orchestration, Functions functions,
            boolean dailyEnabled, String minuteRetentionDays) {
        super(scope, id);
        deadLetters = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Role role = Role.Builder.create(this, "Role").assumedBy(new ServicePrincipal("scheduler.amazonaws.com")).build();
        orchestration.backfill.grantStartExecution(role);
        deadLetters.grantSendMessages(role);
        daily = schedule("Daily", "pricelake daily update, 06:00 New York, Monday to Friday", ScheduleCatalog.DAILY,
                orchestration.backfill.getStateMachineArn(), role,
                // The scheduled time goes in; the run_id (daily-YYYYMMDD) is derived from it.
                Orchestration.read(repository.resolve("events/daily-scheduled.json")).strip(), dailyEnabled);
        retention = job("Retention", "pricelake retention: move rows older than the window to the archive, weekly",
                ScheduleCatalog.WEEKLY_RETENTION, functions.alias("retention"), role,
                withMinuteWindow("{}", minuteRetentionDays));
        verify = job("Verify", "pricelake verify: check a sample of the lake, publish the findings as metrics, weekly",
                ScheduleCatalog.WEEKLY_VERIFY, functions.alias("verify"), role,
                withMinuteWindow(Orchestration.read(repository.resolve("events/verify-weekly.json")), minuteRetentionDays));
        reference = job("Reference", "pricelake reference: refresh the symbols table, rebuild the universes, weekdays"
                + " 05:00 New York", ScheduleCatalog.WEEKDAY_REFERENCE, functions.alias("reference"), role,
                Orchestration.read(repository.resolve("events/reference-scheduled.json")).strip());
    }

    /**
     * A job's JSON input object with the minute window added as a number: the window is a parameter known only at
     * deploy time, so the JSON is spliced around its token rather than serialized with it (which would quote it).
     */
    static String withMinuteWindow(String json, String minuteRetentionDays) {
        String object = json.strip();
        if (!object.startsWith("{") || !object.endsWith("}")) {
            throw new IllegalArgumentException("a scheduled job's input must be a JSON object, not " + object);
        }
        String fields = object.substring(1, object.length() - 1).strip();
        return "{" + fields + (fields.isEmpty() ? "" : ", ") + "\"minute_retention_days\": " + minuteRetentionDays + "}";
    }

    /** A scheduled job that invokes one function with a fixed input; a run that fails after Lambda's retries is kept. */
    private CfnSchedule job(String id, String description, String cron, Alias function, Role role, String input) {
        function.grantInvoke(role);
        function.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(2)
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(deadLetters))
                .build());
        return schedule(id, description, cron, function.getFunctionArn(), role, input, true);
    }

    private CfnSchedule schedule(String id, String description, String cron, String target, Role role, String input,
            boolean enabled) {
        return CfnSchedule.Builder.create(this, id)
                .description(description)
                .scheduleExpression(cron)
                .scheduleExpressionTimezone(ScheduleCatalog.TIMEZONE)
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state(enabled ? "ENABLED" : "DISABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(target)
                        .roleArn(role.getRoleArn())
                        .input(input)
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(RETRY_ATTEMPTS)
                                .maximumEventAgeInSeconds(MAX_EVENT_AGE.toSeconds())
                                .build())
                        .deadLetterConfig(CfnSchedule.DeadLetterConfigProperty.builder().arn(deadLetters.getQueueArn()).build())
                        .build())
                .build();
    }
}
