package dev.pricelake.adapters.sql;

import dev.pricelake.core.reference.CacheEntryStore;
import dev.pricelake.core.reference.CacheEntryStoreContract;

class JdbcCacheEntriesTest extends CacheEntryStoreContract {
    @Override
    protected CacheEntryStore store() {
        SharedDatabase.empty("cache_entries");
        return new PostgresCacheEntries(new JdbcSql(SharedDatabase.dataSource()));
    }
}
