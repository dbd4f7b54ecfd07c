package dev.pricelake.adapters.sql;

import dev.pricelake.core.reference.SymbolStore;
import dev.pricelake.core.reference.SymbolStoreContract;

class JdbcSymbolsTest extends SymbolStoreContract {
    @Override
    protected SymbolStore store() {
        SharedDatabase.empty("symbols");
        return new PostgresSymbols(new JdbcSql(SharedDatabase.dataSource()));
    }
}
