package dev.pricelake.adapters.sql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pricelake.core.StoreException;
import dev.pricelake.core.reference.CacheEntryStore;
import dev.pricelake.core.reference.CacheEntryStoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The universes through the Data API adapter, whose fake client keeps the API's 1 MiB and 64 KiB limits. */
class DataApiCacheEntriesTest extends CacheEntryStoreContract {
    private Sql sql;

    @Override
    protected CacheEntryStore store() {
        SharedDatabase.empty("cache_entries");
        sql = new DataApiSql(new PostgresDataApiFake(SharedDatabase.dataSource()), "arn:cluster", "arn:secret", "postgres");
        return new PostgresCacheEntries(sql);
    }

    @Test
    void readingALargeValueInOneRowIsWhatTheApiRefuses() {
        largeValuesTravelWholeEvenWhereARowIsLimitedTo64KiB();
        assertThatThrownBy(() -> sql.query("SELECT value::text FROM cache_entries", List.of()))
                .isInstanceOf(StoreException.class).hasMessageContaining("64 KB");
    }
}
