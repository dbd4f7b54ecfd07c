package dev.pricelake.adapters.sql;

import dev.pricelake.core.reference.SymbolStore;
import dev.pricelake.core.reference.SymbolStoreContract;

/** The symbols table through the Data API adapter, whose fake client keeps the API's request and response limits. */
class DataApiSymbolsTest extends SymbolStoreContract {
    @Override
    protected SymbolStore store() {
        SharedDatabase.empty("symbols");
        return new PostgresSymbols(new DataApiSql(new PostgresDataApiFake(SharedDatabase.dataSource()), "arn:cluster",
                "arn:secret", "postgres"));
    }
}
