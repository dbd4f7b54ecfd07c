package dev.pricelake.core.reference;

class InMemorySymbolStoreTest extends SymbolStoreContract {
    @Override
    protected SymbolStore store() {
        return new InMemorySymbolStore();
    }
}
