package dev.pricelake.adapters.sql;

import dev.pricelake.core.reference.CacheEntryStore;
import dev.pricelake.core.reference.InMemoryCacheEntryStore;

class InMemoryCacheEntriesTest extends CacheEntryStoreContract {
    @Override
    CacheEntryStore store() {
        return new InMemoryCacheEntryStore();
    }
}
