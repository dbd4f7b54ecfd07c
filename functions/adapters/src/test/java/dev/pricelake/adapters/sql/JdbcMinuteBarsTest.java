package dev.pricelake.adapters.sql;

import dev.pricelake.core.recent.MinuteBarsStore;
import javax.sql.DataSource;

/** ohlcv_minute over JDBC: COPY into a temporary table and one upsert. */
class JdbcMinuteBarsTest extends MinuteBarsStoreContract {
    @Override
    MinuteBarsStore store(DataSource dataSource) {
        return new PostgresMinuteBars(new JdbcSql(dataSource));
    }
}
