package dev.pricelake.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;

/** The cdk-nag AwsSolutions findings this design accepts, each with its reason. */
final class Suppressions {
    private Suppressions() {
    }

    static void apply(PricelakeStack stack) {
        NagSuppressions.addResourceSuppressions(stack.database.cluster, List.of(suppress("AwsSolutions-RDS10",
                "Deletion protection is turned on by the stack's last resource (Database.protectFromDeletionLast), so a failed"
                        + " first deploy can still roll the cluster back.")), true);
        NagSuppressions.addResourceSuppressions(stack.schedules.deadLetters, List.of(suppress("AwsSolutions-SQS3",
                "This queue is the dead-letter queue of the schedules and the scheduled jobs.")), true);
        NagSuppressions.addStackSuppressions(stack, List.of(
                suppress("AwsSolutions-IAM4", "Lambda's AWSLambdaBasicExecutionRole (logs only) is the managed policy CDK attaches"
                        + " to every function; everything else comes from grant* calls scoped to one resource."),
                suppress("AwsSolutions-IAM5", "Wildcards come from grant* on the lake bucket's objects (bronze/, silver/ and"
                        + " staging/ keys are per symbol and run), X-Ray, and the Data API secret versions: all scoped to one resource."),
                suppress("AwsSolutions-L1", "The design pins the java21 runtime (DESIGN.md); newer runtimes are adopted on purpose,"
                        + " not by a linter."),
                suppress("AwsSolutions-SMG4", "The Polygon key is a third-party API key and Aurora's credentials are used only by"
                        + " the Data API; neither supports automatic rotation here."),
                suppress("AwsSolutions-RDS14", "Backtrack is not available for Aurora PostgreSQL."),
                suppress("AwsSolutions-S1", "The access-log bucket cannot log to itself.")));
    }

    private static NagPackSuppression suppress(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }
}
