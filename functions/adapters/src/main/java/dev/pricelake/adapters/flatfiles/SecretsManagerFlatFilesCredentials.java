package dev.pricelake.adapters.flatfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.adapters.polygon.ApiKey;
import dev.pricelake.adapters.polygon.SecretsManagerApiKey;
import dev.pricelake.core.NotAuthorizedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The flat files' S3 credentials from their own secret, JSON {@code {"access_key_id": "...", "secret_access_key": "..."}}
 * (what the stack creates, empty): read when the first file is fetched, never at init (SnapStart would freeze it),
 * and kept five minutes like the API key, so a rotation reaches warm containers.
 */
public final class SecretsManagerFlatFilesCredentials implements AwsCredentialsProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiKey secret;
    private final String arn;

    public SecretsManagerFlatFilesCredentials(SecretsManagerClient secrets, String arn, Clock clock) {
        this.secret = ApiKey.cached(() -> SecretsManagerApiKey.read(secrets, arn), Duration.ofMinutes(5), clock);
        this.arn = arn;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        return parse(arn, secret.current());
    }

    static AwsCredentials parse(String arn, String value) {
        String keyId = "";
        String secretKey = "";
        try {
            JsonNode node = JSON.readTree(value == null ? "" : value);
            if (node != null) {
                keyId = node.path("access_key_id").asText("").strip();
                secretKey = node.path("secret_access_key").asText("").strip();
            }
        } catch (IOException notJson) {
            // Named below as a secret without the two fields.
        }
        if (keyId.isEmpty() || secretKey.isEmpty()) {
            throw new NotAuthorizedException(NotAuthorizedException.Reason.NO_KEY, "the flat-files secret " + arn
                    + " has no access_key_id and secret_access_key yet; set them with aws secretsmanager put-secret-value"
                    + " --secret-id " + arn + " --secret-string '{\"access_key_id\":\"...\",\"secret_access_key\":\"...\"}'");
        }
        return AwsBasicCredentials.create(keyId, secretKey);
    }
}
