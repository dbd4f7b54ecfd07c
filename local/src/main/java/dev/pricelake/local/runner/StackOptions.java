package dev.pricelake.local.runner;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the local stack keeps its data and which services it uses: every command that starts the whole stack. */
public final class StackOptions {
    static final String DEFAULT_DATA_DIR = ".pricelake";

    @Option(names = "--data-dir", defaultValue = DEFAULT_DATA_DIR,
            description = "Where the lake, the progress table, the executions and the logs live. Default: ${DEFAULT-VALUE}")
    public Path dataDir;

    @Mixin
    PolygonOptions polygon;

    @Option(names = "--database-url", description = "An existing PostgreSQL (jdbc:postgresql://...) instead of the"
            + " embedded one under {data-dir}/postgres.")
    String databaseUrl;

    @Option(names = "--fast-retries", description = "Wait 0.2 s before every retry instead of the state machine's"
            + " backoff (for tests).")
    public boolean fastRetries;

    public LocalPipeline.Settings settings() {
        return polygon.settings(dataDir, databaseUrl);
    }
}
