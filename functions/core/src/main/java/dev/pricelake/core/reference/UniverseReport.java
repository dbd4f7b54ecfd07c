package dev.pricelake.core.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a maintainer wants to know about the universes: how many entries and members of each type and name, how
 * fresh they are, which active symbols no universe holds (the complete lists aside), and which entries list
 * symbols that are no longer active or not known at all (a universe built before a delisting, a custom list).
 *
 * @param dataUpdatedAt the newest symbols row the last rebuild saw (its summary's), or null without a summary
 * @param unplaced      active symbols in no universe but the complete lists, by type
 * @param staleMembers  entries listing inactive or unknown symbols, with those symbols
 */
public record UniverseReport(List<Group> groups, Instant oldest, Instant newest, String dataUpdatedAt,
                             String lastCloseDate, int symbols, int activeSymbols, Map<String, List<String>> unplaced,
                             Map<CacheEntry.Id, List<String>> staleMembers) {
    static final CacheEntry.Id SUMMARY = new CacheEntry.Id("stock_stats", "universe", "summary");

    /** Entries of one type and name: how many, their members in all, their oldest and newest update. */
    public record Group(String type, String name, int entries, long members, Instant oldest, Instant newest) {
    }

    public static UniverseReport of(CacheEntryStore entries, SymbolStore symbols) {
        List<CacheEntryStore.Listed> listed = entries.list();
        Map<String, Group> groups = new TreeMap<>();
        for (CacheEntryStore.Listed l : listed) {
            String key = l.id().type() + "/" + l.id().name();
            Group g = groups.get(key);
            long members = l.count() == null ? 0 : l.count();
            groups.put(key, g == null ? new Group(l.id().type(), l.id().name(), 1, members, l.updatedAt(), l.updatedAt())
                    : new Group(g.type(), g.name(), g.entries() + 1, g.members() + members, min(g.oldest(), l.updatedAt()),
                            max(g.newest(), l.updatedAt())));
        }
        List<Symbol> all = symbols.all();
        Map<String, Symbol> byTicker = new HashMap<>();
        all.forEach(s -> byTicker.put(s.ticker().value(), s));
        Set<String> placed = new HashSet<>();
        Map<CacheEntry.Id, List<String>> stale = new TreeMap<>();
        for (CacheEntryStore.Listed l : listed) {
            if (l.count() == null) {
                continue;
            }
            List<String> members = entries.members(l.id()).orElse(List.of());
            if (!l.id().name().equals("complete")) {
                placed.addAll(members);
            }
            List<String> gone = members.stream().filter(t -> byTicker.get(t) == null || !byTicker.get(t).active()).toList();
            if (!gone.isEmpty()) {
                stale.put(l.id(), gone);
            }
        }
        Map<String, List<String>> unplaced = new TreeMap<>();
        all.stream().filter(Symbol::active).filter(s -> !placed.contains(s.ticker().value()))
                .forEach(s -> unplaced.computeIfAbsent(s.type() == null ? "unknown" : s.type(), k -> new ArrayList<>())
                        .add(s.ticker().value()));
        Optional<JsonNode> summary = entries.entry(SUMMARY).map(CacheEntry::value);
        return new UniverseReport(List.copyOf(groups.values()),
                listed.stream().map(CacheEntryStore.Listed::updatedAt).min(Instant::compareTo).orElse(null),
                listed.stream().map(CacheEntryStore.Listed::updatedAt).max(Instant::compareTo).orElse(null),
                summary.map(s -> s.path("data_updated_at").asText(null)).orElse(null),
                summary.map(s -> s.path("last_close_date").asText(null)).orElse(null), all.size(),
                (int) all.stream().filter(Symbol::active).count(), unplaced, stale);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Tickers in no universe, of every type. */
    public long unplacedCount() {
        return unplaced.values().stream().mapToLong(List::size).sum();
    }
}
