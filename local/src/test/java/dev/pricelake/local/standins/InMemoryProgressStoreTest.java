package dev.pricelake.local.standins;

import dev.pricelake.core.progress.InMemoryProgressStore;
import dev.pricelake.core.progress.ProgressStore;

class InMemoryProgressStoreTest extends ProgressStoreContract {
    private final InMemoryProgressStore store = new InMemoryProgressStore();

    @Override
    ProgressStore store() {
        return store;
    }
}
