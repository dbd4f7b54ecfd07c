package dev.pricelake.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.customresources.SdkCallsPolicyOptions;
import software.constructs.IConstruct;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.constructs.Construct;

/**
 * Aurora PostgreSQL Serverless v2 with the Data API, so the functions need no VPC; the cluster sits in
 * isolated subnets of a VPC of its own with no NAT gateway (nothing in it calls out).
 *
 * <p>Deletion protection is turned on by the stack's last step, not by the cluster's own property: were it on
 * from the start, a first deploy that failed half way could not delete the cluster while rolling back and would
 * end ROLLBACK_FAILED. Once on it stays on; deleting the stack then stops at the cluster until someone turns it
 * off ({@code aws rds modify-db-cluster --no-deletion-protection}), which is the point of it.
 */
final class Database extends Construct {
    static final String NAME = "pricelake";
    final DatabaseCluster cluster;
    CustomResource migrations;
    AwsCustomResource deletionProtection;

    Database(Construct scope, String id) {
        super(scope, id);
        Vpc vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder().name("database")
                        .subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                .build();
        vpc.addFlowLog("FlowLog", FlowLogOptions.builder().destination(FlowLogDestination.toCloudWatchLogs(
                LogGroup.Builder.create(this, "FlowLogs").retention(RetentionDays.ONE_MONTH).build())).build());
        cluster = DatabaseCluster.Builder.create(this, "Cluster")
                .engine(DatabaseClusterEngine.auroraPostgres(AuroraPostgresClusterEngineProps.builder()
                        .version(AuroraPostgresEngineVersion.VER_17_5).build()))
                .writer(ClusterInstance.serverlessV2("writer"))
                .serverlessV2MinCapacity(0.5)
                .serverlessV2MaxCapacity(4)
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .credentials(Credentials.fromGeneratedSecret("pricelake_admin"))
                .defaultDatabaseName(NAME)
                .enableDataApi(true)
                .storageEncrypted(true)
                .iamAuthentication(true)
                .deletionProtection(false)
                .backup(BackupProps.builder().retention(Duration.days(7)).build())
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build();
    }

    /**
     * Applies db-migrations/ on every deploy that changes them (the property below is their hash); the
     * function records what it applied, so a repeated deploy is a no-op.
     */
    void migrateOnDeploy(IFunction migrate, Path repository) {
        Provider provider = Provider.Builder.create(this, "MigrationsProvider").onEventHandler(migrate)
                .logGroup(LogGroup.Builder.create(this, "MigrationsProviderLogs").retention(RetentionDays.ONE_MONTH).build())
                .build();
        migrations = CustomResource.Builder.create(this, "Migrations")
                .serviceToken(provider.getServiceToken())
                .properties(Map.of("MigrationsHash", hash(repository.resolve("db-migrations"))))
                .build();
        migrations.getNode().addDependency(cluster);
    }

    /**
     * Turns deletion protection on after every other resource of the stack exists, so a deploy that fails before
     * then rolls back cleanly.
     */
    void protectFromDeletionLast(Stack stack) {
        AwsSdkCall protect = AwsSdkCall.builder()
                .service("RDS")
                .action("modifyDBCluster")
                .parameters(Map.of("DBClusterIdentifier", cluster.getClusterIdentifier(), "DeletionProtection", true,
                        "ApplyImmediately", true))
                .physicalResourceId(PhysicalResourceId.of("pricelake-database-deletion-protection"))
                // The whole cluster description would pass the 4 KB a custom resource may answer with.
                .outputPaths(List.of("DBCluster.DeletionProtection"))
                .build();
        deletionProtection = AwsCustomResource.Builder.create(this, "DeletionProtection")
                .onCreate(protect)
                .onUpdate(protect)
                .policy(AwsCustomResourcePolicy.fromSdkCalls(SdkCallsPolicyOptions.builder()
                        .resources(List.of(cluster.getClusterArn())).build()))
                .installLatestAwsSdk(false)
                .logGroup(LogGroup.Builder.create(this, "DeletionProtectionLogs").retention(RetentionDays.ONE_MONTH).build())
                .build();
        CfnResource last = (CfnResource) deletionProtection.getNode().findChild("Resource").getNode().getDefaultChild();
        for (IConstruct construct : stack.getNode().findAll()) {
            // A resource under a condition may not exist, and a DependsOn on it would fail the deploy.
            if (construct instanceof CfnResource resource && resource != last && resource.getCfnOptions().getCondition() == null
                    && !resource.getNode().getPath().startsWith(deletionProtection.getNode().getPath() + "/")) {
                last.getNode().addDependency(resource);
            }
        }
    }

    static String hash(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                digest.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
