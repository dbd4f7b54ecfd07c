package dev.pricelake.adapters.sql;

import dev.pricelake.core.recent.MinuteBarsStore;
import dev.pricelake.core.recent.MinuteBarsStoreContract;

/**
 * ohlcv_minute through the Data API adapter (batched statements, typed parameters), on PostgreSQL via the fake client;
 * how the batches are cut under the API's limits is DataApiRecentBarsTest's.
 */
class DataApiMinuteBarsTest extends MinuteBarsStoreContract {
    @Override
    protected MinuteBarsStore store() {
        SharedDatabase.empty("ohlcv_minute");
        return new PostgresMinuteBars(new DataApiSql(new PostgresDataApiFake(SharedDatabase.dataSource()),
                "arn:aws:rds:us-east-1:1:cluster:c", "arn:secret", "postgres"));
    }
}
