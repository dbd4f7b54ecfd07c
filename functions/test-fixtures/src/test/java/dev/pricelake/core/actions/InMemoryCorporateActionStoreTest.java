package dev.pricelake.core.actions;

class InMemoryCorporateActionStoreTest extends CorporateActionStoreContract {
    private final InMemoryCorporateActionStore store = new InMemoryCorporateActionStore();

    @Override
    protected CorporateActionStore store() {
        return store;
    }
}
