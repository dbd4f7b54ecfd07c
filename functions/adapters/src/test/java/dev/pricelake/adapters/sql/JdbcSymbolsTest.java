package dev.pricelake.adapters.sql;

import dev.pricelake.core.reference.SymbolStore;

class JdbcSymbolsTest extends SymbolStoreContract {
    @Override
    SymbolStore store() {
        SharedDatabase.empty("symbols");
        return new PostgresSymbols(new JdbcSql(SharedDatabase.dataSource()));
    }
}
