package dev.pricelake.cdk;

import dev.pricelake.catalog.FunctionCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * statemachines/backfill.asl.json, loaded unchanged, with the alias ARN of each function substituted for the
 * placeholder functions.json gives it and the lake bucket for {@code ${LakeBucket}} (the local runner substitutes the
 * same placeholders). Its distributed Map reads the batch list from staging/, writes each batch's outcome to
 * staging/map-results/, and runs every batch as a child execution of this state machine. The execution's time
 * limit is the file's own TimeoutSeconds: CDK's timeout property applies only to definitions it builds itself.
 * Logs go to /aws/vendedlogs/states/pricelake-backfill.
 */
final class Orchestration extends Construct {
    static final String NAME = "pricelake-backfill";
    static final String MAP_RESULTS = "staging/map-results/";
    final StateMachine backfill;

    Orchestration(Construct scope, String id, Path repository, Functions functions, LakeStorage storage) {
        super(scope, id);
        Map<String, String> substitutions = new LinkedHashMap<>();
        FunctionCatalog.byStatePlaceholder().forEach((placeholder, function) ->
                substitutions.put(placeholder, functions.alias(function.name()).getFunctionArn()));
        substitutions.put("LakeBucket", storage.lake.getBucketName());
        backfill = StateMachine.Builder.create(this, "Backfill")
                .stateMachineName(NAME)
                // Inline, not an S3 asset: the template itself then shows the file's exact content.
                .definitionBody(DefinitionBody.fromString(read(repository.resolve("statemachines/backfill.asl.json"))))
                .definitionSubstitutions(substitutions)
                .logs(LogOptions.builder()
                        .destination(LogGroup.Builder.create(this, "Logs").logGroupName("/aws/vendedlogs/states/" + NAME)
                                .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build())
                        .level(LogLevel.ALL)
                        .includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .build();
        FunctionCatalog.byStatePlaceholder().values().forEach(function -> functions.alias(function.name()).grantInvoke(backfill));
        storage.lake.grantRead(backfill, "staging/*");
        storage.lake.grantPut(backfill, MAP_RESULTS + "*");
        // By name, not by reference: a grant naming the machine itself would make its policy and the machine
        // depend on each other.
        IStateMachine self = StateMachine.fromStateMachineName(this, "Self", NAME);
        self.grantStartExecution(backfill);
        self.grantExecution(backfill, "states:DescribeExecution", "states:StopExecution");
    }

    static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
