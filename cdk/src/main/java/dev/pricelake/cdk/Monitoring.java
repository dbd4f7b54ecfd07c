package dev.pricelake.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.CfnSubscription;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The dashboard and the alarms. Run metrics come from FinishRun as CloudWatch embedded metric format
 * lines (namespace pricelake): tickers by final status, bars written, runs by outcome.
 */
final class Monitoring extends Construct {
    static final String NAMESPACE = "pricelake";
    final Topic alarms;
    final Dashboard dashboard;
    final List<Alarm> allAlarms = new ArrayList<>();

    Monitoring(Construct scope, String id, String alarmEmail, Orchestration orchestration, Functions functions) {
        super(scope, id);
        alarms = Topic.Builder.create(this, "Alarms")
                .displayName("pricelake alarms")
                .enforceSsl(true)
                .masterKey(Alias.fromAliasName(this, "SnsKey", "alias/aws/sns"))
                .build();
        CfnCondition hasEmail = CfnCondition.Builder.create(this, "HasAlarmEmail")
                .expression(Fn.conditionNot(Fn.conditionEquals(alarmEmail, ""))).build();
        CfnSubscription email = CfnSubscription.Builder.create(this, "Email")
                .topicArn(alarms.getTopicArn()).protocol("email").endpoint(alarmEmail).build();
        email.getCfnOptions().setCondition(hasEmail);

        alarm("FailedExecutions", orchestration.backfill.metricFailed(), 1, 1, "A backfill or daily execution failed");
        alarm("StaysPartial", run("RunsPartial", "Sum", Duration.days(1)), 1, 2,
                "Runs have ended PARTIAL two days in a row: resume them, or the rate limit needs a look");
        alarm("LakeDefects", run("VerifySymbolsWithDefects", "Maximum", Duration.days(1)), 1, 1,
                "The weekly verification found defects in the lake: see reports/verify/ in the lake bucket");
        for (Map.Entry<String, Function> e : functions.functions.entrySet()) {
            alarm("Errors-" + e.getKey(), e.getValue().metricErrors(), 1, 1, "pricelake-" + e.getKey() + " raised errors");
        }

        dashboard = Dashboard.Builder.create(this, "Dashboard").dashboardName("pricelake").build();
        dashboard.addWidgets(
                graph("Executions", List.of(orchestration.backfill.metricStarted(), orchestration.backfill.metricSucceeded(),
                        orchestration.backfill.metricFailed())),
                graph("Execution duration", List.of(orchestration.backfill.metricTime())),
                graph("Tickers by final status", List.of(run("TickersSucceeded", "Sum", Duration.hours(1)),
                        run("TickersRateLimited", "Sum", Duration.hours(1)), run("TickersFailed", "Sum", Duration.hours(1)))));
        dashboard.addWidgets(
                graph("Bars written", List.of(run("BarsWritten", "Sum", Duration.hours(1)))),
                graph("Rate-limited tickers", List.of(run("TickersRateLimited", "Sum", Duration.hours(1)))),
                graph("Runs by outcome", List.of(run("RunsComplete", "Sum", Duration.days(1)),
                        run("RunsPartial", "Sum", Duration.days(1)), run("RunsFailed", "Sum", Duration.days(1)))));
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        functions.functions.values().forEach(f -> {
            errors.add(f.metricErrors());
            durations.add(f.metricDuration());
        });
        dashboard.addWidgets(graph("Function errors", errors), graph("Function durations", durations),
                graph("Verification findings", List.of(run("VerifyMissingSessions", "Maximum", Duration.days(1)),
                        run("VerifyInvalidBars", "Maximum", Duration.days(1)), run("VerifyDuplicateDates", "Maximum", Duration.days(1)),
                        run("VerifyPostgresDiffs", "Maximum", Duration.days(1)), run("VerifySilverDiffs", "Maximum", Duration.days(1)))));
    }

    private static Metric run(String name, String statistic, Duration period) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name).statistic(statistic).period(period).build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(8).build();
    }

    private void alarm(String id, Metric metric, double threshold, int periods, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(alarms));
        allAlarms.add(alarm);
    }
}
