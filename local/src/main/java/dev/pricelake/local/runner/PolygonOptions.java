package dev.pricelake.local.runner;

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

    LocalPipeline.Settings settings(Path dataDir, String databaseUrl) {
        String key = System.getenv("POLYGON_API_KEY");
        return new LocalPipeline.Settings(dataDir, polygonUrl, key == null || key.isBlank() ? null : key, requestsPerMinute,
                databaseUrl);
    }
}
