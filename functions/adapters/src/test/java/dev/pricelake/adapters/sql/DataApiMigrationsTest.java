package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deploy-time migrations through the Data API adapter, on PostgreSQL, via the fake client. */
class DataApiMigrationsTest {
    @Test
    void splitsAtSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        assertThat(DataApiMigrations.statements("""
                -- a comment; with a semicolon
                CREATE TABLE a (x text DEFAULT 'a;b');
                /* block; comment */
                DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;
                SELECT 'it''s; fine'
                """)).containsExactly("CREATE TABLE a (x text DEFAULT 'a;b')", "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$",
                "SELECT 'it''s; fine'");
    }

    @Test
    void appliesTheBundledMigrationsOnceAndRecordsThem() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Sql dataApi = new DataApiSql(new PostgresDataApiFake(postgres.getPostgresDatabase()), "arn:cluster", "arn:secret",
                    "postgres");
            assertThat(DataApiMigrations.apply(dataApi)).as("every file in db-migrations, in order")
                    .containsExactlyElementsOf(DataApiMigrations.bundled().stream().map(DataApiMigrations.Migration::version).toList())
                    .startsWith(1).contains(2, 3);
            assertThat(DataApiMigrations.apply(dataApi)).as("a repeated deploy applies nothing").isEmpty();
            List<List<Object>> partitions = dataApi.query("SELECT count(*) FROM pg_inherits WHERE inhparent = 'raw_ohlcv'::regclass",
                    List.of());
            assertThat(partitions.getFirst().getFirst()).isEqualTo(79L);
            assertThat(dataApi.query("SELECT count(*) FROM article_tickers", List.of()).getFirst().getFirst()).isEqualTo(0L);
            assertThat(dataApi.query("SELECT count(*) FROM symbols", List.of()).getFirst().getFirst()).isEqualTo(0L);
            assertThat(dataApi.query("SELECT count(*) FROM cache_entries", List.of()).getFirst().getFirst()).isEqualTo(0L);
        }
    }
}
