package dev.pricelake.adapters.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.s3.S3ObjectStore;
import dev.pricelake.adapters.sql.DataApiSql;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.progress.ProgressStore;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What a function reads from its Lambda environment, and the clients built from it once per container:
 * LAKE_BUCKET, PROGRESS_TABLE, POLYGON_SECRET_ARN (or POLYGON_API_KEY), POLYGON_BASE_URL,
 * POLYGON_REQUESTS_PER_MINUTE, DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME; functions with settings of their own read
 * them with {@link #optional}.
 */
public final class FunctionEnvironment {
    private final Map<String, String> env;

    public FunctionEnvironment(Map<String, String> env) {
        this.env = env;
    }

    public static FunctionEnvironment system() {
        return new FunctionEnvironment(System.getenv());
    }

    public String require(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    public ObjectStore lake() {
        return new S3ObjectStore(S3ObjectStore.defaultClient(), require("LAKE_BUCKET"));
    }

    public ProgressStore progress() {
        return new DynamoDbProgressStore(DynamoDbProgressStore.defaultClient(), require("PROGRESS_TABLE"));
    }

    public boolean hasDatabase() {
        String arn = env.get("DB_CLUSTER_ARN");
        return arn != null && !arn.isBlank();
    }

    /** PostgreSQL through the RDS Data API: DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME (default pricelake). */
    public Sql database() {
        return new DataApiSql(DataApiSql.defaultClient(), require("DB_CLUSTER_ARN"), require("DB_SECRET_ARN"),
                env.getOrDefault("DB_NAME", "pricelake"));
    }

    public PostgresRecentBars recentBars() {
        return new PostgresRecentBars(database());
    }

    /** An optional setting, or null when it is unset or blank. */
    public String optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    public PolygonClient polygon() {
        URI base = URI.create(env.getOrDefault("POLYGON_BASE_URL", PolygonConfig.OFFICIAL_API.toString()));
        String rate = env.get("POLYGON_REQUESTS_PER_MINUTE");
        return PolygonClient.create(PolygonConfig.of(base, polygonKey(), rate == null ? null : Integer.valueOf(rate)));
    }

    /** The key from Secrets Manager (a plain string, or JSON with an "api_key" field); POLYGON_API_KEY wins. */
    private String polygonKey() {
        String direct = env.get("POLYGON_API_KEY");
        if (direct != null && !direct.isBlank()) {
            return direct;
        }
        String arn = require("POLYGON_SECRET_ARN");
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String secret = secrets.getSecretValue(b -> b.secretId(arn)).secretString();
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("the Polygon secret " + arn + " has no value yet; set it as the README says");
            }
            if (secret.strip().startsWith("{")) {
                JsonNode node = JsonHandler.JSON.readTree(secret);
                if (!node.hasNonNull("api_key") || node.get("api_key").asText().isBlank()) {
                    throw new IllegalStateException("the Polygon secret " + arn + " has no api_key yet; set it with"
                            + " aws secretsmanager put-secret-value --secret-id " + arn + " --secret-string '{\"api_key\":\"...\"}'");
                }
                return node.get("api_key").asText();
            }
            return secret.strip();
        } catch (IOException e) {
            throw new IllegalStateException("the Polygon secret " + arn + " is not readable JSON", e);
        }
    }
}
