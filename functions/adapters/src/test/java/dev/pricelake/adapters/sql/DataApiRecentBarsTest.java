package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The Data API adapter: its statements, typed parameters and transactions run on PostgreSQL through the fake client. */
class DataApiRecentBarsTest extends RecentBarsStoreContract {
    private PostgresDataApiFake client;

    @Override
    PostgresRecentBars store(DataSource dataSource) {
        client = new PostgresDataApiFake(dataSource);
        return new PostgresRecentBars(new DataApiSql(client, "arn:aws:rds:us-east-1:1:cluster:c", "arn:secret", "postgres"));
    }

    @Test
    void largeBatchesAreSplitUnderTheApisLimits() {
        PostgresRecentBars store = store(dataSource);
        var bars = bars("ABC", "2015-01-02", "2024-12-31");
        assertThat(bars.size()).isGreaterThan(DataApiSql.MAX_PARAMETER_SETS);
        store.write(bars, ALL_RECENT, Instant.parse("2026-01-05T11:00:00Z"));
        assertThat(store.counts().recent()).isEqualTo(bars.size());
        assertThat(client.largestBatch).isLessThanOrEqualTo(DataApiSql.MAX_PARAMETER_SETS);
    }

    @Test
    void placeholdersBecomeNamedParameters() {
        assertThat(DataApiSql.named("SELECT ?::regclass, ? FROM t WHERE a = ?")).isEqualTo("SELECT :p1::regclass, :p2 FROM t WHERE a = :p3");
    }
}
