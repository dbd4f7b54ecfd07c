package dev.pricelake.adapters.sql;

import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.MinuteBarsStoreContract;

/** ohlcv_minute over JDBC: COPY into a temporary table and one upsert. */
class JdbcMinuteBarsTest extends MinuteBarsStoreContract {
    @Override
    protected MinuteBarsStore store() {
        SharedDatabase.empty("ohlcv_minute");
        return new PostgresMinuteBars(new JdbcSql(SharedDatabase.dataSource()));
    }
}
