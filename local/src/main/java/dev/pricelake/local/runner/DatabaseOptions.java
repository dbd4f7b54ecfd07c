package dev.pricelake.local.runner;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the local PostgreSQL is: the commands that use only the database take these. */
public final class DatabaseOptions {
    @Option(names = "--data-dir", defaultValue = StackOptions.DEFAULT_DATA_DIR, description = "Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--database-url", description = "An existing PostgreSQL (jdbc:postgresql://...) instead of the"
            + " embedded one under {data-dir}/postgres.")
    String databaseUrl;

    LocalPostgres start() {
        return start(true);
    }

    /** @param migrate whether to apply db-migrations/ first (never for a query on someone's --database-url) */
    LocalPostgres start(boolean migrate) {
        if (databaseUrl == null) {
            OptionNames.dataDir(dataDir);
        }
        return LocalPostgres.start(dataDir, databaseUrl, migrate);
    }
}
