package dev.pricelake.cdk;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.CfnSubscription;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The dashboard and the alarms, on what needs a person: an execution that failed or timed out, a run that ended
 * PARTIAL, a defect verification found, an error the code did not expect, a schedule or scheduled job that failed
 * for good. Never on what the state machine retries by design: every rate limit and unpublished day raises
 * Lambda's own Errors metric, so no alarm watches that one (the dashboard shows it). Run metrics come from
 * FinishRun, verification's from Verify, UnexpectedErrors from every function, all as CloudWatch embedded metric
 * format lines (namespace pricelake).
 */
final class Monitoring extends Construct {
    static final String NAMESPACE = "pricelake";
    /** Alarms look at five-minute sums, so one bad run notifies within minutes, once. */
    static final Duration PERIOD = Duration.minutes(5);
    final Key key;
    final Topic alarms;
    final Dashboard dashboard;
    final List<Alarm> allAlarms = new ArrayList<>();

    Monitoring(Construct scope, String id, String alarmEmail, Orchestration orchestration, Schedules schedules,
            Functions functions) {
        super(scope, id);
        // CloudWatch cannot publish to a topic under the AWS-managed SNS key (its policy cannot be changed), so
        // the topic has a key of its own whose policy lets CloudWatch use it.
        key = Key.Builder.create(this, "AlarmsKey")
                .description("pricelake: encrypts the alarm topic; CloudWatch may use it to publish")
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(7))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        alarms = Topic.Builder.create(this, "Alarms")
                .displayName("pricelake alarms")
                .enforceSsl(true)
                .masterKey(key)
                .build();
        CfnCondition hasEmail = CfnCondition.Builder.create(this, "HasAlarmEmail")
                .expression(Fn.conditionNot(Fn.conditionEquals(alarmEmail, ""))).build();
        CfnSubscription email = CfnSubscription.Builder.create(this, "Email")
                .topicArn(alarms.getTopicArn()).protocol("email").endpoint(alarmEmail).build();
        email.getCfnOptions().setCondition(hasEmail);

        alarm("FailedExecutions", orchestration.backfill.metricFailed(period()),
                "A backfill or daily execution failed (a run ended FAILED, a key was rejected, or the input was bad)");
        alarm("TimedOutExecutions", orchestration.backfill.metricTimedOut(period()),
                "An execution passed the state machine's time limit: resume its run_id");
        alarm("RunEndedPartial", metric("RunsPartial", "Sum", PERIOD),
                "A run ended PARTIAL (the rate limit or an unpublished day outlasted the retries): resume its run_id");
        alarm("LakeDefects", metric("VerifySymbolsWithDefects", "Maximum", PERIOD),
                "The weekly verification found defects in the lake: see reports/verify/ in the lake bucket");
        alarm("MinuteLakeDefects", metric("VerifyMinuteSymbolsWithDefects", "Maximum", PERIOD),
                "The weekly verification found defects in minute bronze (gaps, invalid, duplicate or misplaced minutes,"
                        + " ohlcv_minute differences): see reports/verify/ in the lake bucket");
        alarm("UnexpectedErrors", metric("UnexpectedErrors", "Sum", PERIOD),
                "A function raised an error the design does not expect: see its log (error_type in the metric line)");
        alarm("ScheduleFailures", schedules.deadLetters.metricApproximateNumberOfMessagesVisible(period()),
                "A schedule could not start its target, or a scheduled job failed after Lambda's retries: see the dead-letter queue");

        dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName("pricelake").build();
        dashboard.addWidgets(
                graph("Executions", List.of(orchestration.backfill.metricStarted(), orchestration.backfill.metricSucceeded(),
                        orchestration.backfill.metricFailed(), orchestration.backfill.metricTimedOut())),
                graph("Execution duration", List.of(orchestration.backfill.metricTime())),
                graph("Tickers by final status", List.of(metric("TickersSucceeded", "Sum", Duration.hours(1)),
                        metric("TickersRateLimited", "Sum", Duration.hours(1)), metric("TickersFailed", "Sum", Duration.hours(1)))));
        dashboard.addWidgets(
                graph("Bars written", List.of(metric("BarsWritten", "Sum", Duration.hours(1)))),
                graph("Rate-limited tickers", List.of(metric("TickersRateLimited", "Sum", Duration.hours(1)))),
                graph("Runs by outcome", List.of(metric("RunsComplete", "Sum", Duration.days(1)),
                        metric("RunsPartial", "Sum", Duration.days(1)), metric("RunsFailed", "Sum", Duration.days(1)))));
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> unexpected = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        functions.functions.values().forEach(f -> {
            errors.add(f.metricErrors());
            durations.add(f.metricDuration());
        });
        for (FunctionSpec spec : FunctionCatalog.all()) {
            unexpected.add(Metric.Builder.create().namespace(NAMESPACE).metricName("UnexpectedErrors")
                    .dimensionsMap(Map.of("Function", spec.functionName())).statistic("Sum").period(Duration.hours(1)).build());
        }
        dashboard.addWidgets(graph("Function errors (retried rate limits included)", errors),
                graph("Unexpected errors by function", unexpected), graph("Function durations", durations));
        dashboard.addWidgets(graph("Verification findings", List.of(metric("VerifyMissingSessions", "Maximum", Duration.days(1)),
                        metric("VerifyInvalidBars", "Maximum", Duration.days(1)), metric("VerifyDuplicateDates", "Maximum", Duration.days(1)),
                        metric("VerifyPostgresDiffs", "Maximum", Duration.days(1)), metric("VerifySilverDiffs", "Maximum", Duration.days(1)))),
                graph("Schedule dead letters", List.of(schedules.deadLetters.metricApproximateNumberOfMessagesVisible())));
    }

    private static MetricOptions period() {
        return MetricOptions.builder().period(PERIOD).build();
    }

    private static Metric metric(String name, String statistic, Duration period) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name).statistic(statistic).period(period).build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(8).build();
    }

    /** Fires on the first period with one or more: the first failure notifies, not the second day of them. */
    private void alarm(String id, Metric metric, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(alarms));
        allAlarms.add(alarm);
    }
}
