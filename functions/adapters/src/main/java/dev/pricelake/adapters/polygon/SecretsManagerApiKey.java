package dev.pricelake.adapters.polygon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.NotAuthorizedException;
import dev.pricelake.core.TransientUpstreamException;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The key in Secrets Manager, as a plain string or JSON {@code {"api_key": "..."}} (what the stack creates).
 * Read at the first request and kept five minutes: the stack deploys the secret empty, the functions are
 * published (and with SnapStart, snapshotted) before anyone sets it, so it must never be read at init.
 */
public final class SecretsManagerApiKey {
    static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretsManagerApiKey() {
    }

    public static ApiKey of(SecretsManagerClient secrets, String secretArn, Clock clock) {
        return ApiKey.cached(() -> parse(secretArn, read(secrets, secretArn)), TIME_TO_LIVE, clock);
    }

    /** The secret's value; a denied or missing secret is {@link NotAuthorizedException}, the rest transient. */
    public static String read(SecretsManagerClient secrets, String arn) {
        try {
            return secrets.getSecretValue(b -> b.secretId(arn)).secretString();
        } catch (SdkServiceException e) {
            // Denied or missing: a person must fix the grant or the ARN, and no retry will.
            if (e.statusCode() >= 400 && e.statusCode() < 500 && !e.isThrottlingException()) {
                throw new NotAuthorizedException(NotAuthorizedException.Reason.NO_KEY,
                        "the Polygon secret " + arn + " cannot be read: " + e.getMessage());
            }
            throw new TransientUpstreamException("reading the Polygon secret " + arn + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new TransientUpstreamException("reading the Polygon secret " + arn + " failed: " + e.getMessage(), e);
        }
    }

    /** The key in the secret's value; a missing one is named with the command that sets it. */
    static String parse(String arn, String secret) {
        String key = secret == null ? "" : secret.strip();
        if (key.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(key);
                key = node.path("api_key").asText("").strip();
            } catch (JsonProcessingException e) {
                throw new NotAuthorizedException(NotAuthorizedException.Reason.NO_KEY,
                        "the Polygon secret " + arn + " is neither a key nor JSON with an api_key");
            }
        }
        if (key.isEmpty()) {
            throw new NotAuthorizedException(NotAuthorizedException.Reason.NO_KEY, "the Polygon secret " + arn
                    + " has no api_key yet; set it with aws secretsmanager put-secret-value --secret-id " + arn
                    + " --secret-string '{\"api_key\":\"...\"}'");
        }
        return key;
    }
}
