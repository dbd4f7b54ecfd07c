package dev.pricelake.core.reference;

import dev.pricelake.core.ReferenceSource.ListedTicker;
import dev.pricelake.core.Ticker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link SymbolStore} in a map, with the same rules as PostgreSQL's; the contract test holds both. */
public final class InMemorySymbolStore implements SymbolStore {
    private final Map<Ticker, Symbol> rows = new TreeMap<>();

    @Override
    public synchronized List<Symbol> all() {
        return List.copyOf(rows.values());
    }

    @Override
    public synchronized void upsert(List<Symbol> symbols, Instant now) {
        for (Symbol s : symbols) {
            if (!s.sameAs(rows.get(s.ticker()))) {
                rows.put(s.ticker(), s.withUpdatedAt(now));
            }
        }
    }

    @Override
    public synchronized void upsertListings(List<ListedTicker> listed, Instant now) {
        for (ListedTicker t : listed) {
            Symbol old = rows.get(t.ticker());
            Symbol next = old == null ? Symbol.listed(t.ticker(), t.name(), t.type(), t.primaryExchange(), t.active(), now)
                    : old.withListing(t.name(), t.type(), t.primaryExchange(), t.active());
            if (!next.sameAs(old)) {
                rows.put(t.ticker(), next.withUpdatedAt(now));
            }
        }
    }

    @Override
    public synchronized void recordCloses(List<Close> closes, Instant now) {
        for (Close c : closes) {
            Symbol old = rows.get(c.ticker());
            if (old == null || (old.lastCloseDate() != null && old.lastCloseDate().isAfter(c.date()))) {
                continue;
            }
            Symbol next = old.withLastClose(c.close(), c.date());
            if (!next.sameAs(old)) {
                rows.put(c.ticker(), next.withUpdatedAt(now));
            }
        }
    }
}
