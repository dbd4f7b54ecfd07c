package dev.pricelake.core.reference;

class InMemoryCacheEntriesTest extends CacheEntryStoreContract {
    @Override
    protected CacheEntryStore store() {
        return new InMemoryCacheEntryStore();
    }
}
