package dev.pricelake.cdk;

import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The Polygon API key. CloudFormation cannot create a secret without a value, so it starts as
 * {"api_key": ""} (no key in the template) and the functions refuse to run until it is set:
 * {@code aws secretsmanager put-secret-value --secret-id ... --secret-string '{"api_key":"..."}'}.
 */
final class PolygonKey extends Construct {
    final Secret secret;

    PolygonKey(Construct scope, String id) {
        super(scope, id);
        secret = Secret.Builder.create(this, "Secret")
                .description("Polygon (Massive) API key for pricelake: set api_key after deploying")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"api_key\":\"\"}")
                        .generateStringKey("unused")
                        .excludePunctuation(true)
                        .build())
                .build();
    }
}
