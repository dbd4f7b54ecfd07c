package dev.pricelake.adapters.sql;

import dev.pricelake.core.actions.CorporateActionStore;
import dev.pricelake.core.actions.CorporateActionStoreContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The corporate actions through the Data API adapter, its statements run on PostgreSQL by the fake client. */
class DataApiCorporateActionsTest extends CorporateActionStoreContract {
    private static EmbeddedPostgres postgres;
    private static PostgresCorporateActions store;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Migrations.apply(postgres.getPostgresDatabase());
        store = new PostgresCorporateActions(new DataApiSql(new PostgresDataApiFake(postgres.getPostgresDatabase()),
                "arn:aws:rds:us-east-1:1:cluster:c", "arn:secret", "postgres"));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        JdbcCorporateActionsTest.empty(postgres.getPostgresDatabase());
    }

    @Override
    protected CorporateActionStore store() {
        return store;
    }
}
