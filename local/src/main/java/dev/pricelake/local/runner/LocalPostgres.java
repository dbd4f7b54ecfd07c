package dev.pricelake.local.runner;

import dev.pricelake.adapters.sql.Migrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The local PostgreSQL: embedded (binaries from Maven) with its data under {@code {data-dir}/postgres}, so
 * the database outlives one command, or an existing server given by {@code --database-url}. Either way the
 * migrations are applied first.
 */
public final class LocalPostgres implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final DataSource dataSource;

    private LocalPostgres(EmbeddedPostgres embedded, DataSource dataSource) {
        this.embedded = embedded;
        this.dataSource = dataSource;
    }

    public static LocalPostgres start(Path dataDir, String databaseUrl) {
        LocalPostgres postgres;
        if (databaseUrl != null) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(databaseUrl);
            ds.setReWriteBatchedInserts(true);
            postgres = new LocalPostgres(null, ds);
        } else {
            try {
                Path data = dataDir.resolve("postgres");
                Files.createDirectories(data.getParent());
                EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile(dataDir).toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile(dataDir).toFile()))
                        .start();
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setURL(pg.getJdbcUrl("postgres", "postgres"));
                ds.setReWriteBatchedInserts(true);
                postgres = new LocalPostgres(pg, ds);
            } catch (IOException e) {
                throw new UncheckedIOException("starting the embedded PostgreSQL under " + dataDir.resolve("postgres"), e);
            }
        }
        Migrations.apply(postgres.dataSource);
        return postgres;
    }

    private static Path logFile(Path dataDir) throws IOException {
        Path logs = dataDir.resolve("logs");
        Files.createDirectories(logs);
        return logs.resolve("postgres.log");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
