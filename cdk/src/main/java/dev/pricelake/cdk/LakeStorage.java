package dev.pricelake.cdk;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The lake bucket (bronze, silver, staging, quarantine, checkpoints) and its access-log bucket. Both outlive the
 * stack (deleting it keeps the data) except when the stack's first deploy fails: then they are new and empty, and
 * the rollback removes them (DeletionPolicy RetainExceptOnCreate).
 */
final class LakeStorage extends Construct {
    final Bucket lake;
    final Bucket accessLogs;

    LakeStorage(Construct scope, String id, int stagingExpiryDays) {
        super(scope, id);
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build();
        lake = Bucket.Builder.create(this, "Lake")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("lake/")
                .lifecycleRules(List.of(
                        expire("staging/", stagingExpiryDays),
                        expire("quarantine/", stagingExpiryDays),
                        // Versioning keeps overwritten bronze and silver files; a month is enough to undo a bad run.
                        LifecycleRule.builder().noncurrentVersionExpiration(Duration.days(30)).build()))
                .removalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE)
                .build();
    }

    private static LifecycleRule expire(String prefix, int days) {
        return LifecycleRule.builder().prefix(prefix).expiration(Duration.days(days))
                .noncurrentVersionExpiration(Duration.days(1)).build();
    }
}
