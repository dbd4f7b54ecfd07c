package dev.pricelake.core.progress;


class InMemoryProgressStoreTest extends ProgressStoreContract {
    private final InMemoryProgressStore store = new InMemoryProgressStore();

    @Override
    protected ProgressStore store() {
        return store;
    }
}
