package dev.pricelake.adapters.lambda;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pricelake.adapters.dynamodb.DynamoDbProgressStore;
import dev.pricelake.adapters.dynamodb.DynamoDbRequestLimit;
import dev.pricelake.adapters.flatfiles.S3FlatFiles;
import dev.pricelake.adapters.flatfiles.SecretsManagerFlatFilesCredentials;
import dev.pricelake.adapters.polygon.ApiKey;
import dev.pricelake.adapters.polygon.PolygonClient;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.adapters.polygon.RequestThrottle;
import dev.pricelake.adapters.polygon.SecretsManagerApiKey;
import dev.pricelake.adapters.s3.S3ObjectStore;
import dev.pricelake.adapters.sql.DataApiSql;
import dev.pricelake.adapters.sql.JdbcSql;
import dev.pricelake.adapters.sql.PostgresCorporateActions;
import dev.pricelake.adapters.sql.PostgresRecentBars;
import dev.pricelake.adapters.sql.Sql;
import dev.pricelake.core.FlatFileSource;
import dev.pricelake.core.ObjectStore;
import dev.pricelake.core.progress.ProgressStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * What a function reads from its Lambda environment, and the clients built from it in the init phase:
 * LAKE_BUCKET, PROGRESS_TABLE, POLYGON_SECRET_ARN (or POLYGON_API_KEY), POLYGON_BASE_URL,
 * POLYGON_REQUESTS_PER_MINUTE, DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME, FLATFILES_URL and FLATFILES_SECRET_ARN; functions with settings of their own read
 * them with {@link #optional}. Building a client calls nothing, and the Polygon key is read at the first request:
 * with SnapStart the init runs when a version is published, long before anyone has set the key, and whatever
 * init holds is frozen into the snapshot. Each client is built once per environment (one DynamoDB client serves
 * the progress store and the rate limit). The SDK's own endpoint settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3,
 * ...) are honoured, so the local runner points the same functions at its stand-ins; there DB_JDBC_URL
 * stands in for the Data API, and POLYGON_SOURCE says which simulator the functions call.
 */
public final class FunctionEnvironment {
    public static final String S3_ENDPOINT = "AWS_ENDPOINT_URL_S3";
    public static final String DYNAMODB_ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String JDBC_URL = "DB_JDBC_URL";
    public static final String POLYGON_SOURCE = "POLYGON_SOURCE";
    public static final String FLATFILES_URL = "FLATFILES_URL";
    public static final String FLATFILES_ACCESS_KEY_ID = "POLYGON_FLATFILES_ACCESS_KEY_ID";
    public static final String FLATFILES_SECRET_ACCESS_KEY = "POLYGON_FLATFILES_SECRET_ACCESS_KEY";
    private final Map<String, String> env;
    private DynamoDbClient dynamo;
    private S3Client s3;
    private Sql database;

    public FunctionEnvironment(Map<String, String> env) {
        this.env = Map.copyOf(env);
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
        return new S3ObjectStore(s3(), require("LAKE_BUCKET"));
    }

    public ProgressStore progress() {
        return new DynamoDbProgressStore(dynamo(), require("PROGRESS_TABLE"));
    }

    public boolean hasDatabase() {
        return isSet("DB_CLUSTER_ARN") || isSet(JDBC_URL);
    }

    /**
     * PostgreSQL through the RDS Data API (DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME, default pricelake), or over
     * JDBC when DB_JDBC_URL names a server (the local runner).
     */
    public Sql database() {
        if (database == null) {
            database = isSet(JDBC_URL) ? jdbc(require(JDBC_URL))
                    : new DataApiSql(DataApiSql.defaultClient(endpoint("RDS_DATA")), require("DB_CLUSTER_ARN"),
                            require("DB_SECRET_ARN"), env.getOrDefault("DB_NAME", "pricelake"));
        }
        return database;
    }

    public PostgresRecentBars recentBars() {
        return new PostgresRecentBars(database());
    }

    /** An optional setting, or null when it is unset or blank. */
    public String optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static Sql jdbc(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setReWriteBatchedInserts(true);
        return new JdbcSql(dataSource);
    }

    private boolean isSet(String name) {
        return optional(name) != null;
    }

    public PostgresCorporateActions corporateActions() {
        return new PostgresCorporateActions(database());
    }

    /**
     * Where prices come from, as a run records it: {@code {"url": "https://api.polygon.io"}}, or what POLYGON_SOURCE
     * says when it is set (the local runner: its simulator's seed, which a resume starts again, not the port it had).
     */
    public JsonNode polygonSource() {
        String given = optional(POLYGON_SOURCE);
        if (given != null) {
            try {
                return JsonHandler.JSON.readTree(given);
            } catch (IOException e) {
                throw new IllegalStateException("environment variable " + POLYGON_SOURCE + " is not JSON: " + given, e);
            }
        }
        ObjectNode source = JsonHandler.JSON.createObjectNode();
        source.put("url", env.getOrDefault("POLYGON_BASE_URL", PolygonConfig.OFFICIAL_API.toString()));
        return source;
    }

    /**
     * Polygon at POLYGON_REQUESTS_PER_MINUTE (the deployment's default; a run can ask for its own rate), with
     * the limit kept in the progress table so every container of every function shares it. The key comes from
     * POLYGON_API_KEY, else from the secret POLYGON_SECRET_ARN names, read when the first request needs it.
     */
    public PolygonClient polygon() {
        URI base = URI.create(env.getOrDefault("POLYGON_BASE_URL", PolygonConfig.OFFICIAL_API.toString()));
        String direct = env.get("POLYGON_API_KEY");
        ApiKey key = direct != null && !direct.isBlank() ? ApiKey.fixed(direct)
                : SecretsManagerApiKey.of(secrets(), require("POLYGON_SECRET_ARN"), Clock.systemUTC());
        RequestThrottle throttle = new RequestThrottle(new DynamoDbRequestLimit(dynamo(), require("PROGRESS_TABLE")),
                (wait, perMinute) -> LambdaRuntime.getLogger().log("waiting " + Math.round(wait.toMillis() / 1000.0)
                        + " s for the Polygon rate limit (" + perMinute + " requests a minute, shared by every container)\n"));
        return PolygonClient.create(PolygonConfig.of(base, key, requestsPerMinute()), throttle);
    }

    /**
     * Massive's flat files at FLATFILES_URL (default the official endpoint), with the credentials in
     * POLYGON_FLATFILES_ACCESS_KEY_ID and POLYGON_FLATFILES_SECRET_ACCESS_KEY, else in the secret FLATFILES_SECRET_ARN
     * names, read when the first file is fetched.
     */
    public FlatFileSource flatFiles() {
        URI url = URI.create(env.getOrDefault(FLATFILES_URL, S3FlatFiles.OFFICIAL_ENDPOINT.toString()));
        String keyId = optional(FLATFILES_ACCESS_KEY_ID);
        String secret = optional(FLATFILES_SECRET_ACCESS_KEY);
        AwsCredentialsProvider credentials = keyId != null && secret != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret))
                : new SecretsManagerFlatFilesCredentials(secrets(), require("FLATFILES_SECRET_ARN"), Clock.systemUTC());
        return new S3FlatFiles(S3FlatFiles.client(url, credentials), url);
    }

    private Integer requestsPerMinute() {
        String rate = env.get("POLYGON_REQUESTS_PER_MINUTE");
        if (rate == null || rate.isBlank()) {
            return null;
        }
        try {
            int perMinute = Integer.parseInt(rate.strip());
            if (perMinute >= 0) {
                return perMinute;
            }
        } catch (NumberFormatException notANumber) {
            // Named below with the variable.
        }
        throw new IllegalStateException("environment variable POLYGON_REQUESTS_PER_MINUTE is '" + rate
                + "', not a whole number of requests a minute (0 for no limit)");
    }

    private DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = DynamoDbProgressStore.defaultClient(endpoint("DYNAMODB"));
        }
        return dynamo;
    }

    private SecretsManagerClient secrets() {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint("SECRETS_MANAGER").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private S3Client s3() {
        if (s3 == null) {
            s3 = endpoint("S3").map(S3ObjectStore::endpointClient).orElseGet(S3ObjectStore::defaultClient);
        }
        return s3;
    }

    /**
     * AWS_ENDPOINT_URL_{SERVICE}, else AWS_ENDPOINT_URL, as the SDK reads them; applied here too, so an
     * environment passed in (not the process's own) points the clients the same way.
     */
    private Optional<URI> endpoint(String service) {
        return Optional.ofNullable(env.get("AWS_ENDPOINT_URL_" + service)).or(() -> Optional.ofNullable(env.get("AWS_ENDPOINT_URL")))
                .filter(url -> !url.isBlank()).map(URI::create);
    }
}
