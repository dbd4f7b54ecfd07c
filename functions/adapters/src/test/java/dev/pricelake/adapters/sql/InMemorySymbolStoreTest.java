package dev.pricelake.adapters.sql;

import dev.pricelake.core.reference.InMemorySymbolStore;
import dev.pricelake.core.reference.SymbolStore;

class InMemorySymbolStoreTest extends SymbolStoreContract {
    @Override
    SymbolStore store() {
        return new InMemorySymbolStore();
    }
}
