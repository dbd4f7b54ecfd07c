package dev.pricelake.cdk;

import dev.pricelake.catalog.FunctionCatalog;
import dev.pricelake.catalog.FunctionSpec;
import dev.pricelake.catalog.Need;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Lambda per entry of functions/functions.json (the list the local runner runs too), from the shaded jar of
 * its module: java21 on arm64, SnapStart on a published version behind the alias "live", active tracing, logs in
 * /aws/lambda/pricelake-{name} kept 30 days, and only the grants it uses, each with its environment.
 */
final class Functions extends Construct {
    final Map<String, Function> functions = new LinkedHashMap<>();
    final Map<String, Alias> aliases = new LinkedHashMap<>();

    Functions(Construct scope, String id, Path repository, LakeStorage storage, ProgressTable progress, Database database,
            PolygonKey polygonKey) {
        super(scope, id);
        for (FunctionSpec d : FunctionCatalog.all()) {
            // Named as Lambda would name it, so people find it; removed with the stack, so a failed first deploy
            // rolls back cleanly and a new stack can take the name again.
            LogGroup logs = LogGroup.Builder.create(this, d.name() + "-logs").logGroupName("/aws/lambda/" + d.functionName())
                    .retention(RetentionDays.ONE_MONTH).removalPolicy(RemovalPolicy.DESTROY).build();
            Function fn = Function.Builder.create(this, d.name())
                    .functionName(d.functionName())
                    .runtime(Runtime.JAVA_21)
                    .architecture(Architecture.ARM_64)
                    .code(Code.fromAsset(jar(repository, d.module()).toString()))
                    .handler(d.handler())
                    .memorySize(d.memoryMb())
                    .timeout(Duration.seconds(d.timeoutSeconds()))
                    .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                    .tracing(Tracing.ACTIVE)
                    .logGroup(logs)
                    .build();
            for (Need need : d.needs()) {
                grant(fn, need, storage, progress, database, polygonKey);
            }
            functions.put(d.name(), fn);
            aliases.put(d.name(), Alias.Builder.create(this, d.name() + "-live").aliasName("live")
                    .version(fn.getCurrentVersion()).build());
        }
    }

    private static void grant(Function fn, Need need, LakeStorage storage, ProgressTable progress, Database database,
            PolygonKey polygonKey) {
        IGrantable grantee = fn;
        switch (need) {
            case PROGRESS -> {
                progress.table.grantReadWriteData(grantee);
                fn.addEnvironment("PROGRESS_TABLE", progress.table.getTableName());
            }
            case LAKE_READ -> {
                storage.lake.grantRead(grantee);
                fn.addEnvironment("LAKE_BUCKET", storage.lake.getBucketName());
            }
            case LAKE_WRITE -> {
                storage.lake.grantWrite(grantee);
                storage.lake.grantDelete(grantee);
                fn.addEnvironment("LAKE_BUCKET", storage.lake.getBucketName());
            }
            case POLYGON -> {
                polygonKey.secret.grantRead(grantee);
                fn.addEnvironment("POLYGON_SECRET_ARN", polygonKey.secret.getSecretArn());
                fn.addEnvironment("POLYGON_REQUESTS_PER_MINUTE", polygonKey.requestsPerMinute);
            }
            case FLAT_FILES -> {
                polygonKey.flatFilesSecret.grantRead(grantee);
                fn.addEnvironment("FLATFILES_SECRET_ARN", polygonKey.flatFilesSecret.getSecretArn());
                fn.addEnvironment("FLATFILES_URL", PolygonKey.FLAT_FILES_ENDPOINT);
            }
            case DATABASE -> {
                database.cluster.grantDataApiAccess(grantee);
                fn.addEnvironment("DB_CLUSTER_ARN", database.cluster.getClusterArn());
                fn.addEnvironment("DB_SECRET_ARN", database.cluster.getSecret().getSecretArn());
                fn.addEnvironment("DB_NAME", Database.NAME);
            }
        }
    }

    /** functions/{module}/target/pricelake-{module}-VERSION-lambda.jar, built by ./pricelake test or mvn package. */
    static Path jar(Path repository, String module) {
        Path jar = FunctionSpec.jar(repository, module);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the functions first (mvn -f .. package -DskipTests)");
        }
        return jar;
    }

    Alias alias(String name) {
        return aliases.get(name);
    }
}
