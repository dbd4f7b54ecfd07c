package dev.pricelake.core.reference;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@link CacheEntryStore} in a map, with the same rules as PostgreSQL's; the contract test holds both. */
public final class InMemoryCacheEntryStore implements CacheEntryStore {
    private record Stored(CacheEntry entry, Instant updatedAt) {
    }

    private final Map<CacheEntry.Id, Stored> rows = new TreeMap<>();

    @Override
    public synchronized void replace(Set<String> types, List<CacheEntry> entries, Instant now) {
        // PostgreSQL refuses a second row with the same (type, name, key) and rolls the whole replace back.
        if (entries.stream().map(CacheEntry::id).distinct().count() != entries.size()) {
            throw new IllegalArgumentException("two entries with the same type, name and key: nothing was replaced");
        }
        rows.keySet().removeIf(id -> types.contains(id.type()));
        upsert(entries, now);
    }

    @Override
    public synchronized void upsert(List<CacheEntry> entries, Instant now) {
        entries.forEach(e -> rows.put(e.id(), new Stored(new CacheEntry(e.id(), e.value().deepCopy()), now)));
    }

    @Override
    public synchronized List<Listed> list() {
        return rows.values().stream().map(s -> new Listed(s.entry().id(),
                s.entry().listsSymbols() ? s.entry().members().size() : null, s.updatedAt())).toList();
    }

    @Override
    public synchronized Optional<List<String>> members(CacheEntry.Id id) {
        return entry(id).map(CacheEntry::members);
    }

    @Override
    public synchronized Optional<CacheEntry> entry(CacheEntry.Id id) {
        return Optional.ofNullable(rows.get(id)).map(s -> new CacheEntry(id, s.entry().value().deepCopy()));
    }
}
