package dev.pricelake.cdk;

import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The Polygon API key and the plan's rate. CloudFormation cannot create a secret without a value, so it starts
 * as {"api_key": ""} (no key in the template) and the functions refuse to call Polygon until it is set:
 * {@code aws secretsmanager put-secret-value --secret-id ... --secret-string '{"api_key":"..."}'}. They read
 * it at their first call, so setting it needs no redeploy.
 */
final class PolygonKey extends Construct {
    static final int FREE_PLAN_REQUESTS_PER_MINUTE = 5;
    static final String FLAT_FILES_ENDPOINT = "https://files.massive.com";
    final Secret secret;
    /** Massive's flat files have S3 credentials of their own: a second secret, set the same way. */
    final Secret flatFilesSecret;
    /** Requests a minute for the whole account (every container together); a run can ask for its own. */
    final String requestsPerMinute;

    PolygonKey(Construct scope, String id, String requestsPerMinute) {
        super(scope, id);
        this.requestsPerMinute = requestsPerMinute;
        secret = Secret.Builder.create(this, "Secret")
                .description("Polygon (Massive) API key for pricelake: set api_key after deploying")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"api_key\":\"\"}")
                        .generateStringKey("unused")
                        .excludePunctuation(true)
                        .build())
                .build();
        flatFilesSecret = Secret.Builder.create(this, "FlatFilesSecret")
                .description("Massive flat-files S3 credentials for pricelake (--source flatfiles): set access_key_id and"
                        + " secret_access_key after deploying")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"access_key_id\":\"\",\"secret_access_key\":\"\"}")
                        .generateStringKey("unused")
                        .excludePunctuation(true)
                        .build())
                .build();
    }
}
