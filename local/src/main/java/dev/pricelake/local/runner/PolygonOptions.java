package dev.pricelake.local.runner;

import dev.pricelake.adapters.flatfiles.S3FlatFiles;
import dev.pricelake.adapters.lambda.FunctionEnvironment;
import dev.pricelake.adapters.polygon.PolygonConfig;
import dev.pricelake.core.InvalidInputException;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which Polygon a command talks to: the simulator, another URL, or the official API with POLYGON_API_KEY. */
public final class PolygonOptions {
    @Option(names = "--polygon-url", description = "A Polygon-compatible API (default: the local simulator, or the"
            + " official API when POLYGON_API_KEY is set).")
    URI polygonUrl;

    @Option(names = "--requests-per-minute", description = "Client throttle; 0 = no limit. Default: 5 against the"
            + " official API host (the free plan), no limit against any other.")
    Integer requestsPerMinute;

    @Option(names = "--flatfiles-url", description = "Massive's flat files (S3-compatible) for --source flatfiles."
            + " Default: the simulator's own URL, or https://files.massive.com with the real API; credentials from"
            + " POLYGON_FLATFILES_ACCESS_KEY_ID and POLYGON_FLATFILES_SECRET_ACCESS_KEY.")
    URI flatFilesUrl;

    LocalPipeline.Settings settings(Path dataDir, String databaseUrl) {
        String key = env("POLYGON_API_KEY");
        return new LocalPipeline.Settings(dataDir, polygonUrl, key, requestsPerMinute, databaseUrl)
                .withFlatFiles(new LocalPipeline.FlatFiles(flatFilesUrl, env(FunctionEnvironment.FLATFILES_ACCESS_KEY_ID),
                        env(FunctionEnvironment.FLATFILES_SECRET_ACCESS_KEY)));
    }

    /**
     * Before anything starts: Massive's own endpoint needs both credentials (a simulator takes its stand-in pair). The
     * official endpoint is where the files are read when --flatfiles-url names it, or follows the real API.
     */
    void requireFlatFilesCredentials() {
        boolean official = flatFilesUrl != null ? LocalPipeline.FlatFiles.isOfficial(flatFilesUrl)
                : polygonUrl == null ? env("POLYGON_API_KEY") != null : polygonUrl.getHost() != null
                        && polygonUrl.getHost().equals(PolygonConfig.OFFICIAL_API.getHost());
        boolean given = env(FunctionEnvironment.FLATFILES_ACCESS_KEY_ID) != null
                && env(FunctionEnvironment.FLATFILES_SECRET_ACCESS_KEY) != null;
        if (official && !given) {
            throw new InvalidInputException("--source", "flatfiles reads " + (flatFilesUrl != null ? flatFilesUrl
                    : S3FlatFiles.OFFICIAL_ENDPOINT) + ", which needs POLYGON_FLATFILES_ACCESS_KEY_ID and"
                    + " POLYGON_FLATFILES_SECRET_ACCESS_KEY (Massive's flat-files credentials, not the API key)");
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }
}
