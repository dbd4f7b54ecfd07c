package dev.pricelake.local.standins;

import dev.pricelake.core.InMemoryObjectStore;
import dev.pricelake.core.ObjectStore;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @Override
    ObjectStore store() {
        return store;
    }
}
