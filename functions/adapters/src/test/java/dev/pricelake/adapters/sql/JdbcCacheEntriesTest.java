package dev.pricelake.adapters.sql;

import dev.pricelake.core.reference.CacheEntryStore;

class JdbcCacheEntriesTest extends CacheEntryStoreContract {
    @Override
    CacheEntryStore store() {
        SharedDatabase.empty("cache_entries");
        return new PostgresCacheEntries(new JdbcSql(SharedDatabase.dataSource()));
    }
}
