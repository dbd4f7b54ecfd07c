package dev.pricelake.adapters.sql;

import javax.sql.DataSource;

class JdbcRecentBarsTest extends RecentBarsStoreContract {
    @Override
    PostgresRecentBars store(DataSource dataSource) {
        return new PostgresRecentBars(new JdbcSql(dataSource));
    }
}
