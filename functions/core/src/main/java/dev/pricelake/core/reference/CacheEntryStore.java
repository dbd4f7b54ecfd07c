package dev.pricelake.core.reference;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Port to {@code cache_entries} (PostgreSQL through JDBC or the RDS Data API; a map in tests). */
public interface CacheEntryStore {
    /**
     * Replace mode: in one transaction, deletes every entry of these types and writes these entries, so a reader
     * sees the old set or the new one, never a mix; entries of other types are left as they are.
     */
    void replace(Set<String> types, List<CacheEntry> entries, Instant now);

    /** Append mode: adds these entries or updates them in place; every other entry is left as it is. */
    void upsert(List<CacheEntry> entries, Instant now);

    /** Every entry without its value (values can be large): id, member count, updated_at; by id. */
    List<Listed> list();

    /** The tickers an entry lists, in order; empty when there is no such entry. */
    Optional<List<String>> members(CacheEntry.Id id);

    /** One whole entry. */
    Optional<CacheEntry> entry(CacheEntry.Id id);

    /** @param count how many tickers the entry lists, or null for an entry that lists none (a summary) */
    record Listed(CacheEntry.Id id, Integer count, Instant updatedAt) {
    }
}
