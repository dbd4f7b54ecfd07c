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
 * the database outlives one command, or an existing server given by {@code --database-url}. The migrations are
 * applied first, except for a query on a server the user pointed at.
 */
public final class LocalPostgres implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    private final String url;
    private final DataSource dataSource;

    private LocalPostgres(EmbeddedPostgres embedded, String url) {
        this.embedded = embedded;
        this.url = url;
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setReWriteBatchedInserts(true);
        this.dataSource = ds;
    }

    public static LocalPostgres start(Path dataDir, String databaseUrl) {
        return start(dataDir, databaseUrl, true);
    }

    public static LocalPostgres start(Path dataDir, String databaseUrl, boolean migrate) {
        LocalPostgres postgres;
        if (databaseUrl != null) {
            postgres = new LocalPostgres(null, databaseUrl);
        } else {
            try {
                Path data = dataDir.resolve("postgres");
                Files.createDirectories(data.getParent());
                stopOrphan(dataDir, data);
                EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                        // The embedded server starts with fsync off (its -F) unless told: a crash of the machine could then
                        // corrupt the lake's database, not only lose its last commits (README, PostgreSQL).
                        .setServerConfig("fsync", "on")
                        // Text compared by code point (PostgreSQL 17's builtin C.UTF-8), not by the C library's locale
                        // that initdb would take from the environment: the same order on every machine and in DuckDB, and
                        // the primary key's comparisons on a bulk load no longer call strcoll (README, PostgreSQL).
                        .setLocaleConfig("locale-provider", "builtin")
                        .setLocaleConfig("builtin-locale", "C.UTF-8")
                        // A bulk load makes WAL faster than the default 4 MB of WAL buffers hold, so the loading backend
                        // waited on its own WAL writes; with room and a WAL writer that wakes every 10 ms, the writer does
                        // them on the other core (a million new bars: the wait went, the gain is within this machine's
                        // noise; README, PostgreSQL). The WAL buffers are
                        // zeroed when the server starts. The shared buffers stay at 128 MB: 512 MB did not speed the
                        // load and slowed retention after a large fill (more dirty pages for the checkpoint).
                        .setServerConfig("wal_buffers", "32MB")
                        .setServerConfig("wal_writer_delay", "10ms")
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile(dataDir).toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile(dataDir).toFile()))
                        .start();
                postgres = new LocalPostgres(pg, pg.getJdbcUrl("postgres", "postgres"));
            } catch (IOException e) {
                throw new UncheckedIOException("starting the embedded PostgreSQL under " + dataDir.resolve("postgres"), e);
            }
        }
        if (migrate) {
            Migrations.apply(postgres.dataSource);
        }
        return postgres;
    }

    /**
     * The server of a runner that was killed (SIGKILL runs no shutdown hook) keeps the data directory:
     * stop it, unless the runner that started it is still alive, which is a real concurrent use.
     */
    private static void stopOrphan(Path dataDir, Path data) throws IOException {
        Path owner = dataDir.resolve("postgres.owner");
        Path pidFile = data.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            java.util.Optional<ProcessHandle> server = Files.readAllLines(pidFile).stream().findFirst()
                    .flatMap(line -> ProcessHandle.of(Long.parseLong(line.strip()))).filter(ProcessHandle::isAlive);
            if (server.isPresent()) {
                java.util.Optional<ProcessHandle> runner = Files.exists(owner)
                        ? ProcessHandle.of(Long.parseLong(Files.readString(owner).strip())) : java.util.Optional.empty();
                if (runner.isPresent() && runner.get().isAlive() && runner.get().pid() != ProcessHandle.current().pid()) {
                    throw new IllegalStateException("the local PostgreSQL under " + data + " is in use by pricelake process "
                            + runner.get().pid() + "; wait for it to finish or use another --data-dir");
                }
                // SIGTERM: a smart shutdown, quick since the dead runner's connections are gone.
                server.get().destroy();
                try {
                    server.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    server.get().destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while stopping an orphaned PostgreSQL", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException(e);
                }
            }
        }
        Files.writeString(owner, Long.toString(ProcessHandle.current().pid()));
    }

    private static Path logFile(Path dataDir) throws IOException {
        Path logs = dataDir.resolve("logs");
        Files.createDirectories(logs);
        return logs.resolve("postgres.log");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The server's JDBC URL, with the user it connects as: what the functions' containers connect to. */
    public String jdbcUrl() {
        return url;
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
