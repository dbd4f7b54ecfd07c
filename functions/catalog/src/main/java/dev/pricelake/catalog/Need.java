package dev.pricelake.catalog;

import java.util.List;

/**
 * What a function is granted beyond running; each becomes one grant* call in CDK and the environment variables
 * below, which the function reads (FunctionEnvironment) and the local runner sets the same way.
 */
public enum Need {
    PROGRESS("PROGRESS_TABLE"),
    LAKE_READ("LAKE_BUCKET"),
    LAKE_WRITE("LAKE_BUCKET"),
    /** The key's secret and the deployment's default rate; the rate limit itself lives in the progress table. */
    POLYGON("POLYGON_SECRET_ARN", "POLYGON_REQUESTS_PER_MINUTE"),
    /** Massive's flat files: their endpoint and the secret with their own S3 credentials. */
    FLAT_FILES("FLATFILES_SECRET_ARN", "FLATFILES_URL"),
    DATABASE("DB_CLUSTER_ARN", "DB_SECRET_ARN", "DB_NAME");

    private final List<String> environment;

    Need(String... environment) {
        this.environment = List.of(environment);
    }

    /** The environment variables that come with the grant. */
    public List<String> environment() {
        return environment;
    }
}
