package dev.pricelake.adapters.sql;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies db-migrations/ (packaged as classpath:db/migration) with Flyway; a second run changes nothing. */
public final class Migrations {
    private Migrations() {
    }

    /** Returns how many migrations this call applied. */
    public static int apply(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
