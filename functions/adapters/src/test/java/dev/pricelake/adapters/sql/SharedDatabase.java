package dev.pricelake.adapters.sql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL with the real migrations for the reference-data tests of this JVM (started once, it
 * stops with the JVM); each test empties the tables it uses.
 */
final class SharedDatabase {
    private static DataSource dataSource;

    private SharedDatabase() {
    }

    static synchronized DataSource dataSource() {
        if (dataSource == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // The JVM is ending; its temporary data directory goes with it.
                    }
                }));
                dataSource = postgres.getPostgresDatabase();
                Migrations.apply(dataSource);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataSource;
    }

    static void empty(String... tables) {
        new JdbcSql(dataSource()).update("TRUNCATE " + String.join(", ", List.of(tables)), List.of());
    }
}
