package dev.pricelake.core.reference;

import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Selecting the tickers of an organized universe by its {@code type/name/key}, as runs and commands do. */
public final class UniverseEntries {
    private UniverseEntries() {
    }

    /**
     * The entry's tickers. An entry that does not exist is refused, naming {@code field} and listing the entries
     * that do, so a typo is fixed at once and nothing is written.
     */
    public static List<Ticker> members(CacheEntryStore entries, String field, CacheEntry.Id id) {
        List<String> symbols = entries.members(id).orElseThrow(() -> new InvalidInputException(field,
                "'" + id + "' is not a universe entry; " + existing(entries.list())));
        List<Ticker> tickers = new ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            try {
                tickers.add(Ticker.of(symbol));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(field, "universe entry " + id + " lists '" + symbol + "', which is not a"
                        + " Polygon stock symbol; rebuild or correct the entry");
            }
        }
        return tickers;
    }

    /** The entries that list symbols, grouped: {@code stock_universe/market_cap/{large_cap, mega_cap}; ...}. */
    static String existing(List<CacheEntryStore.Listed> listed) {
        Map<String, List<String>> keys = new TreeMap<>();
        listed.stream().filter(l -> l.count() != null)
                .forEach(l -> keys.computeIfAbsent(l.id().type() + "/" + l.id().name(), k -> new ArrayList<>()).add(l.id().key()));
        if (keys.isEmpty()) {
            return "there are no universe entries yet: build them with ./pricelake universes rebuild (in AWS the reference"
                    + " function does, on its schedule)";
        }
        List<String> groups = new ArrayList<>();
        keys.forEach((typeAndName, k) -> groups.add(typeAndName + "/" + (k.size() == 1 ? k.getFirst() : "{" + String.join(", ", k) + "}")));
        return "the entries are: " + String.join("; ", groups);
    }
}
