package dev.pricelake.local.runner;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run SQL with DuckDB over the local lake's Parquet files and print the result as CSV with a header.",
                "Tables, as Athena names them in AWS: bronze (every symbol's daily bars), silver_3d, silver_5d, ...,"
                        + " silver_34d (k-session bars, with year and month from the partition folders).",
                "Several statements separated by ';' run in order; the last one's result is printed.",
                "Exit code: 0 done, 1 the query failed."})
public final class QueryCommand implements Callable<Integer> {
    static final Path DEFAULT_DATA_DIR = Path.of(".pricelake");

    @Parameters(index = "0", paramLabel = "SQL")
    String sql;

    @Option(names = "--data-dir", defaultValue = ".pricelake", description = "Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Spec
    CommandSpec spec;

    /** The command line that runs {@code sql} on the lake under {@code dataDir}: what the other commands print. */
    static String hint(Path dataDir, String sql) {
        boolean defaultDir = dataDir.toAbsolutePath().normalize().equals(DEFAULT_DATA_DIR.toAbsolutePath().normalize());
        return "./pricelake query \"" + sql + "\"" + (defaultDir ? "" : " --data-dir " + dataDir);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LocalDuckDb duck = LocalDuckDb.open(LocalPipeline.bucketDir(dataDir));
             Statement s = duck.connection().createStatement()) {
            try {
                if (s.execute(sql)) {
                    SqlCommand.printCsv(s.getResultSet(), out);
                } else {
                    out.println("done");
                }
            } catch (SQLException e) {
                err.println("query failed: " + e.getMessage().strip());
                err.println("tables: " + (duck.views().isEmpty() ? "none yet (the lake under " + dataDir
                        + " has no Parquet files; run a backfill first)" : String.join(", ", duck.views())));
                err.flush();
                return 1;
            }
        }
        out.flush();
        return 0;
    }
}
